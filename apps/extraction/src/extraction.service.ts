import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { extractWithProvenance, type EngineCall, type ExtractionEngine } from '@introeval/engines';
import { JobLifecycle } from '@introeval/pipeline';
import { EXTRACTION_ENGINE } from './extraction-engine.provider.js';

@Injectable()
export class ExtractionService {
  constructor(
    @Inject(JobLifecycle) private readonly lifecycle: JobLifecycle,
    @Inject(EXTRACTION_ENGINE) private readonly engine: ExtractionEngine,
  ) {}

  /**
   * Reads a structured profile (name, degree, skills, ...) out of the job's transcript. `call` carries the stage's
   * abort signal and lease epoch, handed to the engine and recorded with the stage.
   */
  async process(jobId: string, call: EngineCall = {}): Promise<void> {
    const { signal, epoch = null } = call;
    await this.lifecycle.runStage(
      'extract',
      jobId,
      async (record) => {
        const text = record.transcript?.text.trim();
        if (!text) throw IntroEvalError.permanent(ErrorCode.TranscriptEmpty, `job ${jobId} has no transcript to read`);
        signal?.throwIfAborted();
        const { profile, provenance } = await extractWithProvenance(this.engine, { text, signal, epoch });
        return { profile, provenance: { extract: provenance } };
      },
      { epoch },
    );
  }
}
