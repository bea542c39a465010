import type { LoggerService } from '@nestjs/common';

/** A monotonic millisecond clock; injectable so a spec can make a process "stall" without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

/** What the lease classes log through (a Nest Logger fits). */
export type LeaseLogger = Pick<LoggerService, 'log' | 'warn'>;
