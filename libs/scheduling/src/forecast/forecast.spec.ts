import { describe, expect, it } from '@jest/globals';
import { forecast } from './forecast.js';
import { input, node, NOW, running, service, waiting } from './forecast.fixture.js';
import type { Forecast, JobForecast } from './forecast.types.js';

// Every answer below is worked out by hand in the comments; t = 1000 is "now" (NOW) in every case.

function job(result: Forecast, id: string): JobForecast {
  const found = result.jobs.get(id);
  if (!found) throw new Error(`no forecast for ${id}`);
  return found;
}

describe('forecast', () => {
  it('one phase: jobs queued in the granted phase share the engine, a batch at a time', () => {
    // gpu-0 grants rating; rating takes 4 s per job at concurrency 2 (the measured throughput, shared by the two).
    // a, b start at 1000 at half speed each: both end at 1000 + 2 x 4 = 1008; c then runs alone: 1008 + 4 = 1012.
    const result = forecast(
      input({
        nodes: [node('gpu-0', { lease: { phase: ['rate'] }, groups: { rate: service(4, 2) } })],
        jobs: [waiting('a', 'rate'), waiting('b', 'rate'), waiting('c', 'rate')],
      }),
    );
    expect(job(result, 'a').completeAtSec).toBeCloseTo(1008);
    expect(job(result, 'b').completeAtSec).toBeCloseTo(1008);
    expect(job(result, 'c').completeAtSec).toBeCloseTo(1012);
    expect(job(result, 'c').stages).toEqual([{ stage: 'rate', position: 3, startSec: 1008, endSec: expect.closeTo(1012), node: 'gpu-0' }]);
    expect(job(result, 'a').stages[0].position).toBe(1);
    expect(job(result, 'c').switchAhead).toBeNull();
    expect(result.nodes.get('gpu-0')).toEqual({ switches: [] });
    // No spread measured: ±10 %, i.e. 3.6 s and 4.4 s per job: c at 1000 + 3 x 3.6 = 1010.8 and 1000 + 3 x 4.4 = 1013.2.
    expect(job(result, 'c').lowSec).toBeCloseTo(1010.8);
    expect(job(result, 'c').highSec).toBeCloseTo(1013.2);
    expect(result.basis).toBe(
      'replay of the adaptive policy on gpu-0 over 3 jobs (3 waiting, 0 running); 2.0 s per speech-to-text job, ' +
        '5.0 s per profile extraction job, 4.0 s per rating job, 8.0 s per switch; 1.0 s per media checking job on 1 slot; ' +
        'range ±10% where no spread is measured yet',
    );
  });

  it('a batching engine: a job alone takes gainAtMax times the measured time, a full engine the measured time each', () => {
    // Rating measured at 2 s per job with 4 running (throughput), gain 3 at concurrency 4: a job alone takes 6 s, and
    // n together advance at gain(n) / n = (1 + 2(n - 1) / 3) / n of a job alone per second.
    const rate = (jobs: number) =>
      forecast(
        input({
          nodes: [node('gpu-0', { lease: { phase: ['rate'] }, groups: { rate: { ...service(2, 4), gainAtMax: 3 } } })],
          jobs: Array.from({ length: jobs }, (_, i) => waiting(`r${i}`, 'rate')),
        }),
      );
    // Alone: 6 s.
    expect(job(rate(1), 'r0').completeAtSec).toBeCloseTo(1006);
    // Four at once: gain 3, each at 3/4 of a job alone per second: 6 / 0.75 = 8 s for the four, 2 s per job.
    const four = rate(4);
    for (let i = 0; i < 4; i++) expect(job(four, `r${i}`).completeAtSec).toBeCloseTo(1008);
    // Two: gain 1 + 2/3 = 5/3, each at 5/6 per second: 7.2 s.
    expect(job(rate(2), 'r1').completeAtSec).toBeCloseTo(1007.2);
  });

  it('a pending switch: the job waits for the node to switch, and each switch costs its release + load', () => {
    // gpu-0 grants speech-to-text with nothing to do; two text submissions wait for extraction (5 s, one at a time).
    // The adaptive policy switches at once (nothing is on its way to speech-to-text): drain is empty, release + load
    // 8 s: extraction granted at 1008. x1 1008-1013, x2 1013-1018. At 1013 x2 starts, extraction has nothing left to
    // start and rating waits: the switch starts at 1013, its drain waits for x2 (1018), rating granted at 1026.
    // Rating 10 s each: x1 1026-1036, x2 1036-1046.
    const result = forecast(input({ jobs: [waiting('x1', 'extract'), waiting('x2', 'extract')] }));
    expect(job(result, 'x1').completeAtSec).toBeCloseTo(1036);
    expect(job(result, 'x2').completeAtSec).toBeCloseTo(1046);
    expect(job(result, 'x1').switchAhead).toEqual({ node: 'gpu-0', phase: ['extract'], atSec: 1000 });
    expect(job(result, 'x2').stages).toEqual([
      { stage: 'extract', position: 2, startSec: expect.closeTo(1013), endSec: expect.closeTo(1018), node: 'gpu-0' },
      { stage: 'rate', position: 2, startSec: expect.closeTo(1036), endSec: expect.closeTo(1046), node: 'gpu-0' },
    ]);
    expect(result.nodes.get('gpu-0')!.switches).toEqual([
      { atSec: 1000, phase: ['extract'], grantAtSec: expect.closeTo(1008) },
      { atSec: expect.closeTo(1013), phase: ['rate'], grantAtSec: expect.closeTo(1026) },
    ]);
  });

  it('the range comes from the measured spreads of service and switch times (low <= ETA <= high)', () => {
    // As above, with extraction 5 ± 1 s, rating 10 ± 2 s, a switch 8 ± 2 s.
    // Fast: grant 1006; x1 1006-1010, x2 1010-1014 (the switch to rating starts at 1010, drains at 1014); rating
    // granted 1014 + 6 = 1020; x1 1020-1028.
    // Slow: grant 1010; x1 1010-1016, x2 1016-1022; rating granted 1022 + 10 = 1032; x1 1032-1044.
    const result = forecast(
      input({
        nodes: [
          node('gpu-0', {
            switchSpreadSec: 2,
            groups: { stt: { spreadSec: 0.5 }, extract: { spreadSec: 1 }, rate: { spreadSec: 2 } },
          }),
        ],
        jobs: [waiting('x1', 'extract'), waiting('x2', 'extract')],
      }),
    );
    const x1 = job(result, 'x1');
    expect([x1.lowSec, x1.completeAtSec, x1.highSec].map((t) => Math.round(t * 1000) / 1000)).toEqual([1028, 1036, 1044]);
    for (const each of result.jobs.values()) {
      expect(each.lowSec).toBeLessThanOrEqual(each.completeAtSec);
      expect(each.completeAtSec).toBeLessThanOrEqual(each.highSec);
    }
    expect(result.basis).toMatch(/range from the measured spread$/);
  });

  it('never forecasts a negative time when the spread exceeds the mean', () => {
    // Rating 4 ± 10 s: the fast replay takes 0 s per job, not -6 s, so the low end is now itself.
    const result = forecast(
      input({ nodes: [node('gpu-0', { lease: { phase: ['rate'] }, groups: { rate: service(4, 1, 10) } })], jobs: [waiting('a', 'rate')] }),
    );
    expect(job(result, 'a').lowSec).toBe(NOW);
    expect(job(result, 'a').completeAtSec).toBeCloseTo(1004);
    expect(job(result, 'a').highSec).toBeCloseTo(1014);
  });

  it('several nodes share the queue of the group they both grant', () => {
    // Two nodes grant rating (10 s, one at a time). They take the queue's head in turn:
    // r1 gpu-0 and r2 gpu-1 1000-1010, r3 gpu-0 and r4 gpu-1 1010-1020. One node alone would end r4 at 1040.
    const jobs = [waiting('r1', 'rate'), waiting('r2', 'rate'), waiting('r3', 'rate'), waiting('r4', 'rate')];
    const two = forecast(input({ nodes: [node('gpu-0', { lease: { phase: ['rate'] } }), node('gpu-1', { lease: { phase: ['rate'] } })], jobs }));
    expect(['r1', 'r2', 'r3', 'r4'].map((id) => Math.round(job(two, id).completeAtSec))).toEqual([1010, 1010, 1020, 1020]);
    expect(job(two, 'r3').stages[0]).toMatchObject({ position: 3, node: 'gpu-0' });
    expect(job(two, 'r4').stages[0]).toMatchObject({ position: 4, node: 'gpu-1' });
    expect(two.basis).toMatch(/^replay of the adaptive policy on gpu-0 and gpu-1 over 4 jobs/);
    const one = forecast(input({ nodes: [node('gpu-0', { lease: { phase: ['rate'] } })], jobs }));
    expect(Math.round(job(one, 'r4').completeAtSec)).toBe(1040);
  });

  it('co-resident groups on a big card: the stages run side by side and the node never switches', () => {
    // 24 GB: all three groups granted together, each engine one job at a time. The text job t extracts 1000-1005 and
    // rates 1005-1015 while the media job m transcribes 1000-1002 (side by side), then extracts behind t 1005-1010,
    // then rates behind t 1015-1025.
    const result = forecast(
      input({
        nodes: [node('gpu-big', { budgetMb: 24_576, lease: { phase: ['stt', 'extract', 'rate'] } })],
        jobs: [waiting('m', 'transcribe'), waiting('t', 'extract')],
      }),
    );
    expect(job(result, 't').completeAtSec).toBeCloseTo(1015);
    expect(job(result, 'm').completeAtSec).toBeCloseTo(1025);
    expect(job(result, 'm').stages.map((s) => [s.stage, s.startSec, s.endSec])).toEqual([
      ['transcribe', 1000, expect.closeTo(1002)],
      ['extract', expect.closeTo(1005), expect.closeTo(1010)],
      ['rate', expect.closeTo(1015), expect.closeTo(1025)],
    ]);
    expect(job(result, 'm').switchAhead).toBeNull();
    expect(result.nodes.get('gpu-big')).toEqual({ switches: [] });
  });

  it('a job behind a long queue pays for the switches the queue ahead of it causes', () => {
    // Ten jobs wait for transcription (1 s per job at concurrency 2: a pair every 2 s; extraction 2 s per job at
    // concurrency 2: a pair every 4 s; rating 3 s, one at a time).
    // Transcription: pairs end 1002, 1004, ..., 1010; at 1008 the last pair starts, nothing is left to start, so the
    // node switches to extraction at 1008: the drain waits for that pair (1010), + 8 s: extraction granted at 1018.
    // Extraction: pairs end 1022, 1026, 1030, 1034, 1038; at 1034 the last pair starts: switch to rating at 1034, the
    // drain ends 1038, rating granted at 1046. Rating one at a time, 3 s: j10 is tenth, 1046 + 27 = 1073 to 1076.
    // (The naive "position x mean time" would say 10 x (1 + 2 + 3) s = 1060, missing both switches.)
    const ids = Array.from({ length: 10 }, (_, i) => `j${i + 1}`);
    const result = forecast(
      input({
        nodes: [node('gpu-0', { groups: { stt: service(1, 2), extract: service(2, 2), rate: service(3) } })],
        jobs: ids.map((id) => waiting(id, 'transcribe')),
      }),
    );
    const j10 = job(result, 'j10');
    expect(j10.completeAtSec).toBeCloseTo(1076);
    expect(j10.stages.map((s) => [s.stage, s.position, Math.round(s.startSec), Math.round(s.endSec)])).toEqual([
      ['transcribe', 10, 1008, 1010],
      ['extract', 10, 1034, 1038],
      ['rate', 10, 1073, 1076],
    ]);
    // Its next start (transcription, 1008) is under the phase granted now: no switch ahead of it.
    expect(j10.switchAhead).toBeNull();
    expect(job(result, 'j1').completeAtSec).toBeCloseTo(1049);
    expect(result.nodes.get('gpu-0')!.switches.map((s) => [Math.round(s.atSec), s.phase, Math.round(s.grantAtSec)])).toEqual([
      [1008, ['extract'], 1018],
      [1034, ['rate'], 1046],
    ]);
  });

  it('gives the same answers at epoch seconds as at t = 1000: the replay tolerances never swallow work', () => {
    // The long-queue case above, with "now" a wall-clock time in seconds (what the status service passes). A
    // tolerance scaled by the absolute time (1e-9 x 1.8e9 = 1.8 s) would finish every sub-second step at once.
    const ids = Array.from({ length: 10 }, (_, i) => `j${i + 1}`);
    const at = (nowSec: number) => {
      const shift = nowSec - NOW;
      const base = input({
        nodes: [node('gpu-0', { groups: { stt: service(0.3, 2), extract: service(0.7, 2), rate: service(1.1) } })],
        jobs: ids.map((id) => waiting(id, 'transcribe')),
      });
      return forecast({
        ...base,
        nowSec,
        jobs: base.jobs.map((j) => ({ ...j, queuedAtSec: j.queuedAtSec + shift })),
        nodes: base.nodes.map((n) => ({ ...n, lease: { ...n.lease, sinceSec: n.lease.sinceSec + shift } })),
      });
    };
    const reference = at(NOW);
    const wallClock = at(1_796_419_712.382);
    for (const id of ids) {
      expect(job(wallClock, id).completeAtSec - 1_796_419_712.382).toBeCloseTo(job(reference, id).completeAtSec - NOW, 6);
      expect(job(wallClock, id).stages.map((s) => s.position)).toEqual(job(reference, id).stages.map((s) => s.position));
    }
    // And the answer is the work, not zero: ten rating jobs of 1.1 s one at a time come last, after two switches.
    expect(job(reference, 'j10').completeAtSec - NOW).toBeGreaterThan(10 * 1.1 + 2 * 8);
  });

  it('a switch under way (draining): it waits for the running job, then release + load', () => {
    // gpu-0 drains speech-to-text (since 995) towards extraction. s1 runs on it since 998 (4 s per job, alone): 2 s
    // left, ends 1002; the drain ends then, extraction granted at 1002 + 8 = 1010. x (queued at 990) extracts
    // 1010-1015, s1 (queued behind it at 1002) 1015-1020. At 1015 nothing is left to start: switch to rating, the
    // drain ends 1020, rating granted at 1028: x 1028-1038, s1 1038-1048.
    const result = forecast(
      input({
        nodes: [node('gpu-0', { lease: { phase: ['stt'], state: 'draining', sinceSec: 995, next: ['extract'] }, groups: { stt: service(4) } })],
        jobs: [waiting('x', 'extract'), running('s1', 'transcribe', 998, 'gpu-0')],
      }),
    );
    expect(job(result, 'x').completeAtSec).toBeCloseTo(1038);
    expect(job(result, 's1').completeAtSec).toBeCloseTo(1048);
    expect(job(result, 'x').switchAhead).toEqual({ node: 'gpu-0', phase: ['extract'], atSec: 995 });
    expect(job(result, 's1').stages[0]).toEqual({ stage: 'transcribe', position: 0, startSec: 998, endSec: expect.closeTo(1002), node: 'gpu-0' });
    // s1's next start (extraction at 1015) is under the grant of 1010, made after it was ready at 1002.
    expect(job(result, 's1').switchAhead).toEqual({ node: 'gpu-0', phase: ['extract'], atSec: 995 });
    expect(result.nodes.get('gpu-0')!.switches.map((s) => [s.atSec, s.phase, Math.round(s.grantAtSec)])).toEqual([
      [995, ['extract'], 1010],
      [expect.closeTo(1015), ['rate'], 1028],
    ]);
  });

  it('a switch under way (loading): what is left of release + load, then the phase', () => {
    // Loading extraction since 996 of an 8 s switch: 4 s left, granted at 1004. x extracts 1004-1009; at 1009 the
    // node switches to rating (nothing else waits), granted 1017; x rates 1017-1027.
    const result = forecast(
      input({
        nodes: [node('gpu-0', { lease: { phase: ['extract'], state: 'loading', sinceSec: 996, next: ['extract'] } })],
        jobs: [waiting('x', 'extract')],
      }),
    );
    expect(job(result, 'x').completeAtSec).toBeCloseTo(1027);
    expect(job(result, 'x').stages[0].startSec).toBeCloseTo(1004);
  });

  it('evaluates the policy at its deadlines: a linger that runs out, and a job waiting past max wait', () => {
    // Linger: speech-to-text is idle, an upload (30 s per check, started at 990) ends only at 1020, and extraction
    // has a job. The policy lingers for min(8 s linger, 8 s switch) from 1000 and switches at 1008, not at a tick.
    const linger = forecast(
      input({
        stageTimes: { upload: service(30) },
        jobs: [running('u', 'upload', 990), waiting('x', 'extract')],
      }),
    );
    expect(linger.nodes.get('gpu-0')!.switches[0]).toEqual({ atSec: 1008, phase: ['extract'], grantAtSec: 1016 });
    expect(job(linger, 'x').stages[0].startSec).toBeCloseTo(1016);

    // Max wait 30 s: x has waited since 980 while 40 jobs keep speech-to-text busy (1 s each). At 1010 it has waited
    // 30 s: the switch starts then; the job started at 1010 drains at 1011; extraction granted at 1019.
    const starving = forecast(
      input({
        policy: { name: 'adaptive', maxWaitSec: 30, lingerSec: 8 },
        nodes: [node('gpu-0', { groups: { stt: service(1) } })],
        jobs: [waiting('x', 'extract', 980), ...Array.from({ length: 40 }, (_, i) => waiting(`s${i}`, 'transcribe'))],
      }),
    );
    expect(starving.nodes.get('gpu-0')!.switches[0]).toEqual({ atSec: 1010, phase: ['extract'], grantAtSec: 1019 });
    expect(job(starving, 'x').stages[0].startSec).toBeCloseTo(1019);
  });

  it('without GPU nodes, every stage runs ungated on its workers slots, and a stage with no worker stalls', () => {
    // Upload 1 s on one slot, transcription 3 s on two, extraction 2 s and rating 4 s on one each.
    // m1 has uploaded since 999.5 (0.5 s left): upload ends 1000.5, transcribes 1000.5-1003.5, extracts 1003.5-1005.5,
    // rates 1005.5-1009.5. m2 uploads 1000.5-1001.5, transcribes 1001.5-1004.5 (the second slot), waits for
    // extraction until 1005.5, extracts to 1007.5, waits for rating until 1009.5, rates to 1013.5.
    const stageTimes = { upload: service(1), transcribe: service(3, 2), extract: service(2), rate: service(4) };
    const result = forecast(input({ nodes: [], stageTimes, jobs: [running('m1', 'upload', 999.5), waiting('m2', 'upload')] }));
    expect(job(result, 'm1').completeAtSec).toBeCloseTo(1009.5);
    expect(job(result, 'm2').completeAtSec).toBeCloseTo(1013.5);
    expect(job(result, 'm2').stages.map((s) => [s.stage, s.position, s.startSec, s.node])).toEqual([
      ['upload', 1, 1000.5, null],
      ['transcribe', 2, 1001.5, null],
      ['extract', 2, 1005.5, null],
      ['rate', 2, 1009.5, null],
    ]);
    expect(job(result, 'm2').switchAhead).toBeNull();
    expect(job(result, 'm2').stalledAt).toBeNull();
    expect(result.basis).toBe(
      'replay of the ungated workers (no GPU nodes) over 2 jobs (1 waiting, 1 running); 1.0 s per media checking job on 1 slot, ' +
        '3.0 s per speech-to-text job on 2 slots, 2.0 s per profile extraction job on 1 slot, 4.0 s per rating job on 1 slot; ' +
        'range ±10% where no spread is measured yet',
    );

    const stalled = forecast(input({ nodes: [], stageTimes: { ...stageTimes, extract: { ...service(2), workers: 0 } }, jobs: [waiting('m', 'upload')] }));
    expect(job(stalled, 'm')).toMatchObject({ stalledAt: 'extract', completeAtSec: Infinity, lowSec: Infinity, highSec: Infinity });
    expect(job(stalled, 'm').stages.map((s) => [s.stage, s.endSec])).toEqual([
      ['upload', 1001],
      ['transcribe', 1004],
      ['extract', Infinity],
      ['rate', Infinity],
    ]);
  });

  it('is deterministic: the same input gives the same forecast', () => {
    const make = () =>
      input({
        nodes: [node('gpu-0'), node('gpu-1', { lease: { phase: ['extract'] } })],
        jobs: [waiting('a', 'transcribe'), waiting('b', 'extract'), running('c', 'rate', 995, 'gpu-1'), waiting('d', 'upload')],
      });
    expect(forecast(make())).toEqual(forecast(make()));
  });
});
