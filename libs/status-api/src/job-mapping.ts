import {
  PROVENANCE_KEYS,
  STAGES,
  WAITING_FOR_CODES,
  GROUPS,
  type DeliveryMetrics as ContractMetrics,
  type EngineProvenance as ContractEngineProvenance,
  type Eta as ContractEta,
  type Group,
  type JobStatus,
  type Profile as ContractProfile,
  type Provenance as ContractProvenance,
  type StagePosition as ContractStagePosition,
  type SubmissionResult,
  type SubmissionStatus,
  type Transcript as ContractTranscript,
  type WaitingFor as ContractWaitingFor,
  type WaitingForCode,
} from '@introeval/contracts';
import type {
  DeliveryMetrics,
  EngineProvenance,
  Eta,
  Job,
  JobView,
  Profile,
  Provenance,
  StagePosition,
  Transcript,
  WaitingFor,
} from './generated/introeval/status/v1/status.js';
import { fromTimestamp, toTimestamp } from './timestamp.js';

// The result contract and the proto carry the same fields; the contract's null is an absent field in the proto. On
// the way back, proto-loader (`defaults: true`) hands absent message fields over as null and absent optional scalars
// as undefined, so every read below treats both alike (`?? null`).

/** A proto from the status service that does not say what the contract needs: names the field. */
export class StatusMappingError extends Error {
  constructor(field: string, value: unknown) {
    super(`the status service sent ${field} = ${JSON.stringify(value)}, which the result contract does not allow`);
    this.name = 'StatusMappingError';
  }
}

const JOB_STATUSES: readonly JobStatus[] = ['queued', 'processing', 'completed', 'failed'];

function oneOf<T extends string>(allowed: readonly T[], value: string, field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new StatusMappingError(field, value);
  return value as T;
}

const absent = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

// ---- SubmissionResult -> proto Job

function transcriptToProto(t: ContractTranscript): Transcript {
  return { text: t.text, words: t.words.map((w) => ({ ...w })), engine: t.engine, model: absent(t.model), durationSec: absent(t.durationSec) };
}

function profileToProto(p: ContractProfile): Profile {
  return {
    name: absent(p.name),
    degree: absent(p.degree),
    major: absent(p.major),
    institution: absent(p.institution),
    graduationYear: absent(p.graduationYear),
    yearOfStudy: absent(p.yearOfStudy),
    skills: [...p.skills],
    projects: [...p.projects],
    experience: [...p.experience],
    achievements: [...p.achievements],
    hobbies: [...p.hobbies],
    careerGoal: absent(p.careerGoal),
    strengths: [...p.strengths],
  };
}

function metricsToProto(m: ContractMetrics): DeliveryMetrics {
  return {
    wpm: absent(m.wpm),
    fillerPer100: m.fillerPer100,
    pauseRatio: absent(m.pauseRatio),
    longPauses: absent(m.longPauses),
    fieldCoverage: m.fieldCoverage,
    // Records written before the metric existed lack it.
    meanLengthOfRun: absent(m.meanLengthOfRun),
  };
}

function engineToProto(e: ContractEngineProvenance): EngineProvenance {
  return {
    engine: e.engine,
    model: absent(e.model),
    version: absent(e.version),
    digest: e.digest,
    promptTokens: e.promptTokens,
    evalTokens: e.evalTokens,
    loadMs: e.loadMs,
    fallbackFrom: e.fallbackFrom,
  };
}

function provenanceToProto(p: ContractProvenance): Provenance {
  // One proto field per provenance key; a key the proto lacks fails the type check here.
  const out = {} as Provenance;
  for (const key of PROVENANCE_KEYS) out[key] = p[key] ? engineToProto(p[key]) : undefined;
  return out;
}

/** The result contract as the proto `Job` (null fields absent). */
export function toProtoJob(r: SubmissionResult): Job {
  return {
    id: r.id,
    status: r.status,
    stage: r.stage,
    error: r.error ? { code: r.error.code, message: r.error.message } : undefined,
    notice: absent(r.notice),
    transcript: r.transcript ? transcriptToProto(r.transcript) : undefined,
    profile: r.profile ? profileToProto(r.profile) : undefined,
    metrics: r.metrics ? metricsToProto(r.metrics) : undefined,
    scores: r.scores ? { ...r.scores } : undefined,
    feedback: [...r.feedback],
    provenance: provenanceToProto(r.provenance),
    timings: {
      submittedAt: r.timings.submittedAt,
      completedAt: absent(r.timings.completedAt),
      perStageMs: { ...r.timings.perStageMs },
    },
  };
}

// ---- proto Job -> SubmissionResult

function transcriptFromProto(t: Transcript): ContractTranscript {
  return {
    text: t.text,
    words: (t.words ?? []).map((w) => ({ w: w.w, start: w.start, end: w.end, conf: w.conf })),
    engine: t.engine,
    model: orNull(t.model),
    durationSec: orNull(t.durationSec),
  };
}

function profileFromProto(p: Profile): ContractProfile {
  return {
    name: orNull(p.name),
    degree: orNull(p.degree),
    major: orNull(p.major),
    institution: orNull(p.institution),
    graduationYear: orNull(p.graduationYear),
    yearOfStudy: orNull(p.yearOfStudy),
    skills: [...(p.skills ?? [])],
    projects: [...(p.projects ?? [])],
    experience: [...(p.experience ?? [])],
    achievements: [...(p.achievements ?? [])],
    hobbies: [...(p.hobbies ?? [])],
    careerGoal: orNull(p.careerGoal),
    strengths: [...(p.strengths ?? [])],
  };
}

