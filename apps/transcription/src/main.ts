import { runWorker } from '@introeval/pipeline';
import { TranscriptionConfig } from './transcription.config.js';
import { TranscriptionModule } from './transcription.module.js';

runWorker({ name: 'transcription', stage: 'transcribe', configClass: TranscriptionConfig, module: TranscriptionModule });
