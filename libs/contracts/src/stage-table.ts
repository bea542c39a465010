/**
 * The one description of the pipeline's stages. Every per-stage fact the services need (the order, the work subject,
 * the residency group, the service, the provenance key, the words a student reads) is a column here, and everything
 * else (`STAGES`, `STAGE_SUBJECT`, `NEXT_STAGE`, `GROUPS`, ...) is derived from it, so adding a stage is one row plus
 * its app. The table is `as const` and the derived types are its literals: a misspelt stage, group or key anywhere
 * else fails the type check.
 *
 * This file imports nothing: `scripts/start.mjs` loads its build directly to learn which services to start.
 */

/** The stream of work messages (topology.ts) takes the upload subject and everything under `introeval.stage.`. */
type WorkSubject = 'introeval.job.submitted' | `introeval.stage.${string}`;

/** What a row must say. Provenance and its fallback words come together: a part with no provenance has no fallback. */
type StageRow = {
  /** The stage's name: a job's `stage`, its durable consumer's name, its dead-letter subject's last token. */
  readonly stage: string;
  /** The work subject the stage consumes (subject in); the next row's is where a finished job goes (subject out). */
  readonly subject: WorkSubject;
  /** The app (apps/<service>) that runs the stage: its process, log prefix and NATS connection name. */
  readonly service: string;
  /** The GPU residency group whose models the stage needs loaded; null for a stage that runs on the CPU. */
  readonly group: string | null;
  /** What the stage's engine does, in the student's words ("Waiting for the <role> engine ..."). */
  readonly engineRole: string;
} & (
  | {
      /** The key of `Provenance` the stage's engine fills. */
      readonly provenance: string;
      /** How the notice names this part when a fallback engine produced it ("<part> by the fallback ... engine"). */
      readonly fallbackPart: string;
    }
  | { readonly provenance: null; readonly fallbackPart: null }
);

/** The pipeline's stages, in the order a job passes through them. */
export const STAGE_TABLE = [
  {
    stage: 'upload',
    subject: 'introeval.job.submitted',
    service: 'upload',
    group: null,
    engineRole: 'media checking',
    provenance: null,
    fallbackPart: null,
  },
  {
    stage: 'transcribe',
    subject: 'introeval.stage.transcribe',
    service: 'transcription',
    group: 'stt',
    engineRole: 'speech-to-text',
    provenance: 'stt',
    fallbackPart: 'Your recording was transcribed',
  },
  {
    stage: 'extract',
    subject: 'introeval.stage.extract',
    service: 'extraction',
    group: 'extract',
    engineRole: 'profile extraction',
    provenance: 'extract',
    fallbackPart: 'Your profile was read',
  },
  {
    stage: 'rate',
    subject: 'introeval.stage.rate',
    service: 'rating',
    group: 'rate',
    engineRole: 'rating',
    provenance: 'rate',
    fallbackPart: 'Your scores were given',
  },
] as const satisfies readonly StageRow[];

type Table = typeof STAGE_TABLE;
type Row = Table[number];
type RowOf<S extends Stage> = Extract<Row, { stage: S }>;

export type Stage = Row['stage'];
/** A GPU residency group: the models one stage needs loaded. */
export type Group = NonNullable<Row['group']>;
/** A stage that needs a residency group, i.e. runs gated on a GPU node's lease. */
export type GroupStage = Extract<Row, { group: string }>['stage'];
/** A key of the job's `Provenance`: which engine produced which part. */
export type ProvenanceKey = NonNullable<Row['provenance']>;
/** The app that runs a stage. */
export type StageService = Row['service'];

/** One column of a row list, in order, as a tuple. */
type ColumnOf<T extends readonly unknown[], K extends keyof Row> = T extends readonly [infer Head extends Row, ...infer Rest]
  ? [Head[K], ...ColumnOf<Rest, K>]
  : [];

