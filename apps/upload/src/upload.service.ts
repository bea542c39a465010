import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { checkMedia } from '@introeval/media';
import { JobLifecycle, withWorkDir } from '@introeval/pipeline';
import { MediaStore } from '@introeval/storage';
import { UploadConfig } from './upload.config.js';

@Injectable()
export class UploadService {
  constructor(
    @Inject(UploadConfig) private readonly config: UploadConfig,
    @Inject(JobLifecycle) private readonly lifecycle: JobLifecycle,
    @Inject(MediaStore) private readonly media: MediaStore,
  ) {}

  /** Checks the uploaded media by its content and stores its audio track as 16 kHz mono WAV for transcription. */
  async process(jobId: string, signal?: AbortSignal): Promise<void> {
    await this.lifecycle.runStage('upload', jobId, async (record) => {
      const media = record.media;
      if (!media) throw IntroEvalError.permanent(ErrorCode.InvalidInput, `job ${jobId} has no media to check`);
      return withWorkDir(this.config.WORK_DIR, `upload-${jobId}`, async (dir) => {
        const source = join(dir, 'source');
        const sizeBytes = await this.media.getToFile(media.object, source, { signal });
        const checked = await checkMedia({
          path: source,
          sizeBytes,
          workDir: dir,
          signal,
          limits: {
            maxBytes: this.config.MEDIA_MAX_BYTES,
            maxDurationSec: this.config.MEDIA_MAX_SEC,
            minDurationSec: this.config.MEDIA_MIN_SEC,
            silenceDb: this.config.MEDIA_SILENCE_DB,
            toolTimeoutMs: this.config.MEDIA_TOOL_TIMEOUT_MS,
          },
        });
        const audioObject = `${jobId}/audio.wav`;
        await this.media.putFile(audioObject, checked.audioPath);
        return { media: { ...media, sizeBytes, audioObject, durationSec: checked.durationSec } };
      });
    });
  }
}
