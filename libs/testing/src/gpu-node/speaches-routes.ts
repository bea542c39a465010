import type { ServerResponse } from 'node:http';
import type { BrainTranscript, BrainWord } from './gpu-node.types.js';
import { untilServed, type ServeTicket } from './gpu-model.js';
import { field, fieldList, sendJson, sendText, type ApiFace, type ApiRequest } from './http-kit.js';
import type { NodeState } from './node-state.js';
import { OutOfVramError } from './vram-card.js';

// CTranslate2's message when cudaMalloc fails, as speaches passes it on.
const OOM_MESSAGE = 'CUDA failed with error out of memory';
const FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'] as const;
type ResponseFormat = (typeof FORMATS)[number];
/** A pause this long starts a new segment, as Whisper's segments tend to break at pauses. */
const SEGMENT_GAP_SEC = 1;
const SEGMENT_MAX_WORDS = 30;

/** speaches' HTTP API on the node: transcriptions, /api/ps (list, load, unload), /v1/models, /health. */
export function speachesFace(state: NodeState): ApiFace {
  return {
    api: 'speaches',
    errorBody: (message) => ({ detail: message }),
    route: async (req, res) => {
      if (req.method === 'GET' && req.path === '/health') return sendText(res, 200, 'OK');
      if (req.method === 'GET' && req.path === '/v1/models') return sendJson(res, 200, models(state), req.corrupt);
      if (req.method === 'GET' && req.path === '/api/ps') {
        const loaded = state.speachesModels().filter((m) => m.presence() !== null).map((m) => m.spec.name);
        return sendJson(res, 200, { models: loaded }, req.corrupt);
      }
      // Model ids contain a slash (Systran/faster-whisper-large-v2): everything after the prefix is the id.
      if (req.path.startsWith('/api/ps/') && req.method === 'POST') return load(state, req.path.slice(8), req, res);
      if (req.path.startsWith('/api/ps/') && req.method === 'DELETE') return unload(state, req.path.slice(8), res);
      if (req.method === 'POST' && req.path === '/v1/audio/transcriptions') return transcribe(state, req, res);
      return sendJson(res, 404, { detail: 'Not Found' }); // FastAPI's answer for an unknown path
    },
  };
}

function models(state: NodeState): object {
  return {
    object: 'list',
    data: state.speachesModels().map(({ spec }) => ({
      id: spec.name,
      created: 0,
      object: 'model',
      owned_by: spec.name.includes('/') ? spec.name.split('/')[0] : 'speaches',
      language: [],
      task: 'automatic-speech-recognition',
    })),
  };
}

function notInstalled(id: string): object {
  return { detail: `Model '${id}' is not installed locally. You can download the model using \`POST /v1/models\`` };
}

async function load(state: NodeState, id: string, req: ApiRequest, res: ServerResponse): Promise<void> {
  const model = state.speachesModel(id);
  if (!model) return sendJson(res, 404, notInstalled(id));
  if (model.presence()) return sendText(res, 409, 'Model already loaded');
  try {
    await model.load();
  } catch (error) {
    if (error instanceof OutOfVramError) return sendJson(res, 500, { detail: OOM_MESSAGE });
    throw error;
  }
  if (req.signal.aborted || res.writableEnded) return;
  res.writeHead(201, { 'content-length': 0 });
  res.end();
}

/** speaches refuses to unload a model with a reference held (a request running, or still loading). */
function unload(state: NodeState, id: string, res: ServerResponse): void {
  const model = state.speachesModel(id);
  const result = model ? model.unloadIfIdle() : 'not-loaded';
  if (result === 'not-loaded') return sendText(res, 404, 'Model not found');
  if (result === 'in-use') return sendText(res, 409, `Model ${id} is still in use.`);
  res.writeHead(204);
  res.end();
}

function missing(...names: string[]): object {
  return { detail: names.map((name) => ({ type: 'missing', loc: ['body', name], msg: 'Field required', input: null })) };
}

