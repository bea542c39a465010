import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The shape of a submission id (the gateway hands out UUIDs). Nothing else is ever used in a path. */
const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSubmissionId(id: string): boolean {
  return SUBMISSION_ID.test(id);
}

/** A receipt could not be saved or read. */
export class ReceiptBookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptBookError';
  }
}

/** Where the CLI keeps its state: `$XDG_CONFIG_HOME/introeval` (or `~/.config/introeval`). */
export function defaultReceiptBookDir(env: NodeJS.ProcessEnv): string {
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config');
  return join(base, 'introeval');
}

/**
 * Remembers the receipts the CLI was given, so `introeval get ID` works without typing them.
 * One file per submission (`<dir>/receipts/<id>`, 0600 in a 0700 directory), written to a unique temp name and
 * renamed: any number of CLIs may save at once and none can lose another's receipt. Receipts saved by the old
 * format (one `<dir>/receipts.json` for all) are still read.
 */
export class ReceiptBook {
  private readonly receiptsDir: string;
  private readonly legacyFile: string;

  constructor(dir: string) {
    this.receiptsDir = join(dir, 'receipts');
    this.legacyFile = join(dir, 'receipts.json');
  }

  async get(id: string): Promise<string | undefined> {
    if (!isSubmissionId(id)) return undefined;
    const path = this.pathFor(id);
    try {
      const receipt = (await readFile(path, 'utf8')).replace(/\n$/, '');
      if (receipt) return receipt;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ReceiptBookError(`cannot read the receipt in ${path}: ${(error as Error).message}`);
      }
    }
    const legacy = await this.readLegacy();
    return legacy[id] ?? legacy[id.toLowerCase()];
  }

  async remember(id: string, receipt: string): Promise<void> {
    if (!isSubmissionId(id)) throw new ReceiptBookError(`not a submission id, not saved: ${JSON.stringify(id)}`);
    if (!receipt || /[\r\n]/.test(receipt)) throw new ReceiptBookError(`not a receipt, not saved for ${id}`);
    const path = this.pathFor(id);
    const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.receiptsDir, { recursive: true, mode: 0o700 });
      await chmod(this.receiptsDir, 0o700).catch(() => undefined); // tighten an older, looser directory if we may
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.writeFile(`${receipt}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new ReceiptBookError(`cannot save the receipt in ${path}: ${(error as Error).message}`);
    }
  }

  private pathFor(id: string): string {
    return join(this.receiptsDir, id.toLowerCase());
  }

  /** The old single-file book; unreadable or corrupt counts as empty (it is only a fallback). */
  private async readLegacy(): Promise<Record<string, string>> {
    try {
      const book: unknown = JSON.parse(await readFile(this.legacyFile, 'utf8'));
      if (!book || typeof book !== 'object' || Array.isArray(book)) return {};
      return Object.fromEntries(Object.entries(book).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      return {};
    }
  }
}
