import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { STAGE_SUBJECT, StageMessage } from '@introeval/contracts';
import { UploadService } from './upload.service.js';

@Controller()
export class UploadConsumer {
  constructor(@Inject(UploadService) private readonly upload: UploadService) {}

  @EventPattern<string>(STAGE_SUBJECT.upload)
  async handle(@Payload() message: StageMessage): Promise<void> {
    await this.upload.process(message.jobId);
  }
}
