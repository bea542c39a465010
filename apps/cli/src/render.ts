import type { SubmissionResult } from '@introeval/contracts';

const STAGE_LABEL: Record<SubmissionResult['stage'], string> = {
  upload: 'checking the recording',
  transcribe: 'transcribing',
  extract: 'reading your profile',
  rate: 'scoring',
};

/** One line of progress while waiting. */
export function progressLine(result: SubmissionResult, elapsedSec: number): string {
  const what = result.status === 'queued' ? `waiting for ${STAGE_LABEL[result.stage]}` : STAGE_LABEL[result.stage];
  return `${result.id.slice(0, 8)}  ${result.status.padEnd(10)} ${what} (${elapsedSec.toFixed(0)} s)`;
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
