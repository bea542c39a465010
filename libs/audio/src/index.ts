export { assertSpeechWav, encodeWav, parseWavHeader, readMonoSamples, readWavInfo, type WavInfo } from './wav.js';
export { measureWavVolume, type VolumeStats } from './volume.js';
