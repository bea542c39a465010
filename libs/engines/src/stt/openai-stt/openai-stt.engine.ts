import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { assertSpeechWav, readWavInfo } from '@introeval/audio';
import { ErrorCode, IntroEvalError, type EngineProvenance, type Transcript } from '@introeval/contracts';
import { engineRequest, type RetryPolicy } from '@introeval/engine-http';
import type { SpeechToTextEngine, TranscribeInput } from '../../engine.types.js';
import { ConcurrencyLimiter } from '../../http/concurrency-limiter.js';
import { leaseEpochHeader } from '../../http/lease-epoch-header.js';
import { validateAnswer } from '../../http/validate-answer.js';
import { VerboseTranscriptionDto } from './verbose-transcription.dto.js';
import { wordsFromVerbose } from './verbose-transcription.mapping.js';

/** Bump when the request (decoding settings, granularities) or the answer's mapping changes. */
export const OPENAI_STT_VERSION = 'stt-openai-2026.1';

export interface OpenAiSpeechToTextOptions {
  /** Base URL of the server, without `/v1`: e.g. `http://gpu-node:8000` (speaches). */
  url: string;
  /** Model id as the server names it, e.g. `Systran/faster-whisper-large-v2`. */
  model: string;
  /** Spoken language (ISO 639-1), fixed: detection on a short, accented clip can pick wrongly. Default `en`. */
  language?: string;
  /**
   * Optional `prompt` (text the model takes as preceding speech). Whisper tends to drop fillers; a prompt that
   * contains some ("Umm, so, uh, I mean...") makes it keep them, which the filler metric needs. Off by default.
   */
  prompt?: string;
  /** Budget of one HTTP call: a 10-minute clip at ~12x real time plus a cold model load. Default 300 000 ms. */
  timeoutMs?: number;
  /** Requests in flight at once; raise it where the server batches (speaches does). Default 1. */
  concurrency?: number;
  /** Retries on connection errors and 5xx. Default 3. */
  retries?: number;
  /** Waits before the retries, ms; the last repeats. Default [500, 2000, 5000]. */
  backoffMs?: number[];
  /** Sent as `Authorization: Bearer` where the server wants a key. */
  apiKey?: string;
  /** Static extra headers, read for every attempt. The lease epoch comes per call (`TranscribeInput.epoch`). */
  headers?: () => Record<string, string>;
}

/**
 * Speech to text on an OpenAI-compatible server (speaches / faster-whisper, or whisper.cpp's OpenAI path):
 * the 16 kHz WAV is uploaded as multipart, answered as `verbose_json` with word timestamps, validated and mapped
 * to the transcript contract. Also loads and unloads the model explicitly (speaches `/api/ps`) for the GPU phase
 * switches; a transcription request loads it on demand anyway.
 */
export class OpenAiSpeechToTextEngine implements SpeechToTextEngine {
  readonly provenance: EngineProvenance;
  private readonly baseUrl: string;
  private readonly language: string;
  private readonly prompt: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly apiKey: string | undefined;
  private readonly extraHeaders: () => Record<string, string>;
  private readonly limiter: ConcurrencyLimiter;

