import type { ProvenanceKey, Stage } from './stage-table.js';
import type { JobStatus } from './stages.js';

/** The result contract (DESIGN.md): the HTTP API, the CLI and gRPC all carry exactly these fields. */
export interface SubmissionResult {
  id: string;
  status: JobStatus;
  stage: Stage;
  error: JobErrorInfo | null;
  /**
   * A note for the student about how the job is going or went, null when there is none: why it is waiting (its
   * stage's engine is unreachable and the stage is being retried), or that a fallback engine produced part of it.
   */
  notice: string | null;
  transcript: Transcript | null;
  profile: Profile | null;
  metrics: DeliveryMetrics | null;
  scores: Scores | null;
  feedback: string[];
  provenance: Provenance;
  timings: Timings;
}

export interface JobErrorInfo {
  code: string;
  message: string;
}

export interface Word {
  w: string;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
  /** Recogniser confidence, 0..1. */
  conf: number;
}

export interface Transcript {
  text: string;
  /** Empty for text submissions (no timing is known). */
  words: Word[];
  engine: string;
  model: string | null;
  durationSec: number | null;
}

export interface Profile {
  name: string | null;
  degree: string | null;
  major: string | null;
  institution: string | null;
  graduationYear: number | null;
  yearOfStudy: number | null;
  skills: string[];
  projects: string[];
  experience: string[];
  achievements: string[];
  hobbies: string[];
  careerGoal: string | null;
  strengths: string[];
}

/** Delivery metrics computed by code from word timings; null where the input has no timings (text). */
export interface DeliveryMetrics {
  wpm: number | null;
  fillerPer100: number;
  pauseRatio: number | null;
  /** Gaps longer than 1 s per speaking minute. */
  longPauses: number | null;
  /** Share of profile fields that are filled, 0..1. */
  fieldCoverage: number;
  /** Mean words per run of speech between pauses (gaps >= 0.25 s); null without timings. */
  meanLengthOfRun: number | null;
}

/** Rubric criteria 1..5, total 0..100 (weighted mechanically). */
export interface Scores {
  content: number;
  structure: number;
  clarity: number;
  professionalism: number;
  delivery: number;
  total: number;
}

export interface EngineProvenance {
  engine: string;
  model: string | null;
  version: string | null;
  /** The model's content digest (`sha256:...`) where the engine reports one: a re-pulled tag changes it. */
  digest?: string;
  /** Tokens the model read and wrote for this job (all calls, a repair turn included). */
  promptTokens?: number;
  evalTokens?: number;
  /** Time the engine spent loading the model for this job's calls (a cold start shows here), ms. */
  loadMs?: number;
  /**
   * Set when the configured engine (this value, e.g. `ollama`) was unreachable and the fallback engine named in
   * `engine` produced this part instead (EXTRACT_FALLBACK / RATE_FALLBACK).
   */
  fallbackFrom?: string;
}

/**
 * Which engine produced each part, one key per stage that has an engine (the stage table's `provenance` column);
 * `stt` is null when a transcript was submitted as text.
 */
export type Provenance = Record<ProvenanceKey, EngineProvenance | null>;

export interface Timings {
  submittedAt: string;
  completedAt: string | null;
  perStageMs: Partial<Record<Stage, number>>;
}

export const PROFILE_SCALAR_FIELDS = [
  'name',
  'degree',
  'major',
  'institution',
  'graduationYear',
  'yearOfStudy',
  'careerGoal',
] as const;
export const PROFILE_LIST_FIELDS = ['skills', 'projects', 'experience', 'achievements', 'hobbies', 'strengths'] as const;

export function emptyProfile(): Profile {
  return {
    name: null,
    degree: null,
    major: null,
    institution: null,
    graduationYear: null,
    yearOfStudy: null,
    skills: [],
    projects: [],
    experience: [],
    achievements: [],
    hobbies: [],
    careerGoal: null,
    strengths: [],
  };
}
