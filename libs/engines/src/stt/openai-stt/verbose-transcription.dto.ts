import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsNumber, IsOptional, IsString, ValidateNested } from 'class-validator';

/** One word of `verbose_json` with word timestamps (OpenAI's shape; speaches adds `probability`). */
export class TranscriptionWordDto {
  @IsString()
  word!: string;

  @IsNumber()
  start!: number;

  @IsNumber()
  end!: number;

  @IsOptional()
  @IsNumber()
  probability?: number;
}

/** A segment; some servers (whisper.cpp, older speaches) put the words here instead of at the top level. */
export class TranscriptionSegmentDto {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TranscriptionWordDto)
  words?: TranscriptionWordDto[];
}

/**
 * `POST /v1/audio/transcriptions` answered with `response_format=verbose_json`: only the fields the adapter reads
 * are checked; servers add others freely. (`duration` is not read: the WAV header states it exactly.)
 */
export class VerboseTranscriptionDto {
  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  language?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TranscriptionWordDto)
  words?: TranscriptionWordDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TranscriptionSegmentDto)
  segments?: TranscriptionSegmentDto[];
}
