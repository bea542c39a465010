import { runTool } from '@introeval/process';

export interface DetectVramOptions {
  /** The nvidia-smi binary. Default `nvidia-smi` from PATH. */
  command?: string;
  /** nvidia-smi can hang when the driver is wedged. Default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const QUERY = ['--query-gpu=memory.total', '--format=csv,noheader,nounits'];
/** Debian's package for nvidia-smi (non-free; Ubuntu ships it in nvidia-utils-<driver version>). */
const NVIDIA_SMI_PACKAGE = 'nvidia-smi';

/**
 * Total memory of the first GPU in MiB, as `nvidia-smi` reports it; null where there is no nvidia-smi, it fails
 * (no driver, no GPU) or says something unreadable. The caller then uses the configured budget.
 */
export async function detectVramMb(options: DetectVramOptions = {}): Promise<number | null> {
  try {
    const { stdout } = await runTool(options.command ?? 'nvidia-smi', QUERY, {
      timeoutMs: options.timeoutMs ?? 10_000,
      maxStdoutBytes: 64 * 1024,
      signal: options.signal,
      debianPackage: NVIDIA_SMI_PACKAGE,
    });
    return parseNvidiaSmiMemoryTotal(stdout);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return null;
  }
}

/**
 * The first GPU's `memory.total` from `nvidia-smi --query-gpu=memory.total --format=csv,noheader[,nounits]`:
 * one line per GPU, "8192" or "8192 MiB". null for "[N/A]", "[Insufficient Permissions]" or no line at all.
 */
export function parseNvidiaSmiMemoryTotal(stdout: string): number | null {
  const first = stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line.length > 0);
  const match = first?.match(/^(\d+)(?:\s*MiB)?$/i);
  if (!match) return null;
  const mib = Number(match[1]);
  return mib > 0 ? mib : null;
}
