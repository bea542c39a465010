import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdleWatchdog, StreamStalledError } from './idle-watchdog.js';

describe('IdleWatchdog', () => {
  it('passes a flowing stream through unchanged', async () => {
    const out: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => out.push(chunk));
    await pipeline(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), new IdleWatchdog('test', 200), sink);
    expect(Buffer.concat(out).toString()).toBe('abcd');
  });

  it('fails a stream that stops without ending', async () => {
    const stuck = new PassThrough();
    stuck.write('first bytes');
    const started = Date.now();
    await expect(pipeline(stuck, new IdleWatchdog('reading x', 150), new PassThrough().resume())).rejects.toBeInstanceOf(
      StreamStalledError,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
