import { ToolNotInstalledError } from '@introeval/process';
import { runMediaTool } from './run-tool.js';

describe('runMediaTool', () => {
  it('says how to install a media tool that is missing', async () => {
    const error = await runMediaTool('introeval-no-such-tool', ['-h'], { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotInstalledError);
    expect((error as Error).message).toMatch(/ENOENT.*apt-get install -y ffmpeg/);
  });
});