function metricsFromProto(m: DeliveryMetrics): ContractMetrics {
  return {
    wpm: orNull(m.wpm),
    fillerPer100: m.fillerPer100,
    pauseRatio: orNull(m.pauseRatio),
    longPauses: orNull(m.longPauses),
    fieldCoverage: m.fieldCoverage,
    meanLengthOfRun: orNull(m.meanLengthOfRun),
  };
}

function engineFromProto(e: EngineProvenance): ContractEngineProvenance {
  const out: ContractEngineProvenance = { engine: e.engine, model: orNull(e.model), version: orNull(e.version) };
  // Optional in the contract: present only where the engine said.
  if (e.digest != null) out.digest = e.digest;
  if (e.promptTokens != null) out.promptTokens = e.promptTokens;
  if (e.evalTokens != null) out.evalTokens = e.evalTokens;
  if (e.loadMs != null) out.loadMs = e.loadMs;
  if (e.fallbackFrom != null) out.fallbackFrom = e.fallbackFrom;
  return out;
}

/** The proto `Job` as the result contract (absent fields null). */
export function fromProtoJob(job: Job): SubmissionResult {
  const provenance = {} as ContractProvenance;
  for (const key of PROVENANCE_KEYS) {
    const part = job.provenance?.[key];
    provenance[key] = part ? engineFromProto(part) : null;
  }
  const perStageMs: SubmissionResult['timings']['perStageMs'] = {};
  for (const [stage, ms] of Object.entries(job.timings?.perStageMs ?? {})) perStageMs[oneOf(STAGES, stage, 'timings.perStageMs key')] = ms;
  if (!job.timings) throw new StatusMappingError('job.timings', job.timings);
  return {
    id: job.id,
    status: oneOf(JOB_STATUSES, job.status, 'job.status'),
    stage: oneOf(STAGES, job.stage, 'job.stage'),
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    notice: orNull(job.notice),
    transcript: job.transcript ? transcriptFromProto(job.transcript) : null,
    profile: job.profile ? profileFromProto(job.profile) : null,
    metrics: job.metrics ? metricsFromProto(job.metrics) : null,
    scores: job.scores
      ? {
          content: job.scores.content,
          structure: job.scores.structure,
          clarity: job.scores.clarity,
          professionalism: job.scores.professionalism,
          delivery: job.scores.delivery,
          total: job.scores.total,
        }
      : null,
    feedback: [...(job.feedback ?? [])],
    provenance,
    timings: { submittedAt: job.timings.submittedAt, completedAt: orNull(job.timings.completedAt), perStageMs },
  };
}

// ---- SubmissionStatus <-> JobView

const iso = (ms: number): string => new Date(ms).toISOString();

/** Whole seconds from the forecast to the completion it expects; never negative (an overdue job says 0). */
export function remainingSec(completeAtMs: number, forecastAtMs: number): number {
  return Math.max(0, Math.round((completeAtMs - forecastAtMs) / 1000));
}

function etaToProto(eta: ContractEta): Eta {
  return {
    completeAt: toTimestamp(Date.parse(eta.completeAt)),
    low: toTimestamp(Date.parse(eta.low)),
    high: toTimestamp(Date.parse(eta.high)),
    basis: eta.basis,
    forecastAt: toTimestamp(Date.parse(eta.forecastAt)),
  };
}

function etaFromProto(eta: Eta): ContractEta {
  const ms = (field: 'completeAt' | 'low' | 'high' | 'forecastAt'): number => {
    const value = fromTimestamp(eta[field]);
    if (value === null) throw new StatusMappingError(`eta.${field}`, eta[field]);
    return value;
  };
  return {
    completeAt: iso(ms('completeAt')),
    low: iso(ms('low')),
    high: iso(ms('high')),
    remainingSec: remainingSec(ms('completeAt'), ms('forecastAt')),
    basis: eta.basis,
    forecastAt: iso(ms('forecastAt')),
  };
}

function waitingToProto(w: ContractWaitingFor): WaitingFor {
  return { code: w.code, message: w.message, node: w.node ?? '', phase: [...w.phase], ahead: w.ahead };
}

function waitingFromProto(w: WaitingFor): ContractWaitingFor {
  return {
    code: oneOf<WaitingForCode>(WAITING_FOR_CODES, w.code, 'waitingFor.code'),
    message: w.message,
    // proto3 strings have no null: an empty node is none.
    node: w.node ? w.node : null,
    phase: (w.phase ?? []).map((group) => oneOf<Group>(GROUPS, group, 'waitingFor.phase')),
    ahead: w.ahead,
  };
}

function positionFromProto(p: StagePosition): ContractStagePosition {
  return { stage: oneOf(STAGES, p.stage, 'positions.stage'), position: p.position, queued: p.queued, current: p.current };
}

/** A job's status (the contract JSON the gateway and the CLI show) as the proto JobView the status service sends. */
export function toJobView(status: SubmissionStatus): JobView {
  const { position, waitingFor, eta, ...result } = status;
  return {
    job: toProtoJob(result),
    positions: position.map((p) => ({ ...p })),
    waitingFor: waitingFor ? waitingToProto(waitingFor) : undefined,
    eta: eta ? etaToProto(eta) : undefined,
  };
}

/**
 * The proto JobView as the contract JSON of `GET /api/submissions/:id`, its event stream and `introeval watch`: ISO
 * times, `remainingSec`, null where the proto has nothing. Throws StatusMappingError on a value the contract forbids.
 */
export function toSubmissionStatus(view: JobView): SubmissionStatus {
  if (!view.job) throw new StatusMappingError('view.job', view.job);
  return {
    ...fromProtoJob(view.job),
    position: (view.positions ?? []).map(positionFromProto),
    waitingFor: view.waitingFor ? waitingFromProto(view.waitingFor) : null,
    eta: view.eta ? etaFromProto(view.eta) : null,
  };
}


