import { randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { context } from '@opentelemetry/api';
import {
  ErrorCode,
  IntroEvalError,
  messageId,
  newJobRecord,
  STAGE_SUBJECT,
  STUDENT_ID_PATTERN,
  toSubmissionResult,
  type JobRecord,
  type SubmissionResult,
  type TextSubmissionDto,
} from '@introeval/contracts';
import { IdempotencyStore, JobStore, MediaStore, ReceiptSigner } from '@introeval/storage';
import { currentTraceparent, inSpan } from '@introeval/telemetry';
import { JetStreamPublisher } from '@introeval/messaging';
import { GatewayConfig } from './gateway.config.js';
import { HttpError } from './http-error.filter.js';
import { receiveMultipart, tooLarge } from './multipart-upload.js';

export interface Accepted {
  id: string;
  receipt: string;
}

export interface Credentials {
  receipt: string | null;
  bearer: string | null;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Injectable()
export class SubmissionsService {
  constructor(
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(JobStore) private readonly jobs: JobStore,
    @Inject(MediaStore) private readonly media: MediaStore,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(ReceiptSigner) private readonly receipts: ReceiptSigner,
    @Inject(JetStreamPublisher) private readonly publisher: JetStreamPublisher,
  ) {}

  /** A transcript submitted as text: it skips upload and transcription. */
  async submitText(dto: TextSubmissionDto, idempotencyKey: string | null): Promise<Accepted> {
    const key = this.checkIdempotencyKey(idempotencyKey);
    const text = dto.text.trim();
    if (text.length === 0) {
      throw IntroEvalError.permanent(ErrorCode.TranscriptEmpty, 'text is empty: paste the transcript of your introduction');
    }
    return inSpan('submit text', context.active(), async () => {
      const id = randomUUID();
      const record = newJobRecord({
        id,
        source: 'text',
        studentId: dto.studentId ?? null,
        media: null,
        transcript: { text, words: [], engine: 'text', model: null, durationSec: null },
        traceparent: currentTraceparent(),
        now: new Date(),
      });
      return this.accept(record, key, async () => undefined);
    });
  }

  /** A media file streamed from a multipart request into the object store, then queued for the upload stage. */
  async submitMedia(req: Request, studentIdFromQuery: string | null, idempotencyKey: string | null): Promise<Accepted> {
    const key = this.checkIdempotencyKey(idempotencyKey);
    if (key) {
      const owner = await this.idempotency.find(key);
      if (owner) return this.replay(owner, req);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    // Multipart framing adds a few hundred bytes; anything far past the limit is refused before reading it.
    if (declared > this.config.MEDIA_MAX_BYTES + 64 * 1024) {
      throw tooLarge(this.config.MEDIA_MAX_BYTES);
    }
    return inSpan('submit media', context.active(), async () => {
      const id = randomUUID();
      const received = await receiveMultipart(req, {
        maxBytes: this.config.MEDIA_MAX_BYTES,
        objectName: `${id}/source`,
        media: this.media,
      });
      if (!received.file) {
        throw IntroEvalError.permanent(ErrorCode.InvalidInput, 'multipart field `file` is missing: attach the video as `file`');
      }
      const file = received.file;
      const discard = () => this.media.delete(file.object);
      const studentId = received.fields.studentId ?? studentIdFromQuery;
      if (studentId != null && !STUDENT_ID_PATTERN.test(studentId)) {
        await discard();
        throw IntroEvalError.permanent(ErrorCode.InvalidInput, 'studentId must be 1-64 letters, digits or . _ @ -');
      }
      const record = newJobRecord({
        id,
        source: 'media',
        studentId: studentId ?? null,
        media: { ...file, audioObject: null, durationSec: null },
        transcript: null,
        traceparent: currentTraceparent(),
        now: new Date(),
      });
      return this.accept(record, key, discard);
    });
  }

  async result(id: string, credentials: Credentials): Promise<SubmissionResult> {
    this.authorize(id, credentials);
    const record = await this.jobs.get(id);
    if (!record) throw IntroEvalError.permanent(ErrorCode.NotFound, `submission ${id} does not exist`);
    return toSubmissionResult(record);
  }

  /**
   * Stores the record and queues it. With an idempotency key the first request to claim the key wins; a racing or
   * retried request discards what it stored and answers with the winner's job.
   */
  private async accept(record: JobRecord, key: string | null, discard: () => Promise<void>): Promise<Accepted> {
    await this.jobs.create(record);
    if (key) {
      const owner = await this.idempotency.claim(key, record.id);
      if (owner !== record.id) {
        await discard();
        return this.replay(owner, null);
      }
    }
    await this.queue(record);
    return { id: record.id, receipt: this.receipts.receiptFor(record.id) };
  }

  /** Answers a repeated submission with its first job, re-queuing it if the first request died before queuing. */
  private async replay(owner: string, req: Request | null): Promise<Accepted> {
    req?.resume();
    const record = await this.jobs.get(owner);
    if (record && record.status === 'queued' && Object.keys(record.stages).length === 0) await this.queue(record);
    return { id: owner, receipt: this.receipts.receiptFor(owner) };
  }

  private async queue(record: JobRecord): Promise<void> {
    const subject = STAGE_SUBJECT[record.stage];
    await this.publisher.publish(subject, { jobId: record.id }, { msgId: messageId(record.id, subject) });
  }

  private authorize(id: string, { receipt, bearer }: Credentials): void {
    if (bearer !== null && this.config.ADMIN_TOKEN !== null && sameSecret(bearer, this.config.ADMIN_TOKEN)) return;
    if (receipt === null) {
      throw IntroEvalError.permanent(ErrorCode.Unauthorized, 'a receipt is required: send it as the X-Receipt header');
    }
    if (!this.receipts.verify(id, receipt)) {
      throw new HttpError(403, ErrorCode.Unauthorized, 'this receipt does not belong to that submission');
    }
  }

  private checkIdempotencyKey(key: string | null): string | null {
    if (key === null) return null;
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw IntroEvalError.permanent(ErrorCode.InvalidInput, 'Idempotency-Key must be 1-200 visible ASCII characters');
    }
    return key;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
