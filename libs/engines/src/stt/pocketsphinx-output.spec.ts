import { parseWordLine } from './pocketsphinx-output.js';

describe('parseWordLine', () => {
  it('reads a word line and keeps the posterior as confidence', () => {
    expect(parseWordLine('morning 0.350 0.750 0.992825')).toEqual({ w: 'morning', start: 0.35, end: 0.75, conf: 0.992825 });
  });

  it('strips alternative-pronunciation markers and shifts by the chunk offset', () => {
    expect(parseWordLine('good(2) 0.210 0.340 0.280622', 20.5)).toEqual({ w: 'good', start: 20.71, end: 20.84, conf: 0.280622 });
  });

  it.each(['<s> 0.000 0.200 0.999000', '</s> 45.1 45.2 1.000000', '<sil> 1.420 1.670 0.858458', '[NOISE] 3.1 3.4 0.5', '++BREATH++ 1 2 0.3'])(
    'drops silence and noise: %s',
    (line) => expect(parseWordLine(line)).toBeNull(),
  );

  it('ignores hypothesis lines, blank lines and log noise', () => {
    expect(parseWordLine('thank you very much')).toBeNull();
    expect(parseWordLine('good morning everyone my name is')).toBeNull();
    expect(parseWordLine('')).toBeNull();
    expect(parseWordLine('INFO: cmn_live.c(120): Update from < 40.00 3.00 -1.00 >')).toBeNull();
  });

  it('clamps the confidence to 0..1', () => {
    expect(parseWordLine('yes 1 2 1.0002')?.conf).toBe(1);
    expect(parseWordLine('yes 1 2 -0.5')?.conf).toBe(0);
  });
});