/** The groups of a row list, in order, as a tuple (so `GROUPS[0]` is a group, not possibly undefined). */
type GroupsOf<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? Head extends { readonly group: infer G extends string }
    ? [G, ...GroupsOf<Rest>]
    : GroupsOf<Rest>
  : [];

/** The stages, in order. A job's `stage` is the one it is in (or ended in). */
export const STAGES = STAGE_TABLE.map((row) => row.stage) as unknown as Readonly<ColumnOf<Table, 'stage'>>;

/** The residency groups, in stage order. */
export const GROUPS = STAGE_TABLE.flatMap((row) => (row.group === null ? [] : [row.group])) as unknown as Readonly<GroupsOf<Table>>;

/** The stages that need a residency group, in order. */
export const GROUP_STAGES: readonly GroupStage[] = STAGE_TABLE.flatMap((row) => (row.group === null ? [] : [row.stage]));

/** The apps that run a stage, in stage order (the gateway and the scheduler are services but not stages). */
export const STAGE_SERVICES = STAGE_TABLE.map((row) => row.service) as unknown as Readonly<ColumnOf<Table, 'service'>>;

/** The keys of `Provenance`, in stage order. */
export const PROVENANCE_KEYS: readonly ProvenanceKey[] = STAGE_TABLE.flatMap((row) =>
  row.provenance === null ? [] : [row.provenance],
);

/** A record with one entry per stage. */
export function perStage<T>(value: (stage: Stage) => T): Record<Stage, T> {
  return Object.fromEntries(STAGES.map((stage) => [stage, value(stage)])) as Record<Stage, T>;
}

/** A record with one entry per residency group: what code that handles every group builds instead of naming them. */
export function perGroup<T>(value: (group: Group) => T): Record<Group, T> {
  return Object.fromEntries(GROUPS.map((group) => [group, value(group)])) as Record<Group, T>;
}

const rowOf = <S extends Stage>(stage: S): RowOf<S> => STAGE_TABLE.find((row) => row.stage === stage) as RowOf<S>;

/**
 * The work subject each stage consumes. Typed `string`, not the literal: subjects are compared with what arrives off
 * the wire, and a misspelt stage still fails as the key.
 */
export const STAGE_SUBJECT: Readonly<Record<Stage, string>> = perStage((stage) => rowOf(stage).subject);

/** The stage a job moves on to when a stage finishes; null after the last, which completes the job. */
export const NEXT_STAGE: Readonly<Record<Stage, Stage | null>> = perStage((stage) => STAGES[STAGES.indexOf(stage) + 1] ?? null);

/** Where a finished stage forwards its job (the next stage's subject); null for the last stage. */
export const STAGE_SUBJECT_OUT: Readonly<Record<Stage, string | null>> = perStage((stage) => {
  const next = NEXT_STAGE[stage];
  return next === null ? null : STAGE_SUBJECT[next];
});

/** The residency group each stage needs; null for one that runs on the CPU (upload). */
export const STAGE_GROUP = perStage((stage) => rowOf(stage).group) as { readonly [S in Stage]: RowOf<S>['group'] };

/** The stage whose work each residency group serves (the inverse of STAGE_GROUP). */
export const GROUP_STAGE = perGroup((group) => STAGE_TABLE.find((row) => row.group === group)!.stage) as {
  readonly [G in Group]: Extract<Row, { group: G }>['stage'];
};

/** What each stage's engine does, in the student's words. */
export const ENGINE_ROLE: Readonly<Record<Stage, string>> = perStage((stage) => rowOf(stage).engineRole);

/** The parts a fallback engine can produce, in stage order: which provenance key, from which stage, in what words. */
export const FALLBACK_PARTS: readonly { key: ProvenanceKey; stage: Stage; what: string }[] = STAGE_TABLE.flatMap((row) =>
  row.provenance === null ? [] : [{ key: row.provenance, stage: row.stage, what: row.fallbackPart }],
);
