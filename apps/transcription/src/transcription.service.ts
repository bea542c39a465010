import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { EngineCall, SpeechToTextEngine } from '@introeval/engines';
import { JobLifecycle, withWorkDir } from '@introeval/pipeline';
import { MediaStore } from '@introeval/storage';
import { SPEECH_TO_TEXT } from './stt-engine.provider.js';
import { TranscriptionConfig } from './transcription.config.js';

@Injectable()
export class TranscriptionService {
  constructor(
    @Inject(TranscriptionConfig) private readonly config: TranscriptionConfig,
    @Inject(JobLifecycle) private readonly lifecycle: JobLifecycle,
    @Inject(MediaStore) private readonly media: MediaStore,
    @Inject(SPEECH_TO_TEXT) private readonly engine: SpeechToTextEngine,
  ) {}

  /**
   * Turns the job's extracted audio into a transcript with word timings. `call` carries the stage's abort signal
   * and lease epoch, handed to the engine and recorded with the stage.
   */
  async process(jobId: string, call: EngineCall = {}): Promise<void> {
    const { signal, epoch = null } = call;
    await this.lifecycle.runStage(
      'transcribe',
      jobId,
      async (record) => {
        const audioObject = record.media?.audioObject;
        if (!audioObject) throw IntroEvalError.permanent(ErrorCode.InvalidInput, `job ${jobId} has no extracted audio`);
        return withWorkDir(this.config.WORK_DIR, `stt-${jobId}`, async (dir) => {
          const audioPath = join(dir, 'audio.wav');
          await this.media.getToFile(audioObject, audioPath, { signal });
          const transcript = await this.engine.transcribe({ audioPath, signal, epoch });
          if (transcript.words.length === 0) {
            throw IntroEvalError.permanent(
              ErrorCode.TranscriptEmpty,
              'No words could be recognised in the recording. Speak closer to the microphone in a quiet room and record again.',
            );
          }
          return { transcript, provenance: { stt: this.engine.provenance } };
        });
      },
      { epoch },
    );
  }
}
