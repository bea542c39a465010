import busboy from 'busboy';
import type { Request } from 'express';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { MediaStore } from '@introeval/storage';

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

export function tooLarge(maxBytes: number): IntroEvalError {
  const mb = Math.round(maxBytes / (1024 * 1024));
  return IntroEvalError.permanent(
    ErrorCode.MediaTooLarge,
    `The file is larger than ${mb} MB. Export a shorter or lower-resolution recording (a 2-minute 720p video is about 30 MB) and upload it again.`,
  );
}

/**
 * Streams the multipart part named `file` straight into the object store (never the whole file in memory) and
 * collects the small text fields. Past `maxBytes` the upload stops at once, its partial object is purged, and the
 * caller answers 413.
 */
export function receiveMultipart(
  req: Request,
  options: { maxBytes: number; objectName: string; media: MediaStore },
): Promise<ReceivedMultipart> {
  const { maxBytes, objectName, media } = options;
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 8, fieldSize: 4096 } });
    } catch (error) {
      reject(IntroEvalError.permanent(ErrorCode.InvalidInput, `malformed multipart request: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let upload: Promise<ReceivedFile> | null = null;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(error instanceof Error ? error : new Error(String(error)));
    };

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || upload) {
        stream.resume();
        return;
      }
      let overLimit = false;
      stream.on('limit', () => {
        overLimit = true;
        stream.destroy(tooLarge(maxBytes));
      });
      upload = media.put(objectName, stream).then((sizeBytes) => ({
        object: objectName,
        fileName: info.filename || null,
        contentType: info.mimeType || null,
        sizeBytes,
      }));
      upload.catch(async (error: unknown) => {
        await media.delete(objectName).catch(() => undefined);
        fail(overLimit ? tooLarge(maxBytes) : error);
      });
    });
    parser.on('close', () => {
      if (settled) return;
      if (!upload) {
        settled = true;
        resolve({ file: null, fields });
        return;
      }
      upload.then(
        (file) => {
          if (settled) return;
          settled = true;
          resolve({ file, fields });
        },
        () => undefined, // reported by the catch above
      );
    });
    parser.on('error', (error: Error) =>
      fail(IntroEvalError.permanent(ErrorCode.InvalidInput, `malformed multipart request: ${error.message}`)),
    );
    req.on('error', (error) => fail(error));
    req.pipe(parser);
  });
}
