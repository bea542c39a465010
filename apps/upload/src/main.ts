import { runWorker } from '@introeval/pipeline';
import { UploadConfig } from './upload.config.js';
import { UploadModule } from './upload.module.js';

runWorker({ name: 'upload', stage: 'upload', configClass: UploadConfig, module: UploadModule });
