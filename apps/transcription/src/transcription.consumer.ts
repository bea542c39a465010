import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { STAGE_SUBJECT, StageMessage } from '@introeval/contracts';
import { JetStreamContext } from '@introeval/messaging';
import { TranscriptionService } from './transcription.service.js';

@Controller()
export class TranscriptionConsumer {
  constructor(@Inject(TranscriptionService) private readonly transcription: TranscriptionService) {}

  @EventPattern<string>(STAGE_SUBJECT.transcribe)
  async handle(@Payload() message: StageMessage, @Ctx() context: JetStreamContext): Promise<void> {
    await this.transcription.process(message.jobId, { signal: context.signal, epoch: context.epoch });
  }
}
