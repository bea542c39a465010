import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the CLI remembers the receipts it was given, so `introeval get ID` works without typing them. */
export function defaultReceiptBookPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'introeval', 'receipts.json');
}

export class ReceiptBook {
  constructor(private readonly path: string) {}

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async get(id: string): Promise<string | undefined> {
    return (await this.read())[id];
  }

  /** Adds a receipt; written to a temp file and renamed so a crash never leaves a half-written book. */
  async remember(id: string, receipt: string): Promise<void> {
    const book = { ...(await this.read()), [id]: receipt };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(book, null, 2), { mode: 0o600 });
    await rename(temp, this.path);
  }
}
