import type { BrainChatRequest, BrainTranscript, GpuNodeBrain } from './gpu-node.types.js';

// Real answers (pocketsphinx and the rules engines) come from rulesBrain(), the engines lib's stand-in-brain
// entry: it lives with the engines so that this lib never imports them.

/** Fixed answers and no CPU work, for benchmarks: only the latency model costs time. */
export function cannedBrain(answers: {
  transcript: BrainTranscript;
  chat: (request: BrainChatRequest) => string;
}): GpuNodeBrain {
  return {
    async transcribe(_wav, request) {
      return { ...answers.transcript, language: request.language ?? answers.transcript.language };
    },
    async chat(request) {
      return answers.chat(request);
    },
  };
}

/**
 * Canned answers for one introduction, the same for every request: `text` as the transcript (words 0.4 s apart),
 * `profile` for an extraction schema (one with `skills`), and `judgement` for every criterion a rating schema asks
 * for. For benchmarks and process-level tests, where only the latency model should cost time.
 */
export function cannedIntroductionBrain(intro: {
  text: string;
  profile: object;
  judgement: { justification: string; score: number };
}): GpuNodeBrain {
  const words = intro.text.toLowerCase().replace(/[.,]/g, '').split(/\s+/).filter(Boolean);
  return cannedBrain({
    transcript: {
      text: words.join(' '),
      language: 'en',
      durationSec: words.length * 0.4,
      words: words.map((word, i) => ({ word, start: i * 0.4, end: i * 0.4 + 0.3, probability: 0.9 })),
    },
    chat: (request) => {
      const properties = (request.format as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      if ('skills' in properties) return JSON.stringify(intro.profile);
      return JSON.stringify(Object.fromEntries(Object.keys(properties).map((key) => [key, intro.judgement])));
    },
  });
}
