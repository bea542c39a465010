export { assertSpeechWav, encodeWav, parseWavHeader, readMonoSamples, readWavInfo, type WavInfo } from './wav.js';
