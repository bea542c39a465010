import { open } from 'node:fs/promises';

/** The parts of a PCM WAV header that give its duration. */
export interface WavHeader {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of samples actually present (never more than the file holds). */
  dataBytes: number;
  durationSec: number;
}

/** ffmpeg writes 44 bytes with `-fflags +bitexact` and under ~100 otherwise; a few KiB covers any sane header. */
const HEADER_READ_BYTES = 4096;

/** Duration of a PCM WAV file in seconds, from its header and data size (no decoding). */
export async function wavDurationSec(path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, HEADER_READ_BYTES));
    await file.read(head, 0, head.length, 0);
    return parseWavHeader(head, size).durationSec;
  } finally {
    await file.close();
  }
}

/**
 * Parses the RIFF chunks at the start of a WAV file of `fileSize` bytes. Walks the chunk list rather than assuming
 * 44 bytes. A data size of 0 or 0xFFFFFFFF (a WAV streamed to a pipe, or a writer killed before it fixed the header)
 * or one past the end of the file is replaced by what the file really holds. Throws on anything that is not PCM WAV.
 */
export function parseWavHeader(head: Buffer, fileSize: number): WavHeader {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a WAV file: no RIFF/WAVE header');
  }
  let format: { channels: number; sampleRate: number; blockAlign: number; bitsPerSample: number } | null = null;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > head.length) throw new Error('not a WAV file: truncated fmt chunk');
      format = {
        channels: head.readUInt16LE(body + 2),
        sampleRate: head.readUInt32LE(body + 4),
        blockAlign: head.readUInt16LE(body + 12),
        bitsPerSample: head.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('not a WAV file: data chunk before fmt chunk');
      const { channels, sampleRate, blockAlign, bitsPerSample } = format;
      const frameBytes = blockAlign || (channels * bitsPerSample) / 8;
      if (frameBytes <= 0 || sampleRate <= 0) throw new Error('not a WAV file: zero channels, bits or sample rate');
      const available = Math.max(0, fileSize - body);
      const dataBytes = size === 0 || size === 0xffffffff || size > available ? available : size;
      const frames = Math.floor(dataBytes / frameBytes);
      return { sampleRate, channels, bitsPerSample, dataOffset: body, dataBytes, durationSec: frames / sampleRate };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw new Error('not a WAV file: no data chunk in the header');
}