async function transcribe(state: NodeState, req: ApiRequest, res: ServerResponse): Promise<void> {
  const mp = req.multipart;
  if (!mp) return sendJson(res, 422, missing('file', 'model'));
  const id = field(mp, 'model');
  const lacking = [...(mp.fileBytes ? [] : ['file']), ...(id ? [] : ['model'])];
  if (lacking.length > 0 || !id || !mp.fileBytes) return sendJson(res, 422, missing(...lacking));
  const format = (field(mp, 'response_format') ?? 'json') as ResponseFormat;
  if (!FORMATS.includes(format)) {
    return sendJson(res, 422, {
      detail: [{ type: 'literal_error', loc: ['body', 'response_format'], msg: `Input should be ${FORMATS.map((f) => `'${f}'`).join(', ')}`, input: format }],
    });
  }
  if (format === 'srt' || format === 'vtt') {
    return sendJson(res, 400, { detail: `response_format '${format}' is not served by the GPU-node stand-in` });
  }
  const granularities = fieldList(mp, 'timestamp_granularities[]');
  const bad = granularities.find((g) => g !== 'word' && g !== 'segment');
  if (bad !== undefined) return sendJson(res, 422, { detail: `'${bad}' is not a valid value for \`timestamp_granularities[]\`.` });
  const model = state.speachesModel(id);
  if (!model) return sendJson(res, 404, notInstalled(id));
  const language = field(mp, 'language') || undefined;
  const temperature = Number(field(mp, 'temperature') ?? 0) || 0;

  const answer = state.brain.transcribe(mp.fileBytes, { model: id, language }).then(
    (transcript) => ({ transcript, error: null }),
    (error: unknown) => ({ transcript: null, error: error instanceof Error ? error.message : String(error) }),
  );
  let ticket: ServeTicket;
  try {
    ticket = model.request({ epoch: req.epoch }); // loads on demand, paying loadSec
  } catch (error) {
    if (error instanceof OutOfVramError) return sendJson(res, 500, { detail: OOM_MESSAGE });
    throw error;
  }
  const outcome = await untilServed(ticket, req.signal);
  if (outcome.kind === 'cancelled') return;
  const { transcript, error } = await answer;
  if (!transcript) return sendJson(res, 500, { detail: error });

  const result = { ...transcript, language: language ?? transcript.language };
  if (format === 'text') return sendText(res, 200, req.corrupt ? '{"text": "' : result.text.trim());
  if (format === 'json') return sendJson(res, 200, { text: result.text.trim() }, req.corrupt);
  return sendJson(res, 200, verboseJson(result, granularities.includes('word'), temperature), req.corrupt);
}

/** OpenAI's verbose_json as speaches writes it: words (only when asked for) and segments, with Whisper's spacing. */
export function verboseJson(t: BrainTranscript, withWords: boolean, temperature: number): object {
  const segments = segmentWords(t).map((words, id) => {
    const start = words.length > 0 ? words[0].start : 0;
    const end = words.length > 0 ? words[words.length - 1].end : t.durationSec;
    const meanProbability = words.length > 0 ? words.reduce((s, w) => s + w.probability, 0) / words.length : 0.9;
    return {
      id,
      seek: Math.round(start * 100),
      start,
      end,
      text: words.length > 0 ? words.map((w) => ` ${w.word.trim()}`).join('') : ` ${t.text.trim()}`,
      tokens: [],
      temperature,
      avg_logprob: Math.log(Math.max(meanProbability, 1e-6)),
      compression_ratio: 1.5,
      no_speech_prob: 0.01,
      words: withWords ? words.map(whisperWord) : null,
    };
  });
  return {
    task: 'transcribe',
    language: t.language,
    duration: t.durationSec,
    text: t.text.trim(),
    words: withWords ? t.words.map(whisperWord) : null,
    segments,
  };
}

/** Whisper's words carry their leading space (" hello"); clients trim. */
function whisperWord(w: BrainWord): BrainWord {
  return { start: w.start, end: w.end, word: ` ${w.word.trim()}`, probability: w.probability };
}

function segmentWords(t: BrainTranscript): BrainWord[][] {
  if (t.words.length === 0) return t.text.trim() === '' ? [] : [[]];
  const segments: BrainWord[][] = [[]];
  for (const word of t.words) {
    const current = segments[segments.length - 1];
    const previous = current[current.length - 1];
    if (previous && (word.start - previous.end >= SEGMENT_GAP_SEC || current.length >= SEGMENT_MAX_WORDS)) segments.push([word]);
    else current.push(word);
  }
  return segments;
}
