import { IsUUID } from 'class-validator';

/** The payload of every work message: the job record holds everything else. */
export class StageMessage {
  @IsUUID('4', { message: 'jobId must be a UUID v4' })
  jobId!: string;
}
