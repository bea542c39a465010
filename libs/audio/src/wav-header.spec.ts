import { parseWavHeader } from './wav.js';

/** A PCM WAV header as ffmpeg writes it, optionally with a LIST chunk before the data. */
function header({ dataBytes, list = false, rate = 16000, channels = 1 }: { dataBytes: number; list?: boolean; rate?: number; channels?: number }): Buffer {
  const chunk = (id: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'ascii');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body]);
  };
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * channels * 2, 8);
  fmt.writeUInt16LE(channels * 2, 12);
  fmt.writeUInt16LE(16, 14);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(dataBytes, 4);
  const parts = [Buffer.from('WAVE'), chunk('fmt ', fmt)];
  // An odd-sized chunk is padded to an even length.
  if (list) parts.push(chunk('LIST', Buffer.from('INFOISFT\x05\x00\x00\x00Lavf\x00')), Buffer.alloc(1));
  parts.push(dataHead);
  const body = Buffer.concat(parts);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(Math.min(body.length + dataBytes, 0xffffffff), 4);
  return Buffer.concat([riff, body]);
}

describe('parseWavHeader', () => {
  it('computes the duration of a plain 44-byte header from the data size', () => {
    const head = header({ dataBytes: 32_000 * 52 });
    expect(head.length).toBe(44);
    expect(parseWavHeader(head, 44 + 32_000 * 52)).toMatchObject({ sampleRate: 16000, channels: 1, dataOffset: 44, durationSec: 52 });
  });

  it('walks past other chunks (LIST) to the data', () => {
    const head = header({ dataBytes: 64_000, list: true });
    expect(parseWavHeader(head, head.length + 64_000)).toMatchObject({ dataOffset: head.length, durationSec: 2 });
  });

  it('trusts the file size when the header says 0, 0xFFFFFFFF or more than the file holds', () => {
    for (const declared of [0, 0xffffffff, 10 * 32_000]) {
      const head = header({ dataBytes: declared });
      expect(parseWavHeader(head, 44 + 3 * 32_000).durationSec).toBe(3);
    }
  });

  it('counts whole frames only, at any rate and channel count', () => {
    const head = header({ dataBytes: 48_000 * 4 + 3, rate: 48_000, channels: 2 });
    expect(parseWavHeader(head, 44 + 48_000 * 4 + 3).durationSec).toBe(1);
  });

  it('rejects what is not a PCM WAV', () => {
    expect(() => parseWavHeader(Buffer.from('not a wav at all'), 16)).toThrow(/RIFF/);
    const noData = header({ dataBytes: 0 }).subarray(0, 36);
    expect(() => parseWavHeader(noData, 36)).toThrow(/no data chunk/);
  });
});
