import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultReceiptBookDir, isSubmissionId, ReceiptBook, ReceiptBookError } from './receipt-book.js';

describe('ReceiptBook', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'introeval-receipts-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every receipt when 20 CLIs save at once', async () => {
    const saved = Array.from({ length: 20 }, (_, n) => ({ id: randomUUID(), receipt: `receipt-${n}` }));
    // Separate instances, as separate `introeval submit &` processes would have.
    await Promise.all(saved.map(({ id, receipt }) => new ReceiptBook(dir).remember(id, receipt)));

    const reader = new ReceiptBook(dir);
    for (const { id, receipt } of saved) expect(await reader.get(id)).toBe(receipt);
    // No temp files left behind.
    expect((await readdir(join(dir, 'receipts'))).sort()).toEqual(saved.map(({ id }) => id).sort());
  });

  it('keeps receipts private: files 0600 in a 0700 directory', async () => {
    const id = randomUUID();
    await new ReceiptBook(dir).remember(id, 'secret');
    expect((await stat(join(dir, 'receipts'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'receipts', id))).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing, looser receipts directory', async () => {
    await mkdir(join(dir, 'receipts'), { mode: 0o755 });
    await new ReceiptBook(dir).remember(randomUUID(), 'secret');
    expect((await stat(join(dir, 'receipts'))).mode & 0o777).toBe(0o700);
  });

  it('replaces a receipt saved twice for the same id', async () => {
    const id = randomUUID();
    const book = new ReceiptBook(dir);
    await Promise.all([book.remember(id, 'first'), book.remember(id, 'second')]);
    expect(['first', 'second']).toContain(await book.get(id));
    expect(await readdir(join(dir, 'receipts'))).toEqual([id]);
  });

  it('rejects an id that is not a UUID before touching any path', async () => {
    const book = new ReceiptBook(dir);
    for (const id of ['../../escaped', '../receipts.json', '/tmp/x', 'a/b', '', '.']) {
      await expect(book.remember(id, 'r')).rejects.toThrow(ReceiptBookError);
      expect(await book.get(id)).toBeUndefined();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects an empty receipt or one with a line break', async () => {
    const book = new ReceiptBook(dir);
    await expect(book.remember(randomUUID(), '')).rejects.toThrow(ReceiptBookError);
    await expect(book.remember(randomUUID(), 'a\nb')).rejects.toThrow(ReceiptBookError);
  });

  it('finds an id typed in upper case', async () => {
    const id = randomUUID();
    await new ReceiptBook(dir).remember(id, 'r');
    expect(await new ReceiptBook(dir).get(id.toUpperCase())).toBe('r');
  });

  it('still reads receipts saved by the old receipts.json, and saving new ones leaves it alone', async () => {
    const old = randomUUID();
    const legacy = JSON.stringify({ [old]: 'old-receipt' }, null, 2);
    await writeFile(join(dir, 'receipts.json'), legacy);
    const book = new ReceiptBook(dir);
    const fresh = randomUUID();
    await book.remember(fresh, 'new-receipt');

    expect(await book.get(old)).toBe('old-receipt');
    expect(await book.get(fresh)).toBe('new-receipt');
    expect(await readFile(join(dir, 'receipts.json'), 'utf8')).toBe(legacy);
  });

  it('prefers the per-id file over the old book', async () => {
    const id = randomUUID();
    await writeFile(join(dir, 'receipts.json'), JSON.stringify({ [id]: 'stale' }));
    await new ReceiptBook(dir).remember(id, 'current');
    expect(await new ReceiptBook(dir).get(id)).toBe('current');
  });

  it('treats a corrupt old book as empty', async () => {
    await writeFile(join(dir, 'receipts.json'), '{"half');
    expect(await new ReceiptBook(dir).get(randomUUID())).toBeUndefined();
  });

  it('reports a receipt it cannot save', async () => {
    await writeFile(join(dir, 'receipts'), 'a file where the directory should be');
    await expect(new ReceiptBook(dir).remember(randomUUID(), 'r')).rejects.toThrow(/cannot save the receipt/);
  });
});

describe('defaultReceiptBookDir', () => {
  it('uses an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(defaultReceiptBookDir({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/introeval');
    expect(defaultReceiptBookDir({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\/\.config\/introeval$/);
  });
});

describe('isSubmissionId', () => {
  it('accepts UUIDs only', () => {
    expect(isSubmissionId(randomUUID())).toBe(true);
    expect(isSubmissionId('00000000-0000-4000-8000-000000000000')).toBe(true);
    expect(isSubmissionId('00000000-0000-4000-8000-000000000000/..')).toBe(false);
    expect(isSubmissionId('not-a-uuid')).toBe(false);
  });
});
