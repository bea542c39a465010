import { GROUPS, type Group } from '@introeval/contracts';
import { mostDownstream } from './adaptive.policy.js';
import { phaseFor, quotaDone, samePhase } from './phase-packing.js';
import { STAY, type Decision, type NodeView, type PhasePolicy } from './policy.types.js';

/*
 * The designs we measure ours against in `npm run bench -- lab30`. They run through the same scheduler, lease and
 * workers as ours; only the decisions differ. Not meant for production.
 */

/**
 * The plan this lab first drew up: batches of `batchSize` students; speech-to-text one job at a time, then extraction
 * and rating two jobs at a time; the next batch starts when the previous one has finished.
 */
export class StrictBatchPolicy implements PhasePolicy {
  readonly name = 'strict-batch';
  private step: Group | null = null;
  private batch = 0;

  constructor(private readonly settings = { batchSize: 10, sttConcurrency: 1, evaluationConcurrency: 2 }) {}

  decide(view: NodeView): Decision {
    if (view.state !== 'granted' && view.state !== 'idle') return STAY;
    if (this.step !== null && !quotaDone(view)) return STAY;
    const next = this.step === null ? null : GROUPS[GROUPS.indexOf(this.step) + 1];
    if (next) return this.run(next, this.batch);
    // A new batch starts at the earliest stage with work (a text submission starts at extraction), once it has a full
    // batch or nothing more is on its way.
    const first = GROUPS.find((g) => view.groups[g].waiting > 0);
    const filling = first !== undefined && view.groups[first].waiting < this.settings.batchSize && view.groups[first].upstream > 0;
    if (!first || filling) {
      this.step = null;
      return STAY;
    }
    return this.run(first, Math.min(this.settings.batchSize, view.groups[first].waiting));
  }

  resume(grant: { phase: readonly Group[]; quota: number | null }): void {
    // Only a grant this policy could have made is a step of a batch: one group, with the batch as its quota.
    if (grant.phase.length !== 1 || grant.quota === null) return;
    this.step = grant.phase[0];
    this.batch = grant.quota;
  }

  private run(group: Group, batch: number): Decision {
    this.step = group;
    this.batch = batch;
    const concurrency = group === 'stt' ? this.settings.sttConcurrency : this.settings.evaluationConcurrency;
    return { kind: 'switch', phase: [group], concurrency: { [group]: concurrency }, quota: batch };
  }
}

/**
 * What a model-swapping proxy does: serve stage requests in arrival order at full engine concurrency, and swap
 * whenever the oldest waiting request needs another group.
 */
export class FcfsSwapPolicy implements PhasePolicy {
  readonly name = 'fcfs-swap';

  decide(view: NodeView): Decision {
    if (view.state !== 'granted' && view.state !== 'idle') return STAY;
    const head = GROUPS.filter((g) => view.groups[g].waiting > 0).sort(
      (a, b) => (view.groups[b].oldestWaitSec ?? 0) - (view.groups[a].oldestWaitSec ?? 0),
    )[0];
    if (!head || view.phase.includes(head)) return STAY;
    const phase = phaseFor(view, head);
    if (samePhase(phase, view.phase)) return STAY;
    return { kind: 'switch', phase, concurrency: Object.fromEntries(phase.map((g) => [g, view.groups[g].concurrency])) };
  }
}

/** Each student's whole chain before the next student's: one job per grant, one group at a time. */
export class OneAtATimePolicy implements PhasePolicy {
  readonly name = 'one-at-a-time';
  private running = false;

  resume(grant: { phase: readonly Group[]; quota: number | null }): void {
    this.running = grant.phase.length > 0 && grant.quota === 1;
  }

  decide(view: NodeView): Decision {
    if (view.state !== 'granted' && view.state !== 'idle') return STAY;
    if (this.running && !quotaDone(view)) return STAY;
    const waiting = GROUPS.filter((g) => view.groups[g].waiting > 0);
    this.running = waiting.length > 0;
    if (!this.running) return STAY;
    const group = mostDownstream(waiting);
    return { kind: 'switch', phase: [group], concurrency: { [group]: 1 }, quota: 1 };
  }
}
