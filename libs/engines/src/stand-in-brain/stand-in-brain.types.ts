// The shape of a GPU-node stand-in's brain (GpuNodeBrain in @introeval/testing), written out here rather than
// imported: testing sits above engines (engine specs run against its stand-in), so engines may not import it.
// TypeScript checks that the two still fit wherever a spec hands rulesBrain() to startGpuNode.

export interface StandInWord {
  word: string;
  start: number;
  end: number;
  probability: number;
}

export interface StandInTranscript {
  text: string;
  language: string;
  durationSec: number;
  words: StandInWord[];
}

export interface StandInChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  /** Ollama's `format`: "json" or a JSON Schema object. */
  format?: unknown;
}

/** What the stand-in's answers say; the stand-in's latency model alone decides when they go out. */
export interface StandInBrain {
  transcribe(wav: Buffer, request: { model: string; language?: string }): Promise<StandInTranscript>;
  /** The assistant message content (a JSON text when `format` is set). Rejecting answers 500 with the message. */
  chat(request: StandInChatRequest): Promise<string>;
}
