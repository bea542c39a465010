import { Module } from '@nestjs/common';
import { extractionEngineProvider } from './extraction-engine.provider.js';
import { ExtractionConsumer } from './extraction.consumer.js';
import { ExtractionService } from './extraction.service.js';

@Module({ controllers: [ExtractionConsumer], providers: [ExtractionService, extractionEngineProvider] })
export class ExtractionModule {}
