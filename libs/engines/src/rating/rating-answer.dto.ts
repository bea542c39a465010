import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { JUSTIFICATION_MAX_LENGTH } from './rating.schema.js';

// Messages name the rule and stand on their own: they go back to the model verbatim in the repair turn, where the
// validator prefixes them with the path (`content: score must be ...`).

export class CriterionAnswerDto {
  @IsString({ message: 'justification must be a string' })
  @MinLength(1, { message: 'justification must not be empty' })
  @MaxLength(JUSTIFICATION_MAX_LENGTH, { message: `justification must be at most ${JUSTIFICATION_MAX_LENGTH} characters` })
  justification!: string;

  @IsInt({ message: 'score must be a whole number from 1 to 5' })
  @Min(1, { message: 'score must be a whole number from 1 to 5' })
  @Max(5, { message: 'score must be a whole number from 1 to 5' })
  score!: number;
}

const criterion = (name: string): PropertyDecorator[] => [
  IsDefined({ message: `${name} is missing: give it as {"justification": "...", "score": 1-5}` }),
  IsObject({ message: `${name} must be an object {"justification": "...", "score": 1-5}` }),
  ValidateNested(),
  Type(() => CriterionAnswerDto),
];

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** The rating answer as the model must give it (RATING_JSON_SCHEMA). */
export class RatingAnswerDto {
  @apply(criterion('content'))
  content!: CriterionAnswerDto;

  @apply(criterion('structure'))
  structure!: CriterionAnswerDto;

  @apply(criterion('clarity'))
  clarity!: CriterionAnswerDto;

  @apply(criterion('professionalism'))
  professionalism!: CriterionAnswerDto;
}
