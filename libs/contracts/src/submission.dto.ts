import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Longest accepted text submission: a 10-minute talk is ~1,500 words, so 50,000 characters is generous. */
export const MAX_TEXT_CHARS = 50_000;

export const STUDENT_ID_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/** `POST /api/submissions` with a JSON body: a transcript submitted as text. */
export class TextSubmissionDto {
  @IsString({ message: 'text must be a string' })
  @MaxLength(MAX_TEXT_CHARS, { message: `text must be at most ${MAX_TEXT_CHARS} characters` })
  text!: string;

  @IsOptional()
  @Matches(STUDENT_ID_PATTERN, { message: 'studentId must be 1-64 letters, digits or . _ @ -' })
  studentId?: string;
}
