import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { WorkerConfig } from '@introeval/config';

export class UploadConfig extends WorkerConfig {
  /** Largest media file accepted (the gateway refuses bigger uploads with 413; this guards other paths in). */
  @IsInt() @Min(1)
  MEDIA_MAX_BYTES: number = 500 * 1024 * 1024;

  /** Longest recording accepted, seconds. */
  @IsNumber() @Min(1)
  MEDIA_MAX_SEC: number = 600;

  /** Shortest recording worth evaluating, seconds. */
  @IsNumber() @Min(0)
  MEDIA_MIN_SEC: number = 10;

  /** A recording whose loudest moment is below this (dBFS) is treated as silent. */
  @IsNumber() @Max(0)
  MEDIA_SILENCE_DB: number = -50;

  /** ffprobe/ffmpeg runs longer than this are killed (a hostile file must not hang a worker). */
  @IsInt() @Min(1000)
  MEDIA_TOOL_TIMEOUT_MS: number = 120_000;
}
