import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import {
  ErrorCode,
  IntroEvalError,
  messageId,
  newJobRecord,
  STAGE_SUBJECT,
  STUDENT_ID_PATTERN,
  type JobRecord,
  type TextSubmissionDto,
} from '@introeval/contracts';
import { JetStreamPublisher } from '@introeval/messaging';
import { IdempotencyStore, JobStore, MediaStore, ReceiptSigner, type IdempotencyClaim } from '@introeval/storage';
import { currentTraceparent, inSpan } from '@introeval/telemetry';
import type { MediaReceiver } from './multipart.receiver.js';

export interface Accepted {
  id: string;
  receipt: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const invalid = (message: string) => IntroEvalError.permanent(ErrorCode.InvalidInput, message);

/** What makes two submissions "the same" for an Idempotency-Key. */
function fingerprint(parts: Array<string | number | null>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Accepts submissions (creates, de-duplicates and queues jobs) and shows results. Who may see a result is decided
 * before this is called (JobAccess, through the transport's guard).
 */
@Injectable()
export class SubmissionsService {
  constructor(
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
    const print = fingerprint(['text', dto.studentId ?? null, text]);
    if (key) {
      const owner = await this.idempotency.find(key);
      if (owner) return this.replay(owner, print);
    }
    return inSpan('submit text', context.active(), async () => {
      const record = newJobRecord({
        id: randomUUID(),
        source: 'text',
        studentId: dto.studentId ?? null,
        media: null,
        transcript: { text, words: [], engine: 'text', model: null, durationSec: null },
        traceparent: currentTraceparent(),
        now: new Date(),
      });
      return this.accept(record, key, print, async () => undefined);
    });
  }

  /**
   * A media file received by `receive` into the object store, then queued for the upload stage. The body is always
   * read: a retried request carries the file again, and only its fingerprint tells whether it is the same one.
   */
  async submitMedia(receive: MediaReceiver, studentIdFromQuery: string | null, idempotencyKey: string | null): Promise<Accepted> {
    const key = this.checkIdempotencyKey(idempotencyKey);
    return inSpan('submit media', context.active(), async () => {
      const id = randomUUID();
      const { file, fields } = await receive(`${id}/source`);
      if (!file) throw invalid('multipart field `file` is missing: attach the recording as `file`');
      const discard = () => this.media.delete(file.object);
      const studentId = fields.studentId ?? studentIdFromQuery;
      if (studentId != null && !STUDENT_ID_PATTERN.test(studentId)) {
        await discard();
        throw invalid('studentId must be 1-64 letters, digits or . _ @ -');
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
      const print = fingerprint(['media', studentId ?? null, file.fileName, file.sizeBytes, file.contentType]);
      return this.accept(record, key, print, discard);
    });
  }

  /**
   * Stores the record and queues it. With an idempotency key the first request to claim the key wins; a racing or
   * retried request removes what it stored and answers with the winner's job. Whatever fails before the job is
   * queued removes what this request stored, except a job already bound to a key (a retry will queue it).
   */
  private async accept(record: JobRecord, key: string | null, print: string, discard: () => Promise<void>): Promise<Accepted> {
    try {
      await this.jobs.create(record);
    } catch (error) {
      await discard().catch(() => undefined);
      throw error;
    }
    const abandon = async () => {
      await this.jobs.delete(record.id).catch(() => undefined);
      await discard().catch(() => undefined);
    };
    if (key) {
      let owner: IdempotencyClaim;
      try {
        owner = await this.idempotency.claim(key, { jobId: record.id, fingerprint: print });
      } catch (error) {
        await abandon();
        throw error;
      }
      if (owner.jobId !== record.id) {
        await abandon();
        return this.replay(owner, print);
      }
    }
    try {
      await this.queue(record);
    } catch (error) {
      if (!key) await abandon();
      throw error;
    }
    return { id: record.id, receipt: this.receipts.receiptFor(record.id) };
  }

  /** Answers a repeated submission with its first job, queuing it again if the first request died before that. */
  private async replay(owner: IdempotencyClaim, print: string): Promise<Accepted> {
    if (owner.fingerprint !== print) {
      throw IntroEvalError.permanent(
        ErrorCode.IdempotencyKeyReused,
        'this Idempotency-Key was already used for a different submission; use a new key for a new submission',
      );
    }
    const record = await this.jobs.get(owner.jobId);
    if (record && record.status === 'queued' && Object.keys(record.stages).length === 0) await this.queue(record);
    return { id: owner.jobId, receipt: this.receipts.receiptFor(owner.jobId) };
  }

  private async queue(record: JobRecord): Promise<void> {
    const subject = STAGE_SUBJECT[record.stage];
    await this.publisher.publish(subject, { jobId: record.id }, { msgId: messageId(record.id, subject) });
  }

  private checkIdempotencyKey(key: string | null): string | null {
    if (key === null) return null;
    if (!IDEMPOTENCY_KEY.test(key)) throw invalid('Idempotency-Key must be 1-200 visible ASCII characters');
    return key;
  }
}
