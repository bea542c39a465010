import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { ExtractionEngine } from '@introeval/engines';
import { JobLifecycle } from '@introeval/pipeline';
import { EXTRACTION_ENGINE } from './extraction-engine.provider.js';

@Injectable()
export class ExtractionService {
  constructor(
    @Inject(JobLifecycle) private readonly lifecycle: JobLifecycle,
    @Inject(EXTRACTION_ENGINE) private readonly engine: ExtractionEngine,
  ) {}

  /** Reads a structured profile (name, degree, skills, ...) out of the job's transcript. */
  async process(jobId: string, signal?: AbortSignal): Promise<void> {
    await this.lifecycle.runStage('extract', jobId, async (record) => {
      const text = record.transcript?.text.trim();
      if (!text) throw IntroEvalError.permanent(ErrorCode.TranscriptEmpty, `job ${jobId} has no transcript to read`);
      signal?.throwIfAborted();
      const profile = await this.engine.extract({ text });
      return { profile, provenance: { extract: this.engine.provenance } };
    });
  }
}
