import { ENGINE_ROLE, FALLBACK_PARTS, type EngineProvenance, type Provenance, type Stage } from '@introeval/contracts';

/** The notice while a stage waits for its engine (ENGINE_UNAVAILABLE): the job is not stuck, it is retried. */
export function waitingNotice(stage: Stage): string {
  return (
    `Waiting for the ${ENGINE_ROLE[stage]} engine, which cannot be reached right now; ` +
    'this step is retried automatically.'
  );
}

/**
 * The notice of a job some of whose parts a fallback engine produced (provenance `fallbackFrom`), or null when the
 * configured engines produced everything. Recomputed whenever a stage finishes, so it lasts to the result.
 */
export function fallbackNotice(provenance: Provenance): string | null {
  const notes = FALLBACK_PARTS.flatMap(({ key, stage, what }) => {
    const part: EngineProvenance | null = provenance[key];
    return part?.fallbackFrom
      ? [`${what} by the fallback ${part.engine} engine, because the ${part.fallbackFrom} ${ENGINE_ROLE[stage]} engine could not be reached.`]
      : [];
  });
  return notes.length > 0 ? notes.join(' ') : null;
}
