import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Min } from 'class-validator';
import { hostname } from 'node:os';
import { LeaseTimingConfig } from '@introeval/config';
import { POLICIES, type PolicyName } from '@introeval/scheduling';

export class SchedulerConfig extends LeaseTimingConfig {
  /**
   * JSON file describing the GPU nodes this scheduler leads (docs/scheduling.md). Unset: no GPU node, the embedded
   * CPU engines run ungated, and the scheduler only waits.
   */
  @IsOptional() @IsString()
  GPU_NODES_FILE: string | undefined = undefined;

  /** Which phase policy decides the switches; the others are the baselines `npm run bench -- lab30` compares. */
  @IsIn(POLICIES, { message: `SCHEDULER_POLICY must be one of ${POLICIES.join(', ')}` })
  SCHEDULER_POLICY: PolicyName = 'adaptive';

  /** No job waits longer than this for its group while another group holds the card (seconds). */
  @IsNumber() @Min(0)
  MAX_WAIT_SEC: number = 600;

  /** An idle phase waits this long (at most the measured switch time) for jobs on their way to it (seconds). */
  @IsNumber() @Min(0)
  LINGER_SEC: number = 8;

  /** How often each node's leader looks at its queues (ms). */
  @IsInt() @Min(5)
  SCHEDULER_TICK_MS: number = 100;

  /** This scheduler's name in the lease (`holder`); unique per process. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'SCHEDULER_ID must be 1-64 letters, digits, - or _' })
  SCHEDULER_ID: string = `scheduler-${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${process.pid}`;
}
