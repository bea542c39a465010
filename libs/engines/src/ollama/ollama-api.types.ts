// The parts of Ollama's HTTP API (docs/api.md upstream) that the client uses. Durations are nanoseconds.

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** `POST /api/chat` with `stream: false`. */
export interface OllamaChatBody {
  model: string;
  messages: OllamaMessage[];
  /** A JSON Schema: Ollama turns it into a grammar, so the answer is constrained to parse as that shape. */
  format?: object;
  stream: false;
  options?: {
    temperature?: number;
    seed?: number;
    num_ctx?: number;
    num_predict?: number;
  };
  keep_alive?: string | number;
}

export interface OllamaChatAnswer {
  model?: string;
  message?: { role?: string; content?: unknown };
  done?: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

/** `GET /api/tags`: the models on disk. */
export interface OllamaTagsAnswer {
  models?: { name?: string; model?: string; digest?: string }[];
}
