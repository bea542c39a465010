import { headerValue } from './dead-letter.publisher.js';

describe('headerValue', () => {
  it('keeps a header value on one bounded line', () => {
    expect(headerValue('engine\r\nfailed\n')).toBe('engine failed');
    expect(headerValue('')).toBe('-');
    const long = headerValue('x'.repeat(5000));
    expect(long).toHaveLength(1024);
    expect(long.endsWith('...')).toBe(true);
  });
});
