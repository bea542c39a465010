import { Module } from '@nestjs/common';
import { ratingEngineProvider, rubricProvider } from './rating-engine.provider.js';
import { RatingConsumer } from './rating.consumer.js';
import { RatingService } from './rating.service.js';

@Module({ controllers: [RatingConsumer], providers: [RatingService, rubricProvider, ratingEngineProvider] })
export class RatingModule {}
