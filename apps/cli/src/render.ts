import type { SubmissionResult } from '@introeval/contracts';
import type { NodeListing, QueueListing } from '@introeval/status-api';
import type { JobAnswer } from './api-client.js';

const STAGE_LABEL: Record<SubmissionResult['stage'], string> = {
  upload: 'checking the recording',
  transcribe: 'transcribing',
  extract: 'reading your profile',
  rate: 'scoring',
};

/**
 * One line of progress while waiting: the stage, and where the gateway knows them (from the status service) the
 * position in the stage's queue, what the job waits for and the ETA with its range.
 */
export function progressLine(result: JobAnswer, elapsedSec: number, now = Date.now()): string {
  const what = result.status === 'queued' ? `waiting for ${STAGE_LABEL[result.stage]}` : STAGE_LABEL[result.stage];
  const parts = [`${result.id.slice(0, 8)}  ${result.status.padEnd(10)} ${what}`];
  const here = result.position?.find((p) => p.current);
  if (here && here.position > 0) parts.push(`position ${here.position} of ${Math.max(here.queued, here.position)}`);
  if (result.waitingFor && result.waitingFor.code !== 'processing' && result.waitingFor.code !== 'queued') parts.push(result.waitingFor.message);
  if (result.eta) parts.push(etaText(result.eta, now));
  return `${parts.join(' · ')} (${elapsedSec.toFixed(0)} s)`;
}

/**
 * What a new line is written for when the output is not a terminal: a change of stage, state, position or what the
 * job waits for; not every tick of the ETA.
 */
export function progressKey(result: JobAnswer): string {
  const here = result.position?.find((p) => p.current);
  return [result.status, result.stage, here?.position ?? '', result.waitingFor?.code ?? ''].join('|');
}

/** "ETA 2 min 30 s (2 min-3 min 10 s)": the time left to the forecast completion and its range. */
export function etaText(eta: NonNullable<JobAnswer['eta']>, now = Date.now()): string {
  const left = (iso: string) => Math.max(0, (Date.parse(iso) - now) / 1000);
  return `ETA ${duration(left(eta.completeAt))} (${duration(left(eta.low))}-${duration(left(eta.high))})`;
}

/** Seconds as a student reads them: "45 s", "2 min 30 s", "1 h 5 min". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes > 0 ? ` ${minutes} min` : ''}`;
}

/** A table: columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `introeval status`: the GPU nodes, then the stage queues. */
export function statusTables(nodes: NodeListing, queues: QueueListing): string {
  const nodeRows = nodes.nodes.map((n) => [
    n.name,
    n.lease ? `${n.lease.phase.join('+') || '-'} ${n.lease.state}` : 'no lease',
    n.lease ? String(n.lease.epoch) : '-',
    n.switch ? `${n.switch.from.join('+') || '-'} -> ${n.switch.to.join('+')} (${n.switch.state}, ${n.switch.elapsedSec.toFixed(1)} s)` : n.nextPhase.length > 0 ? `next ${n.nextPhase.join('+')}` : '-',
    n.resident.map((m) => m.model).join(', ') || '-',
    n.groups.map((g) => `${g.group} ${g.secPerJob.toFixed(1)} s`).join(', '),
    `${n.switchSec.toFixed(1)} s`,
  ]);
  const nodesPart =
    nodeRows.length > 0
      ? table(['NODE', 'PHASE', 'EPOCH', 'SWITCH', 'RESIDENT', 'PER JOB', 'PER SWITCH'], nodeRows)
      : 'no GPU nodes: every stage runs on the CPU engines';
  return `${nodesPart}\n\n${queuesTable(queues)}`;
}

export function queuesTable(queues: QueueListing): string {
  const rows = queues.queues.map((q) => [
    q.stage,
    String(q.waiting),
    String(q.inFlight),
    q.waiting > 0 ? duration(q.oldestWaitingSec) : '-',
    String(q.consumers),
    String(q.deadLetters),
    q.alarm ?? '',
  ]);
  return table(['STAGE', 'WAITING', 'IN FLIGHT', 'OLDEST', 'WORKERS', 'DEAD LETTERS', 'ALARM'], rows);
}

/** `introeval queue [STAGE]`: the waiting jobs of each stage, in the order they will be taken. */
export function queueJobs(queues: QueueListing, now = Date.now()): string {
  return queues.queues
    .map((q) => {
      const head = `${q.stage}: ${q.waiting} waiting, ${q.inFlight} in flight${q.alarm ? ` (${q.alarm})` : ''}`;
      const rows = q.jobs.map((j) => [
        String(j.position),
        j.jobId,
        j.studentId ?? '-',
        j.queuedAt ? `${duration((now - Date.parse(j.queuedAt)) / 1000)} ago` : '-',
      ]);
      return rows.length > 0 ? `${head}\n${table(['#', 'JOB', 'STUDENT', 'QUEUED'], rows)}` : head;
    })
    .join('\n\n');
}

/** A readable summary of a finished (or current) job. */
export function summary(result: SubmissionResult): string {
  const lines = [`Submission ${result.id}: ${result.status}${result.status === 'completed' ? '' : ` (${result.stage})`}`];
  if (result.error) lines.push(`Error ${result.error.code}: ${result.error.message}`);
  if (result.notice) lines.push(`Note: ${result.notice}`);
  if (result.scores) {
    const s = result.scores;
    lines.push(
      `Score ${s.total}/100  content ${s.content}/5  structure ${s.structure}/5  clarity ${s.clarity}/5  professionalism ${s.professionalism}/5  delivery ${s.delivery}/5`,
    );
  }
  if (result.profile) {
    const p = result.profile;
    const facts = [
      p.name && `name: ${p.name}`,
      (p.degree || p.major) && `studies: ${[p.degree, p.major].filter(Boolean).join(' in ')}`,
      p.institution && `at: ${p.institution}`,
      p.skills.length > 0 && `skills: ${p.skills.join(', ')}`,
      p.careerGoal && `goal: ${p.careerGoal}`,
    ].filter(Boolean);
    if (facts.length > 0) lines.push(`Profile  ${facts.join(' | ')}`);
  }
  if (result.metrics?.wpm != null) {
    lines.push(`Delivery ${result.metrics.wpm} words/min, ${result.metrics.fillerPer100} fillers per 100 words`);
  }
  if (result.feedback.length > 0) lines.push('Feedback:', ...result.feedback.map((item) => `  - ${item}`));
  if (result.transcript) lines.push(`Transcript: ${result.transcript.text.slice(0, 300)}${result.transcript.text.length > 300 ? '...' : ''}`);
  return lines.join('\n');
}
