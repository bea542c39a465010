import type { EngineProvenance, Provenance, Stage } from '@introeval/contracts';

/** What each stage's engine does, in the student's words. */
const ENGINE_ROLE: Record<Stage, string> = {
  upload: 'media checking',
  transcribe: 'speech-to-text',
  extract: 'profile extraction',
  rate: 'rating',
};

/** The notice while a stage waits for its engine (ENGINE_UNAVAILABLE): the job is not stuck, it is retried. */
export function waitingNotice(stage: Stage): string {
  return (
    `Waiting for the ${ENGINE_ROLE[stage]} engine, which cannot be reached right now; ` +
    'this step is retried automatically.'
  );
}

const FALLBACK_PART: { key: keyof Provenance; stage: Stage; what: string }[] = [
  { key: 'stt', stage: 'transcribe', what: 'Your recording was transcribed' },
  { key: 'extract', stage: 'extract', what: 'Your profile was read' },
  { key: 'rate', stage: 'rate', what: 'Your scores were given' },
];

/**
 * The notice of a job some of whose parts a fallback engine produced (provenance `fallbackFrom`), or null when the
 * configured engines produced everything. Recomputed whenever a stage finishes, so it lasts to the result.
 */
export function fallbackNotice(provenance: Provenance): string | null {
  const notes = FALLBACK_PART.flatMap(({ key, stage, what }) => {
    const part: EngineProvenance | null = provenance[key];
    return part?.fallbackFrom
      ? [`${what} by the fallback ${part.engine} engine, because the ${part.fallbackFrom} ${ENGINE_ROLE[stage]} engine could not be reached.`]
      : [];
  });
  return notes.length > 0 ? notes.join(' ') : null;
}
