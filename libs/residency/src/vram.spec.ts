import { describe, expect, it } from '@jest/globals';
import { parseNvidiaSmiMemoryTotal } from './vram.js';

describe('parseNvidiaSmiMemoryTotal', () => {
  it('reads the number nvidia-smi prints with nounits', () => {
    expect(parseNvidiaSmiMemoryTotal('8192\n')).toBe(8192);
  });

  it('takes the first GPU of several', () => {
    expect(parseNvidiaSmiMemoryTotal('24564\n8192\n')).toBe(24564);
  });

  it('accepts the unit when nounits was left out, and stray whitespace', () => {
    expect(parseNvidiaSmiMemoryTotal('\n  81559 MiB\r\n')).toBe(81559);
  });

  it('gives null for what is not a size: N/A, a permission complaint, nothing, zero', () => {
    expect(parseNvidiaSmiMemoryTotal('[N/A]\n')).toBeNull();
    expect(parseNvidiaSmiMemoryTotal('[Insufficient Permissions]\n')).toBeNull();
    expect(parseNvidiaSmiMemoryTotal('')).toBeNull();
    expect(parseNvidiaSmiMemoryTotal('0\n')).toBeNull();
  });

  it('gives null for an error message printed on stdout', () => {
    expect(
      parseNvidiaSmiMemoryTotal(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n",
      ),
    ).toBeNull();
  });
});
