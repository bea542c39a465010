import { parseVolumedetect } from './ffmpeg.js';

describe('parseVolumedetect', () => {
  it('reads mean and max volume from the filter summary', () => {
    const stderr = [
      "Input #0, wav, from 'file:/tmp/a.wav':",
      '[Parsed_volumedetect_0 @ 0x55d0] n_samples: 840080',
      '[Parsed_volumedetect_0 @ 0x55d0] mean_volume: -15.4 dB',
      '[Parsed_volumedetect_0 @ 0x55d0] max_volume: -2.1 dB',
      '[Parsed_volumedetect_0 @ 0x55d0] histogram_2db: 11',
    ].join('\n');
    expect(parseVolumedetect(stderr)).toEqual({ meanDb: -15.4, maxDb: -2.1 });
  });

  it('reads digital silence and a clipped 0 dB peak', () => {
    expect(parseVolumedetect('mean_volume: -91.0 dB\nmax_volume: -91.0 dB')).toEqual({ meanDb: -91, maxDb: -91 });
    expect(parseVolumedetect('mean_volume: -3.0 dB\nmax_volume: 0.0 dB')).toEqual({ meanDb: -3, maxDb: 0 });
    expect(parseVolumedetect('mean_volume: -inf dB\nmax_volume: -inf dB')).toEqual({ meanDb: -Infinity, maxDb: -Infinity });
  });

  it('returns null when the summary is missing (no samples were decoded)', () => {
    expect(parseVolumedetect('Output file is empty, nothing was encoded')).toBeNull();
    expect(parseVolumedetect('mean_volume: -20.0 dB')).toBeNull();
  });
});
