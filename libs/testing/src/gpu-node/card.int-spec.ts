import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '../eventually.js';
import { startGpuNode } from './gpu-node.js';
import type { GpuModelSpec, GpuNodeHandle, GpuNodeOptions } from './gpu-node.types.js';
import { LAB_8GB_BATCHED_MODELS, LAB_8GB_VRAM_MB } from './lab-profiles.js';
import { findOverlaps } from './overlaps.js';
import { LLAMA3, MISTRAL, WHISPER, chatBody, postJson, testBrain, transcribe, transcriptionForm } from './gpu-node.fixture.js';

describe('GPU-node stand-in: one card', () => {
  let node: GpuNodeHandle;
  const start = async (options: Partial<GpuNodeOptions> = {}) => {
    node = await startGpuNode({
      vramMb: LAB_8GB_VRAM_MB,
      models: [WHISPER, MISTRAL, LLAMA3],
      timeScale: 1000,
      brain: testBrain(),
      ollamaKeepAliveSec: 3600,
      speachesTtlSec: 3600,
      ...options,
    });
    return node;
  };
  const load = (name: string, keepAlive: number = -1) => postJson(`${node.ollamaUrl}/api/chat`, { model: name, messages: [], keep_alive: keepAlive });
  afterEach(async () => {
    await node?.close();
  });

  it('fails an over-budget load like a real card, on either API, and never evicts to make room', async () => {
    await start();
    expect((await load(MISTRAL.name)).status).toBe(200);
    expect(await load(LLAMA3.name)).toMatchObject({
      status: 500,
      json: { error: 'llama runner process has terminated: cudaMalloc failed: out of memory' },
    });
    expect(await postJson(`${node.ollamaUrl}/api/chat`, chatBody(LLAMA3.name))).toMatchObject({ status: 500 });
    expect(await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name))).toMatchObject({
      status: 500,
      json: { detail: 'CUDA failed with error out of memory' },
    });
    expect((await fetch(`${node.speachesUrl}/api/ps/${WHISPER.name}`, { method: 'POST' })).status).toBe(500);
    expect(node.oomErrors()).toBe(4);
    expect(node.residency().map((r) => r.model)).toEqual([MISTRAL.name]);
    expect(node.usedVramMb()).toBe(5100);
    expect(node.busyIntervals()).toEqual([]);
  });

  it('keeps unloaded memory busy for unloadLagSec: a load in that window fails, after it succeeds', async () => {
    const fast = (m: GpuModelSpec) => ({ ...m, loadSec: 1 });
    await start({ models: [fast(MISTRAL), fast(LLAMA3)], timeScale: 10, unloadLagSec: 5 }); // 0.5 s real lag
    await load(MISTRAL.name);
    expect((await load(MISTRAL.name, 0)).json.done_reason).toBe('unload');
    expect(node.usedVramMb()).toBe(5100); // not free yet
    expect((await load(LLAMA3.name)).status).toBe(500);
    await eventually(() => node.usedVramMb() === 0, { what: 'the memory to show free' });
    expect((await load(LLAMA3.name)).status).toBe(200);
    const [mistral] = node.residency();
    expect(mistral.freedAt! - mistral.unloadedAt!).toBeCloseTo(5, 9);
    expect(node.oomErrors()).toBe(1);
  });

  it('shows batching gains in simulated durations: 8 clips in one batch, 4 chats in parallel', async () => {
    const [whisper, mistral] = LAB_8GB_BATCHED_MODELS.map((m) => ({ ...m, loadSec: 1000 })); // 1 s real: all arrive while loading
    await start({ models: [whisper, mistral] });
    const clips = Array.from({ length: 8 }, () => transcribe(node.speachesUrl, transcriptionForm(whisper.name)));
    expect((await Promise.all(clips)).map((r) => r.status)).toEqual(Array(8).fill(200));
    const batch = node.busyIntervals();
    const loadedAt = node.residency()[0].loadedAt!;
    for (const b of batch) {
      expect(b.start).toBe(loadedAt);
      expect(b.end! - b.start).toBeCloseTo((whisper.serviceSec * 8) / 3.5, 9); // each slower than alone (10 s)...
    }
    // ...but the batch is done 3.5 times sooner than 8 clips one after another (80 s).
    expect(Math.max(...batch.map((b) => b.end!)) - loadedAt).toBeCloseTo(80 / 3.5, 9);

    expect((await fetch(`${node.speachesUrl}/api/ps/${whisper.name}`, { method: 'DELETE' })).status).toBe(204);
    const chats = Array.from({ length: 5 }, () => postJson(`${node.ollamaUrl}/api/chat`, chatBody(mistral.name)));
    expect((await Promise.all(chats)).map((r) => r.status)).toEqual(Array(5).fill(200));
    const [first, ...rest] = node.busyIntervals().slice(8).sort((a, b) => a.start - b.start);
    const parallel = [first, ...rest.slice(0, 3)];
    for (const b of parallel) expect(b.end! - b.start).toBeCloseTo((15 * 4) / 2.2, 9);
    // The fifth waited in the FIFO queue for a slot and then ran alone at full speed.
    const fifth = rest[3];
    expect(fifth.start).toBeCloseTo(first.end!, 9);
    expect(fifth.end! - fifth.start).toBeCloseTo(15, 9);
  });

  it('cancels a request whose client goes away: its slot goes to the next, its busy interval ends then', async () => {
    await start({ models: [{ ...MISTRAL, serviceSec: 2000 }] }); // 2 s real
    const leaving = new AbortController();
    const first = postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name), { signal: leaving.signal }).catch(() => 'failed');
    await eventually(() => node.busyIntervals().length === 1, { what: 'the first chat to start' });
    const second = postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name), { headers: { 'X-Lease-Epoch': '2' } });
    await eventually(() => node.requests().length === 2, { what: 'the second chat to queue' });
    leaving.abort();
    expect(await first).toBe('failed');
    expect((await second).status).toBe(200);
    const [a, b] = node.busyIntervals();
    expect(a).toMatchObject({ cancelled: true });
    expect(b).toMatchObject({ cancelled: false, epoch: 2 });
    expect(b.start).toBe(a.end);
    expect(b.end! - b.start).toBeCloseTo(2000, 9);
  });

  it('lets findOverlaps catch two groups sharing a card that a smaller card could not hold', async () => {
    await start({ vramMb: 16_384 }); // everything fits here...
    await load(MISTRAL.name);
    expect((await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name), { headers: { 'X-Lease-Epoch': '5' } })).status).toBe(200);
    expect(findOverlaps(node, 16_384)).toEqual([]);
    // ...but not on the lab's card: the transcription ran while extraction's model was resident.
    const [overlap] = findOverlaps(node, LAB_8GB_VRAM_MB);
    expect(overlap).toMatchObject({
      busy: { model: WHISPER.name, group: 'stt', vramMb: 4500, epoch: 5 },
      resident: { model: MISTRAL.name, group: 'extract' },
      totalMb: 9600,
    });
    expect(overlap.end - overlap.start).toBeCloseTo(WHISPER.serviceSec, 9);
  });
});
