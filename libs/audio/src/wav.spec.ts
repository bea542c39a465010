import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@introeval/contracts';
import { assertSpeechWav, encodeWav, readMonoSamples, readWavInfo } from './wav.js';

/** A PCM WAV in memory: header fields as given, optional extra chunk before "data". */
function wavBytes(
  samples: Int16Array,
  { sampleRate = 16000, channels = 1, bits = 16, tag = 1, extra = false, dataSize }: {
    sampleRate?: number;
    channels?: number;
    bits?: number;
    tag?: number;
    extra?: boolean;
    dataSize?: number;
  } = {},
): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(tag, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(sampleRate, 12);
  fmt.writeUInt32LE((sampleRate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  // An odd-sized LIST chunk checks the pad byte as well.
  const list = extra ? Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]) : Buffer.alloc(0);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(dataSize ?? data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, list, dataHead, data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

describe('wav', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engines-wav-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, bytes: Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  }

  it('reads a plain 44-byte header', async () => {
    const path = await file('plain.wav', wavBytes(new Int16Array(16000 * 2)));
    const info = await readWavInfo(path);
    expect(info).toEqual({
      sampleRate: 16000,
      channels: 1,
      bitsPerSample: 16,
      dataOffset: 44,
      dataBytes: 64000,
      frames: 32000,
      durationSec: 2,
    });
    expect(() => assertSpeechWav(path, info)).not.toThrow();
  });

  it('round-trips what encodeWav writes', async () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768]);
    const path = await file('encoded.wav', encodeWav(samples));
    const info = await readWavInfo(path);
    expect(info).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataOffset: 44, frames: 5 });
    expect(Array.from(await readMonoSamples(path, info, 0, 5))).toEqual([0, 1, -1, 32767, -32768]);
  });

  it('skips other chunks before the data and reads samples from the right place', async () => {
    const samples = Int16Array.from({ length: 1000 }, (_, i) => i - 500);
    const path = await file('list.wav', wavBytes(samples, { extra: true }));
    const info = await readWavInfo(path);
    expect(info.dataOffset).toBe(44 + 14);
    expect(info.frames).toBe(1000);
    expect(Array.from(await readMonoSamples(path, info, 998, 10))).toEqual([498, 499]);
  });

  it('takes the size from the file when the header says 0xFFFFFFFF (streamed WAV)', async () => {
    const path = await file('streamed.wav', wavBytes(new Int16Array(8000), { dataSize: 0xffffffff }));
    expect((await readWavInfo(path)).durationSec).toBe(0.5);
  });

  it('rejects what is not a RIFF WAVE file as invalid input', async () => {
    const path = await file('text.wav', Buffer.from('hello, this is not audio at all'));
    await expect(readWavInfo(path)).rejects.toMatchObject({ code: ErrorCode.InvalidInput, permanent: true });
  });

  it('rejects non-PCM data', async () => {
    const path = await file('float.wav', wavBytes(new Int16Array(100), { tag: 3, bits: 32 }));
    await expect(readWavInfo(path)).rejects.toThrow(/format tag 3/);
  });

  it('says what is wrong with audio that is not 16 kHz mono s16', async () => {
    const path = await file('cd.wav', wavBytes(new Int16Array(4410 * 2), { sampleRate: 44100, channels: 2 }));
    const info = await readWavInfo(path);
    expect(() => assertSpeechWav(path, info)).toThrow(/16 kHz mono 16-bit PCM WAV, but it is 44100 Hz, 2 channel/);
  });

  it('reports a missing file as a transient internal error', async () => {
    await expect(readWavInfo(join(dir, 'missing.wav'))).rejects.toMatchObject({
      code: ErrorCode.Internal,
      permanent: false,
    });
  });
});
