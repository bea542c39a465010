import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { STAGE_SUBJECT, StageMessage } from '@introeval/contracts';
import { JetStreamContext } from '@introeval/messaging';
import { RatingService } from './rating.service.js';

@Controller()
export class RatingConsumer {
  constructor(@Inject(RatingService) private readonly rating: RatingService) {}

  @EventPattern<string>(STAGE_SUBJECT.rate)
  async handle(@Payload() message: StageMessage, @Ctx() context: JetStreamContext): Promise<void> {
    await this.rating.process(message.jobId, { signal: context.signal, epoch: context.epoch });
  }
}
