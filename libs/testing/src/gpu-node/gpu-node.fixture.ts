// Helpers for the stand-in's own specs (not part of the build).
/* eslint-disable @typescript-eslint/no-explicit-any -- answers go straight to expect(), which checks their shape */
import type { BrainTranscript, GpuModelSpec } from './gpu-node.types.js';
import { cannedBrain } from './brains.js';
import { LAB_8GB_MODELS } from './lab-profiles.js';

export const [WHISPER, MISTRAL, LLAMA3] = LAB_8GB_MODELS.map((m) => ({ ...m })) as [GpuModelSpec, GpuModelSpec, GpuModelSpec];

export const CANNED_TRANSCRIPT: BrainTranscript = {
  text: 'hello my name is ada and i study physics',
  language: 'en',
  durationSec: 3.2,
  words: 'hello my name is ada and i study physics'.split(' ').map((word, i) => ({
    word,
    start: i * 0.3,
    end: i * 0.3 + 0.25,
    probability: 0.9,
  })),
};

export const CANNED_ANSWER = '{"name":"Ada","skills":["physics"]}';

export const testBrain = () => cannedBrain({ transcript: CANNED_TRANSCRIPT, chat: () => CANNED_ANSWER });

export async function postJson(
  url: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
    signal: init.signal,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

export async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  return response.json();
}

/** A chat with the adapters' transcript convention. */
export function chatBody(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model,
    messages: [{ role: 'user', content: '<transcript>hello my name is ada</transcript>' }],
    format: { type: 'object', properties: { name: { type: 'string' }, skills: { type: 'array' } } },
    stream: false,
    ...extra,
  };
}

/** A transcription upload as an OpenAI-compatible client sends it. */
export function transcriptionForm(
  model: string,
  fields: Record<string, string | string[]> = {},
  audio: Buffer = Buffer.alloc(3200),
): FormData {
  const form = new FormData();
  form.append('file', new Blob([audio], { type: 'audio/wav' }), 'audio.wav');
  form.append('model', model);
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return form;
}

export async function transcribe(
  speachesUrl: string,
  form: FormData,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${speachesUrl}/v1/audio/transcriptions`, { method: 'POST', body: form, ...init });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}
