import { describe, expect, it } from '@jest/globals';
import { AdaptivePolicy, mostDownstream } from './adaptive.policy.js';
import { phaseFor } from './phase-packing.js';
import { nodeView } from './policy.fixture.js';
import type { NodeView } from './policy.types.js';

const SETTINGS = { maxWaitSec: 600, lingerSec: 8 };
/** A switch as the policy decides it: each group of the phase at its engine's concurrency (1 in these views). */
const switchTo = (...phase: string[]) => ({ kind: 'switch', phase, concurrency: Object.fromEntries(phase.map((g) => [g, 1])) });
const STAY = { kind: 'stay' };

describe('AdaptivePolicy', () => {
  it('stays while its phase has queued work, even when other groups wait too', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    const view = nodeView({
      phase: ['stt'],
      groups: { stt: { waiting: 4, running: 1 }, extract: { waiting: 9, oldestWaitSec: 300 }, rate: { waiting: 2 } },
    });
    expect(policy.decide(view)).toEqual(STAY);
  });

  it('switches at once, when its phase has nothing left to start, to the most downstream group with work', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    // Jobs still run in the phase: the drain waits for them anyway, so the decision need not.
    const view = nodeView({
      phase: ['stt'],
      groups: { stt: { running: 2 }, extract: { waiting: 5, oldestWaitSec: 50 }, rate: { waiting: 1, oldestWaitSec: 2 } },
    });
    expect(policy.decide(view)).toEqual(switchTo('rate'));
    expect(policy.decide(nodeView({ phase: ['rate'], groups: { stt: { waiting: 3 }, extract: { waiting: 1 } } }))).toEqual(
      switchTo('extract'),
    );
  });

  it('starts an idle node on the most downstream group with work', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 3 } } }))).toEqual(switchTo('stt'));
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 3 }, extract: { waiting: 1 } } }))).toEqual(
      switchTo('extract'),
    );
  });

  it('grants every group of the phase its engine’s full concurrency', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    const view = nodeView({
      budgetMb: 24_576,
      phase: [],
      state: 'idle',
      groups: { stt: { waiting: 3, concurrency: 8 }, extract: { concurrency: 4 }, rate: { concurrency: 2 } },
    });
    expect(policy.decide(view)).toEqual({ kind: 'switch', phase: ['stt', 'extract', 'rate'], concurrency: { stt: 8, extract: 4, rate: 2 } });
  });

  it('loads speech-to-text on an empty card before the first submission arrives', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    expect(policy.decide(nodeView({ phase: [], state: 'idle' }))).toEqual(switchTo('stt'));
    expect(policy.decide(nodeView({ phase: [], state: 'idle', budgetMb: 24_576 }))).toEqual(switchTo('stt', 'extract', 'rate'));
  });

  it('stays when no other group has work, and decides nothing while a switch is under way', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    expect(policy.decide(nodeView({ phase: ['extract'] }))).toEqual(STAY);
    for (const state of ['loading', 'draining', 'releasing'] as const) {
      expect(policy.decide(nodeView({ state, phase: ['stt'], groups: { rate: { waiting: 5, oldestWaitSec: 5000 } } }))).toEqual(STAY);
    }
  });

  it('lets a group whose oldest job waited past maxWaitSec run next, whatever the phase still has queued', () => {
    const policy = new AdaptivePolicy(SETTINGS);
    const view = (extractWait: number, rateWait: number) =>
      nodeView({
        phase: ['stt'],
        groups: {
          stt: { waiting: 20 },
          extract: { waiting: 1, oldestWaitSec: extractWait },
          rate: { waiting: 1, oldestWaitSec: rateWait },
        },
      });
    expect(policy.decide(view(599, 10))).toEqual(STAY);
    expect(policy.decide(view(600, 10))).toEqual(switchTo('extract'));
    // Of two starving groups, the one that waited longest goes first (not the most downstream).
    expect(policy.decide(view(900, 700))).toEqual(switchTo('extract'));
    expect(policy.decide(view(700, 900))).toEqual(switchTo('rate'));
  });

  describe('lingering for work on its way to the phase', () => {
    // stt is idle, three uploads are being checked on the CPU and extraction has work: switching now would mean
    // switching back for the uploads a moment later.
    const idleWithArrivals = (nowSec: number, fields: Partial<NodeView> = {}) =>
      nodeView({ nowSec, phase: ['stt'], groups: { stt: { upstream: 3 }, extract: { waiting: 2 } }, ...fields });

    it('stays up to lingerSec when that is shorter than a switch', () => {
      const policy = new AdaptivePolicy({ maxWaitSec: 600, lingerSec: 4 });
      expect(policy.decide(idleWithArrivals(100, { switchSec: 10 }))).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(103.9, { switchSec: 10 }))).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(104, { switchSec: 10 }))).toEqual(switchTo('extract'));
    });

    it('never stays longer than the measured switch time', () => {
      const policy = new AdaptivePolicy({ maxWaitSec: 600, lingerSec: 8 });
      expect(policy.decide(idleWithArrivals(100, { switchSec: 3 }))).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(102.9, { switchSec: 3 }))).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(103, { switchSec: 3 }))).toEqual(switchTo('extract'));
    });

    it('counts the linger from when the phase became idle, afresh after it had work again', () => {
      const policy = new AdaptivePolicy({ maxWaitSec: 600, lingerSec: 4 });
      expect(policy.decide(idleWithArrivals(100))).toEqual(STAY);
      // An upload arrived and ran: the phase was busy again.
      const busy = nodeView({ nowSec: 103, phase: ['stt'], groups: { stt: { waiting: 1, upstream: 2 }, extract: { waiting: 2 } } });
      expect(policy.decide(busy)).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(106))).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(109.9))).toEqual(STAY);
      expect(policy.decide(idleWithArrivals(110))).toEqual(switchTo('extract'));
    });

    it('does not linger for a group that has nothing on its way', () => {
      const policy = new AdaptivePolicy(SETTINGS);
      const view = nodeView({ phase: ['extract'], groups: { stt: { upstream: 3, waiting: 1 }, rate: { waiting: 0 } } });
      expect(policy.decide(view)).toEqual(switchTo('stt'));
    });

    it('gives way to a starving group while lingering', () => {
      const policy = new AdaptivePolicy({ maxWaitSec: 60, lingerSec: 8 });
      expect(policy.decide(idleWithArrivals(100))).toEqual(STAY);
      const starving = nodeView({ nowSec: 101, phase: ['stt'], groups: { stt: { upstream: 3 }, extract: { waiting: 2, oldestWaitSec: 60 } } });
      expect(policy.decide(starving)).toEqual(switchTo('extract'));
    });
  });

  describe('co-residency', () => {
    const BIG_CARD = 24_576;

    it('packs every group that fits beside the lead, resident ones first', () => {
      const on24 = (phase: NodeView['phase']) => nodeView({ budgetMb: BIG_CARD, phase });
      expect(phaseFor(on24([]), 'stt')).toEqual(['stt', 'extract', 'rate']);
      expect(phaseFor(on24([]), 'rate')).toEqual(['stt', 'extract', 'rate']);
      // 12 GB: stt (4.5) fits beside extract (5.1) or rate (5.6), the two LLMs do not fit together.
      const on12 = (phase: NodeView['phase'], waiting: Partial<Record<'stt' | 'extract' | 'rate', number>> = {}) =>
        nodeView({
          budgetMb: 12_288,
          phase,
          groups: { stt: { waiting: waiting.stt ?? 0 }, extract: { waiting: waiting.extract ?? 0 }, rate: { waiting: waiting.rate ?? 0 } },
        });
      expect(phaseFor(on12(['stt', 'extract']), 'rate')).toEqual(['stt', 'rate']);
      expect(phaseFor(on12(['stt', 'rate']), 'extract')).toEqual(['stt', 'extract']);
      // Neither resident: the one with work waiting joins the lead.
      expect(phaseFor(on12(['rate'], { extract: 3 }), 'stt')).toEqual(['stt', 'rate']);
      expect(phaseFor(on12([], { extract: 3 }), 'stt')).toEqual(['stt', 'extract']);
      // 8 GB: every group alone.
      expect(phaseFor(nodeView({ phase: ['stt'] }), 'rate')).toEqual(['rate']);
    });

    it('grants all three groups on a 24 GB card and then never switches, whatever the queues do', () => {
      const policy = new AdaptivePolicy({ maxWaitSec: 60, lingerSec: 8 });
      const first = policy.decide(nodeView({ budgetMb: BIG_CARD, phase: [], state: 'idle', groups: { stt: { waiting: 30 } } }));
      expect(first).toEqual(switchTo('stt', 'extract', 'rate'));

      const all = ['stt', 'extract', 'rate'] as NodeView['phase'];
      const queues = [
        { stt: { waiting: 30 } },
        { stt: { running: 8 }, extract: { waiting: 12, oldestWaitSec: 5000 } },
        { rate: { waiting: 3, oldestWaitSec: 9000 } },
        { stt: { upstream: 5 } },
        {},
      ];
      for (const groups of queues) {
        expect(policy.decide(nodeView({ budgetMb: BIG_CARD, phase: all, groups }))).toEqual(STAY);
      }
    });
  });

  it('orders groups downstream first', () => {
    expect(mostDownstream(['stt', 'rate', 'extract'])).toBe('rate');
    expect(mostDownstream(['stt', 'extract'])).toBe('extract');
    expect(mostDownstream(['stt'])).toBe('stt');
  });
});
