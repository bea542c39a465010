import type { Logger } from '@nestjs/common';
import type { StageFailure } from './jetstream.options.js';
import { errorMessage } from './retry.policy.js';

/** Logs a final stage failure and hands it to the app; an app that cannot record it must not crash the transport. */
export class FailureReporter {
  constructor(
    private readonly onFailure: (failure: StageFailure) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async report(failure: StageFailure): Promise<void> {
    this.logger.error(
      `${failure.subject} job=${failure.jobId ?? '-'} deliveries=${failure.deliveries} failed: ` +
        `${failure.code}: ${failure.message}`,
    );
    try {
      await this.onFailure(failure);
    } catch (error) {
      this.logger.error(
        `onFailure for ${failure.subject} job=${failure.jobId ?? '-'} threw (${errorMessage(error)}): ` +
          'the job may not be marked failed; the dead letter and this log are what is left',
      );
    }
  }
}
