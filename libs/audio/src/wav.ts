import { open, type FileHandle } from 'node:fs/promises';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';

/** What a PCM WAV file holds, read from its header without loading the audio. */
export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of sample data (whole frames only). */
  dataBytes: number;
  /** Sample frames (one sample per channel each). */
  frames: number;
  durationSec: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function invalid(path: string, why: string): IntroEvalError {
  return IntroEvalError.permanent(ErrorCode.InvalidInput, `${path} is not a PCM WAV file: ${why}`);
}

/** Headers larger than this are not plain PCM WAVs (ffmpeg writes 44 bytes, or ~80 with a LIST chunk). */
const HEADER_READ_BYTES = 64 * 1024;

/**
 * Parses the RIFF chunks at the start of a WAV file of `fileSize` bytes (`head` is its first bytes). Walks the chunk
 * list instead of assuming a 44-byte header, because ffmpeg adds a LIST chunk unless told `-fflags +bitexact`. A data
 * size of 0 or 0xFFFFFFFF (written by tools that stream to a pipe, or killed before fixing the header) or one past
 * the end of the file is replaced by what the file really holds. `label` names the file in errors.
 */
export function parseWavHeader(head: Buffer, fileSize: number, label = 'audio'): WavInfo {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw invalid(label, 'no RIFF/WAVE header');
  }
  let offset = 12;
  let format: { tag: number; channels: number; sampleRate: number; bitsPerSample: number; blockAlign: number } | null =
    null;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const fmt = head.subarray(body, body + Math.min(size, 40));
      if (fmt.length < 16) throw invalid(label, 'truncated fmt chunk');
      let tag = fmt.readUInt16LE(0);
      // WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its sub-format GUID.
      if (tag === WAVE_FORMAT_EXTENSIBLE && fmt.length >= 26) tag = fmt.readUInt16LE(24);
      format = {
        tag,
        channels: fmt.readUInt16LE(2),
        sampleRate: fmt.readUInt32LE(4),
        blockAlign: fmt.readUInt16LE(12),
        bitsPerSample: fmt.readUInt16LE(14),
      };
    } else if (id === 'data') {
      if (!format) throw invalid(label, 'data chunk before fmt chunk');
      if (format.tag !== WAVE_FORMAT_PCM) throw invalid(label, `format tag ${format.tag} is not integer PCM`);
      const available = Math.max(0, fileSize - body);
      const declared = size === 0 || size === 0xffffffff || size > available ? available : size;
      const blockAlign = format.blockAlign || (format.channels * format.bitsPerSample) / 8;
      if (blockAlign <= 0 || format.sampleRate <= 0) throw invalid(label, 'zero channels, bits or sample rate');
      const frames = Math.floor(declared / blockAlign);
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        bitsPerSample: format.bitsPerSample,
        dataOffset: body,
        dataBytes: frames * blockAlign,
        frames,
        durationSec: frames / format.sampleRate,
      };
    }
    // RIFF chunks are padded to an even size.
    offset = body + size + (size % 2);
  }
  throw invalid(label, 'no data chunk');
}

/** Reads a WAV file's header (never its audio). */
export async function readWavInfo(path: string): Promise<WavInfo> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new IntroEvalError(ErrorCode.Internal, `cannot open audio file ${path}: ${(error as Error).message}`, false, {
      cause: error,
    });
  }
  try {
    const fileSize = (await file.stat()).size;
    return parseWavHeader(await readAt(file, 0, Math.min(fileSize, HEADER_READ_BYTES)), fileSize, path);
  } finally {
    await file.close();
  }
}

/** Throws a permanent InvalidInput error unless the WAV is what speech engines here expect: 16 kHz mono s16. */
export function assertSpeechWav(path: string, info: WavInfo): void {
  if (info.sampleRate !== 16000 || info.channels !== 1 || info.bitsPerSample !== 16) {
    throw IntroEvalError.permanent(
      ErrorCode.InvalidInput,
      `${path} must be 16 kHz mono 16-bit PCM WAV, but it is ${info.sampleRate} Hz, ${info.channels} channel(s), ` +
        `${info.bitsPerSample}-bit; convert it with: ffmpeg -i IN -ac 1 -ar 16000 -c:a pcm_s16le OUT.wav`,
    );
  }
}

/** Reads `count` mono s16 samples starting at sample `start`; fewer at the end of the file. */
export async function readMonoSamples(path: string, info: WavInfo, start: number, count: number): Promise<Int16Array> {
  const first = Math.max(0, Math.min(start, info.frames));
  const n = Math.max(0, Math.min(count, info.frames - first));
  const file = await open(path, 'r');
  try {
    const bytes = await readAt(file, info.dataOffset + first * 2, n * 2);
    const samples = new Int16Array(Math.floor(bytes.length / 2));
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
    return samples;
  } finally {
    await file.close();
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** A mono s16le PCM WAV with a plain 44-byte header, e.g. for fixtures and for handing samples to other tools. */
export function encodeWav(samples: Int16Array, sampleRate = 16000): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(samples[i], i * 2);
  return Buffer.concat([header, data]);
}
