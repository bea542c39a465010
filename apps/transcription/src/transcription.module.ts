import { Module } from '@nestjs/common';
import { sttEngineProvider } from './stt-engine.provider.js';
import { TranscriptionConsumer } from './transcription.consumer.js';
import { TranscriptionService } from './transcription.service.js';

@Module({ controllers: [TranscriptionConsumer], providers: [TranscriptionService, sttEngineProvider] })
export class TranscriptionModule {}
