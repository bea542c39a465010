import { Module } from '@nestjs/common';
import { UploadConsumer } from './upload.consumer.js';
import { UploadService } from './upload.service.js';

@Module({ controllers: [UploadConsumer], providers: [UploadService] })
export class UploadModule {}
