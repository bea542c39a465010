import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { computeDeliveryMetrics, rateWithProvenance, type EngineCall, type RatingEngine } from '@introeval/engines';
import { JobLifecycle } from '@introeval/pipeline';
import { RATING_ENGINE } from './rating-engine.provider.js';

@Injectable()
export class RatingService {
  constructor(
    @Inject(JobLifecycle) private readonly lifecycle: JobLifecycle,
    @Inject(RATING_ENGINE) private readonly engine: RatingEngine,
  ) {}

  /**
   * Computes delivery metrics (code), then rubric scores and feedback; the job completes here. `call` carries the
   * stage's abort signal and lease epoch, handed to the engine and recorded with the stage.
   */
  async process(jobId: string, call: EngineCall = {}): Promise<void> {
    const { signal, epoch = null } = call;
    await this.lifecycle.runStage(
      'rate',
      jobId,
      async (record) => {
        const { transcript, profile } = record;
        if (!transcript || !profile) {
          throw IntroEvalError.permanent(ErrorCode.InvalidInput, `job ${jobId} reached rating without a transcript and profile`);
        }
        signal?.throwIfAborted();
        const metrics = computeDeliveryMetrics(transcript, profile);
        const { scores, feedback, provenance } = await rateWithProvenance(this.engine, { transcript, profile, metrics, signal, epoch });
        return { metrics, scores, feedback, provenance: { rate: provenance } };
      },
      { epoch },
    );
  }
}
