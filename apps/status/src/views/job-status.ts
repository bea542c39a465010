import { isFinal, STAGES, toSubmissionResult, withoutPlace, type Eta, type JobRecord, type StagePosition, type SubmissionStatus } from '@introeval/contracts';
import { remainingSec } from '@introeval/status-api';
import type { JobForecast } from '@introeval/scheduling';
import type { Snapshot } from '../snapshot/snapshot.types.js';
import { waitingFor, type Place } from './waiting-for.js';

/** Where the job is in its current stage's queue: taken by a worker, or behind `ahead` others. */
function placeOf(record: JobRecord, snapshot: Snapshot): Place {
  const queue = snapshot.stages[record.stage];
  if (queue.inFlight.some((job) => job.jobId === record.id)) return { kind: 'running' };
  // The record is newer than the snapshot can be: a worker that has recorded its attempt holds the job.
  const timing = record.stages[record.stage];
  if (record.status === 'processing' && timing?.startedAt && !timing.finishedAt) return { kind: 'running' };
  const index = queue.waiting.findIndex((job) => job.jobId === record.id);
  // Not in the queue yet (its stage has just advanced and the message is on its way): behind everyone waiting.
  return { kind: 'waiting', ahead: index >= 0 ? index : queue.waiting.length };
}

/** Positions are counts of jobs, never their ids: a student learns nothing about anyone else's submission. */
function positionsOf(record: JobRecord, place: Place, snapshot: Snapshot, forecast: JobForecast | undefined): StagePosition[] {
  return STAGES.slice(STAGES.indexOf(record.stage)).map((stage) => {
    const queued = snapshot.stages[stage].waiting.length;
    if (stage === record.stage) {
      if (place.kind === 'running') return { stage, position: 0, queued, current: true };
      // Waiting but not yet in the snapshot's queue: it counts itself among the queued.
      const listed = snapshot.stages[stage].waiting.some((job) => job.jobId === record.id);
      return { stage, position: place.ahead + 1, queued: listed ? queued : queued + 1, current: true };
    }
    // A later stage: the replay's place for it, or else behind everything waiting there now.
    const planned = forecast?.stalledAt === null ? forecast.stages.find((s) => s.stage === stage)?.position : undefined;
    return { stage, position: planned ?? queued + 1, queued, current: false };
  });
}

const iso = (sec: number) => new Date(Math.round(sec * 1000)).toISOString();

function etaOf(forecast: JobForecast | undefined, snapshot: Snapshot): Eta | null {
  // A replay that cannot finish the job (a stage without workers, a group no node grants) gives no ETA, not a guess.
  if (!forecast || forecast.stalledAt !== null || !Number.isFinite(forecast.completeAtSec)) return null;
  const atSec = snapshot.forecast.atSec;
  // Never before the forecast was made, and the range always holds the estimate.
  const complete = Math.max(forecast.completeAtSec, atSec);
  const low = Math.min(Math.max(forecast.lowSec, atSec), complete);
  const high = Math.max(forecast.highSec, complete);
  const switchAhead = forecast.switchAhead ? `; first node ${forecast.switchAhead.node} switches to ${forecast.switchAhead.phase.join('+')}` : '';
  const completeAt = iso(complete);
  const forecastAt = iso(atSec);
  return {
    completeAt,
    low: iso(low),
    high: iso(high),
    remainingSec: remainingSec(Date.parse(completeAt), Date.parse(forecastAt)),
    basis: `${snapshot.forecast.basis}${switchAhead}`,
    forecastAt,
  };
}

/** A job as the status API shows it: its result so far and, while unfinished, its place, what it waits for, its ETA. */
export function jobStatus(record: JobRecord, snapshot: Snapshot): SubmissionStatus {
  const result = toSubmissionResult(record);
  if (isFinal(record)) return withoutPlace(result);
  const forecast = snapshot.forecastOf(record);
  const place = placeOf(record, snapshot);
  return {
    ...result,
    position: positionsOf(record, place, snapshot, forecast),
    waitingFor: waitingFor(record, place, snapshot, forecast),
    eta: etaOf(forecast, snapshot),
  };
}
