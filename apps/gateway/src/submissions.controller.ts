import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ErrorCode, IntroEvalError, parseDto, TextSubmissionDto, type SubmissionStatus } from '@introeval/contracts';
import { jobCredentials, JOB_ID_PIPE, JobAccessGuard, ReceiptInQuery } from './job-access.guard.js';
import { JobStatusService } from './job-status.service.js';
import { MultipartReceiver } from './multipart.receiver.js';
import { SubmissionsService, type Accepted } from './submissions.service.js';

@Controller('api/submissions')
export class SubmissionsController {
  constructor(
    @Inject(SubmissionsService) private readonly submissions: SubmissionsService,
    @Inject(MultipartReceiver) private readonly multipart: MultipartReceiver,
    @Inject(JobStatusService) private readonly status: JobStatusService,
  ) {}

  /** A video/audio file as multipart `file`, or a transcript as JSON `{ text }`; answers 202 `{ id, receipt }`. */
  @Post()
  @HttpCode(202)
  async submit(
    @Req() req: Request,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Query('studentId') studentId?: string,
  ): Promise<Accepted> {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const student = typeof studentId === 'string' ? studentId : null;
      return this.submissions.submitMedia(this.multipart.for(req), student, idempotencyKey ?? null);
    }
    if (type.startsWith('application/json')) {
      const dto = await parseDto(TextSubmissionDto, req.body);
      return this.submissions.submitText(dto, idempotencyKey ?? null);
    }
    throw IntroEvalError.permanent(
      ErrorCode.UnsupportedMediaType,
      'send multipart/form-data with the recording as `file`, or application/json with `text`',
    );
  }

  /**
   * The result contract plus, while unfinished, the job's position per stage, what it waits for and its ETA; needs
   * the submission's receipt (X-Receipt header) or the admin token.
   */
  @Get(':id')
  @UseGuards(JobAccessGuard)
  async result(@Req() req: Request, @Param('id', JOB_ID_PIPE) id: string): Promise<SubmissionStatus> {
    return this.status.current(id, jobCredentials(req, false));
  }

  /**
   * The same as Server-Sent Events: a `status` event on every change, `end` after the final one. EventSource cannot
   * send headers, so this route also takes the receipt as `?receipt=`.
   */
  @Sse(':id/events')
  @ReceiptInQuery()
  @UseGuards(JobAccessGuard)
  async events(@Req() req: Request, @Param('id', JOB_ID_PIPE) id: string): Promise<Observable<MessageEvent>> {
    await this.status.require(id); // a 404 before the stream starts, not an event
    return this.status.events(id, jobCredentials(req, true));
  }
}
