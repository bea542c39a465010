import type { Logger } from '@nestjs/common';
import type { StageFailure } from './jetstream.options.js';
import { errorMessage } from './retry.policy.js';

export interface ReportRetry {
  attempts: number;
  delayMs: number;
}

const ONCE: ReportRetry = { attempts: 1, delayMs: 0 };

/**
 * Logs a final stage failure and hands it to the app. An app that cannot record it must not crash the transport,
 * and must not lose it either: `report` says whether the app took it, so the caller keeps the message when not.
 */
export class FailureReporter {
  constructor(
    private readonly onFailure: (failure: StageFailure) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** True once onFailure has returned; false when it threw on every attempt. */
  async report(failure: StageFailure, retry: ReportRetry = ONCE): Promise<boolean> {
    this.logger.error(
      `${failure.subject} job=${failure.jobId ?? '-'} deliveries=${failure.deliveries} failed: ` +
        `${failure.code}: ${failure.message}`,
    );
    for (let attempt = 1; ; attempt++) {
      try {
        await this.onFailure(failure);
        return true;
      } catch (error) {
        const more = attempt < retry.attempts;
        this.logger.warn(
          `onFailure for ${failure.subject} job=${failure.jobId ?? '-'} threw (${errorMessage(error)})` +
            (more ? `; attempt ${attempt}/${retry.attempts}, trying again in ${retry.delayMs} ms` : ''),
        );
        if (!more) return false;
        await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
      }
    }
  }
}
