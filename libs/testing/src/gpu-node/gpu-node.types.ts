// The public shapes of the GPU-node stand-in. Times in logs are SIMULATED seconds since the node started.

/** One model the node can load, on one of its two APIs. */
export interface GpuModelSpec {
  /** e.g. 'mistral:7b-instruct-q4_K_M', 'llama3:8b-instruct-q4_K_M', 'Systran/faster-whisper-large-v2' */
  name: string;
  api: 'ollama' | 'speaches';
  /** Residency group: 'stt' | 'extract' | 'rate' (free text). */
  group: string;
  /** Resident footprint. */
  vramMb: number;
  /** Cold load time (simulated seconds). */
  loadSec: number;
  /** One request's service time at concurrency 1 (simulated seconds). */
  serviceSec: number;
  /** Ollama NUM_PARALLEL / speaches batch size; more requests wait in a FIFO queue. */
  maxConcurrency: number;
  /** Throughput at maxConcurrency relative to 1 (3.5 for batch 8, 2.2 for 4 parallel); 1 = no gain. */
  gainAtMax: number;
  /** Pending requests beyond which Ollama answers 503 (OLLAMA_MAX_QUEUE, default 512). Ollama models only. */
  maxQueue?: number;
  /** sha256 hex shown by /api/tags and /api/ps (default: a hash of the name). */
  digest?: string;
}

export interface GpuNodeOptions {
  /** The card's budget (8192 for the lab's RTX 3060 Ti). */
  vramMb: number;
  models: readonly GpuModelSpec[];
  /** Simulated seconds per real second (default 1); 25 runs a 25-minute lab in about a minute. */
  timeScale?: number;
  /** VRAM shows free this long after an unload (default 0; real cards up to ~1.5 s). */
  unloadLagSec?: number;
  /** Ollama's default keep_alive, OLLAMA_KEEP_ALIVE (default 300 = "5m"; negative = forever). */
  ollamaKeepAliveSec?: number;
  /** speaches' STT_MODEL_TTL: an idle model unloads after this long (default 300; 0 = at once; negative = never). */
  speachesTtlSec?: number;
  /**
   * What the answers say: rulesBrain() (the engines lib's stand-in-brain entry) for real ones (pocketsphinx and
   * the rules engines), cannedBrain() / cannedIntroductionBrain() for fixed ones. No default: a default of real
   * answers would make this lib import the engines, whose own specs run against this stand-in.
   */
  brain: GpuNodeBrain;
  host?: string;
  /** 0 / undefined = a free port. */
  ollamaPort?: number;
  /** 0 / undefined = a free port. */
  speachesPort?: number;
}

export interface BrainWord {
  word: string;
  start: number;
  end: number;
  probability: number;
}

export interface BrainTranscript {
  text: string;
  language: string;
  durationSec: number;
  words: BrainWord[];
}

export interface BrainChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  /** Ollama's `format`: "json" or a JSON Schema object. */
  format?: unknown;
}

/**
 * What the node's answers say. Time is not the brain's business: the latency model alone decides it. The brain
 * starts when the request arrives; the answer goes out once the model's simulated service is over AND the brain
 * is done (a slow brain at a high time scale delays the reply in real time, never the logged busy interval).
 */
export interface GpuNodeBrain {
  transcribe(wav: Buffer, request: { model: string; language?: string }): Promise<BrainTranscript>;
  /** The assistant message content (a JSON text when `format` is set). Rejecting answers 500 with the message. */
  chat(request: BrainChatRequest): Promise<string>;
}

/** One request that a model actually served (it got a slot). */
export interface BusyInterval {
  model: string;
  group: string;
  /** Start of service (it left the queue and got a slot). */
  start: number;
  /** End of service; null while it still runs. */
  end: number | null;
  /** From the request header `X-Lease-Epoch`, when sent and numeric. */
  epoch: number | null;
  /** The client went away before the answer: `end` is when it left. */
  cancelled: boolean;
}

/** One load of one model, from the start of loading until its memory shows free. */
export interface ResidencyInterval {
  model: string;
  group: string;
  vramMb: number;
  loadStart: number;
  /** null while loading. */
  loadedAt: number | null;
  /** null while resident. */
  unloadedAt: number | null;
  /** When the card shows the memory free (unloadedAt + unloadLagSec); null while resident. */
  freedAt: number | null;
}

/** A request as the node received it, for "exact request body" assertions. */
export interface RecordedRequest {
  api: 'ollama' | 'speaches';
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** JSON bodies parsed; multipart as fields + file size; other text as a string; no body as null. */
  body: unknown;
  /** Simulated arrival time. */
  at: number;
}

/** The multipart body as recorded: every field (repeated ones as arrays) and the file's size, not its bytes. */
export interface RecordedMultipart {
  fields: Record<string, string | string[]>;
  file: { field: string; filename: string; mimeType: string; size: number } | null;
}

interface FaultTarget {
  api: 'ollama' | 'speaches';
  /** Exact path (no query string), e.g. '/api/chat' or '/api/ps/Systran/faster-whisper-large-v2'. */
  path: string;
  /** How many matching requests misbehave (default 1). */
  times?: number;
}

/**
 * The next matching requests misbehave. `status`: answers that status and body at once. `invalid-json`: the
 * request is served normally (it takes its time), but the 200 carries content that is not valid JSON (the model's
 * content for chat/generate; the whole body elsewhere). `hang`: never answers until the client goes away.
 * `reset`: destroys the socket.
 */
export type Fault =
  | (FaultTarget & { kind: 'status'; status: number; body?: object })
  | (FaultTarget & { kind: 'invalid-json' })
  | (FaultTarget & { kind: 'hang' })
  | (FaultTarget & { kind: 'reset' });

export interface GpuNodeHandle {
  readonly ollamaUrl: string;
  readonly speachesUrl: string;
  /** Simulated seconds since start. */
  now(): number;
  busyIntervals(): BusyInterval[];
  residency(): ResidencyInterval[];
  /** Successful loads (completed). */
  loads(): number;
  /** Loads refused for lack of VRAM. */
  oomErrors(): number;
  /** VRAM held now: resident + loading + freed-but-lagging. */
  usedVramMb(): number;
  requests(): RecordedRequest[];
  inject(fault: Fault): void;
  /** Stops both listeners, answering nothing more (open requests are dropped). */
  close(): Promise<void>;
}
