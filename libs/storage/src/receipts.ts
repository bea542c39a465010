import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KV } from '@nats-io/kv';

const SECRET_KEY = 'receipt-secret';

/**
 * Receipts let a student read their own job and nobody else's. A receipt is an HMAC of the job id, so nothing per job
 * is stored and any gateway replica can check it. The secret comes from configuration, or is created once in the
 * settings bucket so that every replica and every restart shares it.
 */
export class ReceiptSigner {
  private constructor(private readonly secret: Buffer) {}

  static async open(settings: KV, configured: string | null): Promise<ReceiptSigner> {
    if (configured) return new ReceiptSigner(Buffer.from(configured));
    try {
      await settings.create(SECRET_KEY, randomBytes(32).toString('base64'));
    } catch {
      // Another process created it first: use theirs.
    }
    const entry = await settings.get(SECRET_KEY);
    if (!entry) throw new Error('receipt secret missing from the settings bucket');
    return new ReceiptSigner(Buffer.from(entry.string(), 'base64'));
  }

  receiptFor(jobId: string): string {
    return createHmac('sha256', this.secret).update(jobId).digest('base64url');
  }

  verify(jobId: string, receipt: string): boolean {
    const expected = Buffer.from(this.receiptFor(jobId));
    const given = Buffer.from(receipt);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
