import { OPENAI_STT_VERSION } from '@introeval/engines';
import { rulesBrain } from '@introeval/engines/stand-in-brain';
import {
  INTRO_SCRIPTS,
  LAB_8GB_MODELS,
  mp4FromWav,
  speechWav,
  startGpuNode,
  type GpuNodeHandle,
} from '@introeval/testing';
import { useSystem } from './environment.js';
import { phrasesFound, postFile, waitForEnd } from './support.js';

// The whole system on the production engines: the transcription worker on an OpenAI-compatible Whisper server,
// extraction and rating on Ollama, all three on the GPU-node stand-in (one simulated card; its brain is real
// pocketsphinx for audio and the rules engines for chat). Selected purely by the services' environment.

const script = INTRO_SCRIPTS[0];
const model = (group: string) => LAB_8GB_MODELS.find((m) => m.group === group)!;
const [WHISPER, EXTRACTOR, RATER] = [model('stt'), model('extract'), model('rate')];
/** A 24 GB card: the three groups fit side by side, so no scheduler is needed to run them one after another. */
const VRAM_24GB_MB = 24_576;
/** Simulated seconds per real second: the 8 s loads and 10-25 s calls take tens of milliseconds. */
const TIME_SCALE = 100;

describe('the pipeline, end to end on the production engines (GPU-node stand-in)', () => {
  let node: GpuNodeHandle;
  beforeAll(async () => {
    node = await startGpuNode({ vramMb: VRAM_24GB_MB, models: LAB_8GB_MODELS, timeScale: TIME_SCALE, brain: rulesBrain() });
  });
  // Declared after the stand-in's beforeAll, so its URLs are known when the services start.
  const env = useSystem(() => ({
    STT_ENGINE: 'openai',
    STT_URL: node.speachesUrl,
    STT_MODEL: WHISPER.name,
    EXTRACT_ENGINE: 'ollama',
    EXTRACT_MODEL: EXTRACTOR.name,
    RATE_ENGINE: 'ollama',
    RATE_MODEL: RATER.name,
    OLLAMA_URL: node.ollamaUrl,
  }));
  afterAll(() => node?.close());

  it('evaluates an MP4 with Whisper, then Ollama for the profile and the rating, and records the chain', async () => {
    const wav = await speechWav(script, 'slt', env.dir);
    const mp4 = await mp4FromWav(wav, env.dir);
    const { status, body } = await postFile(env.system.url, mp4);
    expect(status).toBe(202);
    const result = await waitForEnd(env.system.url, body);

    expect(result.error).toBeNull();
    expect(result.status).toBe('completed');
    expect(result.notice).toBeNull();

    // A transcript with word timings, from the Whisper API (pocketsphinx behind it hears most key phrases).
    const transcript = result.transcript!;
    expect(transcript).toMatchObject({ engine: 'openai', model: WHISPER.name });
    expect(transcript.words.length).toBeGreaterThan(50);
    expect(transcript.words.every((w) => w.end >= w.start && w.start >= 0)).toBe(true);
    expect(phrasesFound(transcript.text, script.keyPhrases).length).toBeGreaterThanOrEqual(Math.ceil(script.keyPhrases.length / 2));

    // A profile and scores, as the models answered.
    expect(result.profile).not.toBeNull();
    expect(result.metrics!.fieldCoverage).toBeGreaterThan(0);
    expect(result.metrics!.wpm).toBeGreaterThan(0);
    for (const criterion of ['content', 'structure', 'clarity', 'professionalism', 'delivery'] as const) {
      expect(result.scores![criterion]).toBeGreaterThanOrEqual(1);
      expect(result.scores![criterion]).toBeLessThanOrEqual(5);
    }
    expect(result.feedback.length).toBeGreaterThan(0);

    // The chain: engines, models, and the Ollama models' digests.
    const digested = { version: expect.stringMatching(/@sha256:[0-9a-f]{12}$/), digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) };
    expect(result.provenance.stt).toEqual({ engine: 'openai', model: WHISPER.name, version: OPENAI_STT_VERSION });
    expect(result.provenance.extract).toMatchObject({ engine: 'ollama', model: EXTRACTOR.name, ...digested });
    expect(result.provenance.rate).toMatchObject({ engine: 'ollama', model: RATER.name, ...digested });
    expect(result.provenance.extract!.promptTokens).toBeGreaterThan(0);
    expect(result.provenance.rate!.evalTokens).toBeGreaterThan(0);

    // The card served one request per group, in pipeline order; nothing gated these workers, so no epoch.
    const busy = node.busyIntervals();
    expect(busy.map((b) => b.group)).toEqual(['stt', 'extract', 'rate']);
    expect(busy.every((b) => b.end !== null && !b.cancelled && b.epoch === null)).toBe(true);
    expect(node.oomErrors()).toBe(0);
  });
});