  constructor(private readonly options: OpenAiSpeechToTextOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.language = options.language ?? 'en';
    this.prompt = options.prompt;
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.retry = { retries: options.retries ?? 3, backoffMs: options.backoffMs ?? [500, 2000, 5000] };
    this.apiKey = options.apiKey;
    this.extraHeaders = options.headers ?? (() => ({}));
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 1);
    this.provenance = { engine: 'openai', model: options.model, version: OPENAI_STT_VERSION };
  }

  async transcribe({ audioPath, signal, epoch }: TranscribeInput): Promise<Transcript> {
    signal?.throwIfAborted();
    const info = await readWavInfo(audioPath);
    // Refused here, permanently, rather than by the server after a long upload (or worse, resampled silently).
    assertSpeechWav(audioPath, info);
    // A lazy Blob over the file: each attempt streams it from disk again, nothing is held in memory.
    const audio = await openAsBlob(audioPath, { type: 'audio/wav' });
    const response = await this.limiter.run(
      () =>
        engineRequest({
          what: 'openai-stt POST /v1/audio/transcriptions',
          url: `${this.baseUrl}/v1/audio/transcriptions`,
          init: () => ({
            method: 'POST',
            headers: { ...this.headers(), ...leaseEpochHeader(epoch) },
            body: this.form(audio, basename(audioPath)),
          }),
          timeoutMs: this.timeoutMs,
          retry: this.retry,
          signal,
        }),
      signal,
    );
    const answer = await this.parseAnswer(response.body);
    return {
      text: answer.text.trim(),
      words: wordsFromVerbose(answer),
      engine: this.provenance.engine,
      model: this.options.model,
      durationSec: Math.round(info.durationSec * 1000) / 1000,
    };
  }

  /** Loads the model now (speaches `POST /api/ps/{model}`); a model already loaded is fine. */
  async loadModel(signal?: AbortSignal): Promise<void> {
    await this.modelRequest('POST', [409], signal);
  }

  /**
   * Unloads the model now (speaches `DELETE /api/ps/{model}`), freeing its VRAM; a model not loaded is fine.
   * speaches answers 409 while the model is in use: that fails here (INTERNAL, transient), since the caller must
   * drain its requests before the switch.
   */
  async unloadModel(signal?: AbortSignal): Promise<void> {
    await this.modelRequest('DELETE', [404], signal);
  }

  /** Model ids the server has loaded now (speaches `GET /api/ps`). */
  async loadedModels(signal?: AbortSignal): Promise<string[]> {
    const response = await engineRequest({
      what: 'openai-stt GET /api/ps',
      url: `${this.baseUrl}/api/ps`,
      init: () => ({ method: 'GET', headers: this.headers() }),
      timeoutMs: this.timeoutMs,
      retry: this.retry,
      signal,
    });
    const parsed = parseJson(response.body, 'openai-stt GET /api/ps') as { models?: unknown };
    return Array.isArray(parsed.models) ? parsed.models.filter((m): m is string => typeof m === 'string') : [];
  }

  private async modelRequest(method: 'POST' | 'DELETE', okStatuses: number[], signal?: AbortSignal): Promise<void> {
    // speaches routes `/api/ps/{model_id:path}`: the id's slash ("Systran/...") stays a path separator.
    const path = `/api/ps/${this.options.model.split('/').map(encodeURIComponent).join('/')}`;
    await engineRequest({
      what: `openai-stt ${method} ${path}`,
      url: `${this.baseUrl}${path}`,
      init: () => ({ method, headers: this.headers() }),
      timeoutMs: this.timeoutMs,
      retry: this.retry,
      signal,
      okStatuses,
    });
  }

  private form(audio: Blob, fileName: string): FormData {
    const form = new FormData();
    form.append('file', audio, fileName);
    form.append('model', this.options.model);
    form.append('language', this.language);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'word');
    form.append('timestamp_granularities[]', 'segment');
    // Greedy decoding: the same audio gives the same transcript (servers fall back to higher temperatures
    // only when a segment fails their quality checks).
    form.append('temperature', '0');
    if (this.prompt !== undefined) form.append('prompt', this.prompt);
    return form;
  }

  private headers(): Record<string, string> {
    return { ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}), ...this.extraHeaders() };
  }

  private async parseAnswer(body: string): Promise<VerboseTranscriptionDto> {
    const what = 'openai-stt POST /v1/audio/transcriptions';
    const checked = await validateAnswer(VerboseTranscriptionDto, parseJson(body, what), { forbidUnknown: false });
    if (!checked.ok) {
      // The server broke its own API (a proxy's error page, a version that changed the shape): not the audio's
      // fault, and maybe passing; the stage retries.
      throw new IntroEvalError(
        ErrorCode.EngineUnavailable,
        `${what}: the answer is not verbose_json: ${checked.problems.join('; ')}`,
        false,
      );
    }
    return checked.value;
  }
}

function parseJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new IntroEvalError(ErrorCode.EngineUnavailable, `${what}: the server's answer is not JSON`, false, {
      cause: error,
    });
  }
}
