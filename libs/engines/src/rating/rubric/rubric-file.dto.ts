import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CRITERIA, type Criterion } from './rubric.types.js';

// The shape of a rubric file. Messages name only the problem: the loader prefixes each with the field's path
// (e.g. `criteria[clarity].anchors.3: is missing`). Cross-field rules (the five ids, weights summing to 100) are
// checked by the loader once the shape is right. Every property carries an explicit type for swc's metadata.

const missing = { message: 'is missing' };
const text = { message: 'must be a non-empty text' };

export class RubricAnchorsFileDto {
  @IsDefined(missing) @IsString(text) @MinLength(1, text)
  '1'!: string;

  @IsDefined(missing) @IsString(text) @MinLength(1, text)
  '3'!: string;

  @IsDefined(missing) @IsString(text) @MinLength(1, text)
  '5'!: string;
}

export class RubricCriterionFileDto {
  @IsDefined(missing)
  @IsIn(CRITERIA, { message: `must be one of ${CRITERIA.join(', ')} (got $value)` })
  id!: Criterion;

  @IsDefined(missing) @IsInt({ message: 'must be a whole number' }) @Min(1, { message: 'must be at least 1' })
  @Max(100, { message: 'must be at most 100' })
  weight!: number;

  @IsDefined(missing) @IsString(text) @MinLength(1, text)
  description!: string;

  @IsDefined(missing)
  @IsObject({ message: 'must be an object with the anchors "1", "3" and "5"' })
  @ValidateNested()
  @Type(() => RubricAnchorsFileDto)
  anchors!: RubricAnchorsFileDto;
}

const wordCount = [
  IsDefined(missing),
  IsInt({ message: 'must be a whole number of words' }),
  Min(20, { message: 'must be at least 20 words' }),
  Max(1000, { message: 'must be at most 1000 words' }),
];
const scoreCap = [
  IsDefined(missing),
  IsInt({ message: 'must be a score 1..5' }),
  Min(1, { message: 'must be a score 1..5' }),
  Max(5, { message: 'must be a score 1..5' }),
];

/** Decorators applied in order, so a list can be shared by several properties. */
function applyAll(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class RubricGuardsFileDto {
  @applyAll(wordCount)
  shortAnswerWords!: number;

  // A short answer must not score high on content, whatever the file says: 3 is the most a cap may allow.
  @IsDefined(missing) @IsInt({ message: 'must be a score 1..3' }) @Min(1, { message: 'must be a score 1..3' })
  @Max(3, { message: 'must be at most 3: a short answer must not score high on content' })
  shortAnswerContentMax!: number;

  @applyAll(scoreCap)
  shortAnswerOtherMax!: number;

  @applyAll(wordCount)
  briefAnswerWords!: number;

  @applyAll(scoreCap)
  briefAnswerContentMax!: number;

  @applyAll(scoreCap)
  textDeliveryMax!: number;
}

export class RubricFileDto {
  @IsDefined(missing)
  @IsString(text)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, {
    message: 'must be 1-64 letters, digits, ".", "_", "+" or "-" (it goes into every result), e.g. "rubric-2026.2"',
  })
  version!: string;

  /** Free text for the people who edit the file. */
  @IsOptional() @IsString(text)
  description?: string;

  @IsDefined(missing)
  @IsArray({ message: 'must be a list of the five criteria' })
  @ArrayNotEmpty({ message: 'must be a list of the five criteria' })
  @IsObject({ each: true, message: 'must hold one object per criterion' })
  @ValidateNested({ each: true })
  @Type(() => RubricCriterionFileDto)
  criteria!: RubricCriterionFileDto[];

  @IsDefined(missing)
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => RubricGuardsFileDto)
  guards!: RubricGuardsFileDto;
}
