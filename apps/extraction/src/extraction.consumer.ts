import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { STAGE_SUBJECT, StageMessage } from '@introeval/contracts';
import { JetStreamContext } from '@introeval/messaging';
import { ExtractionService } from './extraction.service.js';

@Controller()
export class ExtractionConsumer {
  constructor(@Inject(ExtractionService) private readonly extraction: ExtractionService) {}

  @EventPattern<string>(STAGE_SUBJECT.extract)
  async handle(@Payload() message: StageMessage, @Ctx() context: JetStreamContext): Promise<void> {
    await this.extraction.process(message.jobId, { signal: context.signal, epoch: context.epoch });
  }
}
