import { describe, expect, it } from '@jest/globals';
import { STAGES } from '@introeval/contracts';
import { forecast } from './forecast.js';
import { input, node, running, service, waiting } from './forecast.fixture.js';
import type { ForecastInput } from './forecast.types.js';

/** 100 jobs spread over every stage on two 8 GB nodes, with a few running: a busy class. */
function busyClass(): ForecastInput {
  const jobs = Array.from({ length: 100 }, (_, i) => {
    const stage = STAGES[i % STAGES.length];
    return i < 6 ? running(`j${i}`, stage, 997, i % 2 ? 'gpu-1' : 'gpu-0') : waiting(`j${i}`, stage, 900 + i);
  });
  const groups = { stt: service(3, 8, 0.4), extract: service(7, 4, 1), rate: service(11, 4, 2) };
  return input({
    nodes: [node('gpu-0', { groups }), node('gpu-1', { groups, lease: { phase: ['extract'] } })],
    stageTimes: { upload: service(1, 2, 0.2) },
    jobs,
  });
}

describe('forecast speed', () => {
  it('forecasts 100 jobs on two nodes (three replays) in a few milliseconds', () => {
    const subject = busyClass();
    for (let i = 0; i < 20; i++) forecast(subject); // warm the JIT
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      const result = forecast(subject);
      times.push(performance.now() - started);
      expect(result.jobs.size).toBe(100);
    }
    times.sort((a, b) => a - b);
    const median = times[50];
    process.stdout.write(`forecast of 100 jobs on 2 nodes: median ${median.toFixed(2)} ms, p90 ${times[90].toFixed(2)} ms\n`);
    // Generous for a loaded CI machine; measured well under this (docs/scheduling.md, "Forecast").
    expect(median).toBeLessThan(20);
    for (const job of forecast(subject).jobs.values()) expect(job.completeAtSec).toBeLessThan(Infinity);
  });
});
