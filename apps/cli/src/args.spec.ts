import { DEFAULT_TIMEOUT_SEC, parse, USAGE, UsageError } from './args.js';

describe('parse', () => {
  it('defaults --timeout to 30 minutes and takes seconds', () => {
    expect(DEFAULT_TIMEOUT_SEC).toBe(1800);
    expect(parse(['get', 'x', '--wait'], {}).options.timeoutSec).toBe(1800);
    expect(parse(['get', 'x', '--wait', '--timeout', '90'], {}).options.timeoutSec).toBe(90);
    expect(parse(['submit', 'f', '--wait', '--timeout', '2.5'], {}).options.timeoutSec).toBe(2.5);
  });

  it('rejects a timeout that is not a positive number of seconds, or one without --wait', () => {
    for (const value of ['0', '-1', 'ten', '', '1e3', 'Infinity']) {
      expect(() => parse(['get', 'x', '--wait', `--timeout=${value}`], {})).toThrow(UsageError);
    }
    expect(() => parse(['get', 'x', '--timeout', '10'], {})).toThrow('--timeout goes with --wait');
    expect(() => parse(['get', 'x', '--wait', '--timeout'], {})).toThrow(UsageError);
    expect(() => parse(['get', 'x', '--tiemout', '10'], {})).toThrow(UsageError);
  });

  it('takes the URL and admin token from the environment unless given', () => {
    const env = { INTROEVAL_URL: 'http://gw:1', INTROEVAL_ADMIN_TOKEN: 't' };
    expect(parse(['get', 'x'], env).options).toMatchObject({ url: 'http://gw:1', adminToken: 't' });
    expect(parse(['get', 'x', '--url', 'http://other:2'], env).options.url).toBe('http://other:2');
    expect(parse(['get', 'x'], {}).options.url).toBe('http://localhost:8080');
    expect(() => parse(['get', 'x', '--url', 'localhost:8080'], {})).toThrow(UsageError);
    expect(() => parse(['get', 'x'], { INTROEVAL_URL: 'not a url' })).toThrow(UsageError);
  });

  it('documents --timeout and the exit statuses in the usage text', () => {
    expect(USAGE).toContain('[--wait [--timeout SECONDS]]');
    expect(USAGE).toContain('default 1800');
    expect(USAGE).toMatch(/exit status: 0 completed \(or accepted\), 2 the evaluation failed, 1 usage or connection error, or --timeout reached/);
  });
});
