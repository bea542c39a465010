import type { LogLevel } from '@nestjs/common';

interface Closable {
  close(): Promise<void>;
}

/**
 * Closes the app once on SIGTERM/SIGINT, and also when the supervising process (`npm start`) disappears: a launcher
 * killed with -9 must not leave its services running. The launcher gives each child an IPC channel; its
 * 'disconnect' event is how a child learns that its parent is gone.
 */
export function closeOnSignals(app: Closable, onClosed: () => Promise<void> = async () => undefined): void {
  let closing = false;
  const close = (reason: string) => {
    if (closing) return;
    closing = true;
    console.log(`shutting down (${reason})`);
    app
      .close()
      .then(onClosed)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
  if (process.connected) process.once('disconnect', () => close('supervisor exited'));
}

/** Tells a supervising launcher (`npm start`, over its IPC channel) that this service is ready for work. */
export function announceReady(): void {
  process.send?.({ type: 'ready' });
}

/** Nest log levels at and above `level`. */
export function logLevels(level: LogLevel): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  return order.slice(0, order.indexOf(level) + 1);
}
