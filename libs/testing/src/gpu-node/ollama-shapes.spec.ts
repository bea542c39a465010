import { describe, expect, it } from '@jest/globals';
import { modelDetails, parseKeepAlive, timingFields } from './ollama-shapes.js';

describe('parseKeepAlive', () => {
  it('reads numbers as seconds and strings as Go durations; negative means forever', () => {
    expect(parseKeepAlive(undefined)).toBeUndefined();
    expect(parseKeepAlive(0)).toBe(0);
    expect(parseKeepAlive(90)).toBe(90);
    expect(parseKeepAlive('0')).toBe(0);
    expect(parseKeepAlive('5m')).toBe(300);
    expect(parseKeepAlive('1h30m')).toBe(5400);
    expect(parseKeepAlive('1.5s')).toBe(1.5);
    expect(parseKeepAlive('250ms')).toBe(0.25);
    expect(parseKeepAlive(-1)).toBe(-1);
    expect(parseKeepAlive('-1m')).toBe(-1);
  });

  it('rejects what Ollama rejects', () => {
    expect(() => parseKeepAlive('5 minutes')).toThrow(/invalid duration/);
    expect(() => parseKeepAlive('-1')).toThrow(/invalid duration/); // Go needs a unit
    expect(() => parseKeepAlive(true)).toThrow(/keep_alive/);
  });
});

describe('modelDetails', () => {
  it('reads family, size and quantisation from the tag', () => {
    expect(
      modelDetails({ name: 'llama3:8b-instruct-q4_K_M', api: 'ollama', group: 'rate', vramMb: 1, loadSec: 1, serviceSec: 1, maxConcurrency: 1, gainAtMax: 1 }),
    ).toMatchObject({ format: 'gguf', family: 'llama', parameter_size: '8B', quantization_level: 'Q4_K_M' });
  });
});

describe('timingFields', () => {
  it('reports simulated time in nanoseconds and splits service between prompt and generation', () => {
    const t = timingFields({ arrivedAt: 2, startedAt: 10, endedAt: 25, loadWaitSec: 8, promptTokens: 2400, evalTokens: 67 });
    expect(t.total_duration).toBe(23e9);
    expect(t.load_duration).toBe(8e9);
    // 2400 prompt tokens take as long as 67 generated ones: half of the 15 s each.
    expect(t.prompt_eval_duration).toBe(7.5e9);
    expect(t.eval_duration).toBe(7.5e9);
    expect([t.prompt_eval_count, t.eval_count]).toEqual([2400, 67]);
  });
});
