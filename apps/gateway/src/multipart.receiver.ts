import { Inject, Injectable } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { mediaErrors } from '@introeval/media';
import { MediaStore } from '@introeval/storage';
import { GatewayConfig } from './gateway.config.js';

export interface ReceivedFile {
  object: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number;
}

export interface ReceivedMultipart {
  file: ReceivedFile | null;
  fields: Record<string, string>;
}

/** Streams a submission's file into the object store under the given name. */
export type MediaReceiver = (objectName: string) => Promise<ReceivedMultipart>;

const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const interrupted = () =>
  IntroEvalError.permanent(ErrorCode.InvalidInput, 'the upload was interrupted before the file was complete');

/**
 * Receives multipart uploads: the part named `file` goes straight into the object store (never whole into memory),
 * the small text fields are collected. Whatever goes wrong (too large, malformed, the client gone) the upload stops
 * at once and its object is removed, so a failed request leaves nothing behind. At most MAX_CONCURRENT_UPLOADS run
 * at once; past that the gateway answers 503 rather than let slow clients pile up.
 */
@Injectable()
export class MultipartReceiver {
  private active = 0;

  constructor(
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(MediaStore) private readonly media: MediaStore,
  ) {}

  /** A receiver bound to one request, for the submissions service. */
  for(req: Request): MediaReceiver {
    return (objectName) => this.receive(req, objectName);
  }

  private async receive(req: Request, objectName: string): Promise<ReceivedMultipart> {
    // Multipart framing adds a few hundred bytes; a body declared far past the limit is refused unread.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.config.MEDIA_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) {
      throw mediaErrors.tooLarge(null, this.config.MEDIA_MAX_BYTES);
    }
    if (this.active >= this.config.MAX_CONCURRENT_UPLOADS) {
      throw IntroEvalError.permanent(ErrorCode.Unavailable, 'too many uploads at once; try again in a minute');
    }
    this.active++;
    try {
      return await this.stream(req, objectName);
    } finally {
      this.active--;
    }
  }

  private stream(req: Request, objectName: string): Promise<ReceivedMultipart> {
    const maxBytes = this.config.MEDIA_MAX_BYTES;
    return new Promise((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 8, fieldSize: 4096 } });
      } catch (error) {
        reject(IntroEvalError.permanent(ErrorCode.InvalidInput, `malformed multipart request: ${(error as Error).message}`));
        return;
      }
      const fields: Record<string, string> = {};
      let file: Readable | null = null;
      let upload: Promise<ReceivedFile> | null = null;
      let settled = false;

      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        req.unpipe(parser);
        file?.destroy(error);
        // Wait for the store to give up on the object (it purges its chunks), then remove any object it finished.
        void (async () => {
          await upload?.catch(() => undefined);
          await this.media.delete(objectName).catch(() => undefined);
          reject(error);
        })();
      };

      parser.on('field', (name, value) => {
        fields[name] = value;
      });
      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || upload) {
          stream.resume();
          return;
        }
        file = stream;
        stream.on('limit', () => fail(mediaErrors.tooLarge(null, maxBytes)));
        upload = this.media.put(objectName, stream).then((sizeBytes) => ({
          object: objectName,
          fileName: info.filename || null,
          contentType: info.mimeType || null,
          sizeBytes,
        }));
        upload.catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
      });
      parser.on('close', () => {
        if (settled) return;
        if (!upload) {
          settled = true;
          resolve({ file: null, fields });
          return;
        }
        upload.then(
          (received) => {
            if (settled) return;
            settled = true;
            resolve({ file: received, fields });
          },
          () => undefined, // reported through fail()
        );
      });
      parser.on('error', (error: Error) =>
        fail(IntroEvalError.permanent(ErrorCode.InvalidInput, `malformed multipart request: ${error.message}`)),
      );
      req.on('error', () => fail(interrupted()));
      // A client that goes away mid-body (or an idle socket closed by the server's timeout).
      req.on('close', () => {
        if (!req.complete) fail(interrupted());
      });
      req.pipe(parser);
    });
  }
}
