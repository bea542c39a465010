import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ErrorCode, IntroEvalError, parseDto, TextSubmissionDto, type SubmissionResult } from '@introeval/contracts';
import { JOB_ID_PIPE, JobAccessGuard } from './job-access.guard.js';
import { MultipartReceiver } from './multipart.receiver.js';
import { SubmissionsService, type Accepted } from './submissions.service.js';

@Controller('api/submissions')
export class SubmissionsController {
  constructor(
    @Inject(SubmissionsService) private readonly submissions: SubmissionsService,
    @Inject(MultipartReceiver) private readonly multipart: MultipartReceiver,
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

  /** The result contract; needs the submission's receipt (X-Receipt header) or the admin token. */
  @Get(':id')
  @UseGuards(JobAccessGuard)
  async result(@Param('id', JOB_ID_PIPE) id: string): Promise<SubmissionResult> {
    return this.submissions.result(id);
  }
}
