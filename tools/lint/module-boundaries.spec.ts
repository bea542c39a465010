import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// Lints real files of the workspace with one import added, through the project's own eslint.config.mjs, so the
// boundaries are proved to bite where the docs say they do (needs the Nx project graph: `nx show projects`).
const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function violations(path: string, addedImport: string): Promise<string[]> {
  const source = `${addedImport}\n${await readFile(join(root, path), 'utf8')}`;
  const [result] = await eslint.lintText(source, { filePath: join(root, path) });
  return result.messages.filter((m) => m.line === 1).map((m) => m.ruleId ?? m.message);
}

describe('module boundaries', () => {
  it.each(['libs/pipeline/src/work-dir.ts', 'apps/gateway/src/tokens.ts'])('refuses test support in %s', async (path) => {
    expect(await violations(path, "import '@introeval/testing';")).toContain('no-restricted-imports');
  });

  it('lets a spec import test support', async () => {
    expect(await violations('libs/pipeline/src/work-dir.spec.ts', "import '@introeval/testing';")).toEqual([]);
  });

  it('refuses an import against the layers (foundation importing an adapter)', async () => {
    expect(await violations('libs/contracts/src/stages.ts', "import '@introeval/nats';")).toContain(
      '@nx/enforce-module-boundaries',
    );
  });

  it("refuses an app importing another app's code", async () => {
    expect(await violations('apps/gateway/src/tokens.ts', "import '@introeval/upload/src/upload.service.js';")).toContain(
      '@nx/enforce-module-boundaries',
    );
  });
});
