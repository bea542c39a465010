import { IsInt, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config.js';
import { WorkerConfig } from './base.config.js';

class Sample extends WorkerConfig {
  @IsInt() @Min(1)
  LIMIT: number = 10;
}

describe('loadConfig', () => {
  it('uses defaults, converts types and ignores the rest of the environment', () => {
    const config = loadConfig(Sample, { LIMIT: '25', BACKOFF_MS: '10, 20', PATH: '/bin', NATS_URL: '' });
    expect(config.LIMIT).toBe(25);
    expect(config.BACKOFF_MS).toEqual([10, 20]);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect((config as unknown as Record<string, unknown>).PATH).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every invalid variable by name', () => {
    let error: unknown;
    try {
      loadConfig(Sample, { LIMIT: '0', NATS_URL: 'localhost', BACKOFF_MS: '1,x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    expect(text).toContain('LIMIT');
    expect(text).toContain('NATS_URL');
    expect(text).toContain('BACKOFF_MS');
  });
});
