import { GROUPS, type Group } from '@introeval/contracts';
import { phaseFor, phaseIdle, samePhase } from './phase-packing.js';
import { STAY, type Decision, type NodeView, type PhasePolicy } from './policy.types.js';

export interface AdaptiveSettings {
  /** A job waiting this long (seconds) makes its group run next, whatever the current phase still has queued. */
  maxWaitSec: number;
  /** How long an idle phase stays while jobs are on their way to it, rather than paying a switch and a switch back. */
  lingerSec: number;
}

/**
 * The policy we run (docs/scheduling.md has the reasoning):
 * 1. A phase stays while it has queued work: batching within a phase is what amortises the switch, and each worker
 *    keeps its engine saturated up to the engine's concurrency.
 * 2. ...unless a job of another group has waited past `maxWaitSec`: then that group runs next (no starvation).
 * 3. When the phase has nothing left to start, the node switches at once (the switch's drain overlaps the last
 *    running jobs) to the most downstream group with work: finishing jobs that are nearly done shortens the time to
 *    a result, and feeds the next phase a full batch.
 * 4. Except: while jobs are on their way to the idle phase (from stages not gated on this node), it lingers for them
 *    up to `lingerSec`, and never longer than the measured switch time, rather than paying a switch now and another
 *    to come back for them.
 * 5. An empty card with no work loads speech-to-text (the first stage) ahead of the first submission.
 */
export class AdaptivePolicy implements PhasePolicy {
  readonly name = 'adaptive';
  private idleSinceSec: number | null = null;

  constructor(private readonly settings: AdaptiveSettings) {}

  decide(view: NodeView): Decision {
    if (view.state !== 'granted' && view.state !== 'idle') return STAY;
    const outside = GROUPS.filter((g) => view.groups[g].waiting > 0 && !view.phase.includes(g));
    const starving = outside
      .filter((g) => (view.groups[g].oldestWaitSec ?? 0) >= this.settings.maxWaitSec)
      .sort((a, b) => (view.groups[b].oldestWaitSec ?? 0) - (view.groups[a].oldestWaitSec ?? 0));
    if (starving.length > 0) return this.switchTo(view, starving[0]);
    // An empty card with nothing to do loads the first stage's group, so the first student does not wait for it.
    if (view.phase.length === 0 && outside.length === 0) return this.switchTo(view, GROUPS[0]);
    if (outside.length === 0 || view.phase.some((g) => view.groups[g].waiting > 0)) {
      this.idleSinceSec = null;
      return STAY;
    }
    if (this.lingers(view)) return STAY;
    return this.switchTo(view, mostDownstream(outside));
  }

  private lingers(view: NodeView): boolean {
    const arriving = view.phase.some((g) => view.groups[g].upstream > 0);
    if (!arriving || !phaseIdle(view)) {
      // Running jobs finish during the drain anyway; only an idle phase with work on its way is worth waiting in.
      this.idleSinceSec = null;
      return arriving;
    }
    this.idleSinceSec ??= view.nowSec;
    // Never wait longer than the switch it would save costs.
    return view.nowSec - this.idleSinceSec < Math.min(this.settings.lingerSec, view.switchSec);
  }

  private switchTo(view: NodeView, lead: Group): Decision {
    this.idleSinceSec = null;
    const phase = phaseFor(view, lead);
    if (samePhase(phase, view.phase)) return STAY;
    // Each engine at its full concurrency: that is where batching pays.
    return { kind: 'switch', phase, concurrency: Object.fromEntries(phase.map((g) => [g, view.groups[g].concurrency])) };
  }
}

/** Later stages first: their jobs are closest to a result. */
export function mostDownstream(groups: readonly Group[]): Group {
  return [...groups].sort((a, b) => GROUPS.indexOf(b) - GROUPS.indexOf(a))[0];
}
