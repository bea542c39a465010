import { Transform, type TransformCallback } from 'node:stream';

/** Thrown when a stream delivers nothing for longer than its idle limit. */
export class StreamStalledError extends Error {
  constructor(what: string, idleMs: number) {
    super(`${what} stalled: no data for ${idleMs / 1000} s`);
    this.name = 'StreamStalledError';
  }
}

/**
 * A pass-through stream that fails once no data has flowed for `idleMs`. A read from the object store that loses its
 * connection can stop without ending or failing; without this the stage holding it would wait for ever.
 */
export class IdleWatchdog extends Transform {
  private timer: NodeJS.Timeout;

  constructor(
    private readonly what: string,
    private readonly idleMs: number,
  ) {
    super();
    this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => this.destroy(new StreamStalledError(this.what, this.idleMs)), this.idleMs);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    clearTimeout(this.timer);
    this.timer = this.arm();
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.timer);
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    done(error);
  }
}
