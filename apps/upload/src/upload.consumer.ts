import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { STAGE_SUBJECT, StageMessage } from '@introeval/contracts';
import { JetStreamContext } from '@introeval/messaging';
import { UploadService } from './upload.service.js';

@Controller()
export class UploadConsumer {
  constructor(@Inject(UploadService) private readonly upload: UploadService) {}

  @EventPattern<string>(STAGE_SUBJECT.upload)
  async handle(@Payload() message: StageMessage, @Ctx() context: JetStreamContext): Promise<void> {
    await this.upload.process(message.jobId, context.signal);
  }
}
