import { runWorker } from '@introeval/pipeline';
import { ExtractionConfig } from './extraction.config.js';
import { ExtractionModule } from './extraction.module.js';

runWorker({ name: 'extraction', stage: 'extract', configClass: ExtractionConfig, module: ExtractionModule });
