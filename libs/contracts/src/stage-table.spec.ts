import { newJobRecord } from './job-record.js';
import {
  ENGINE_ROLE,
  FALLBACK_PARTS,
  GROUP_STAGE,
  GROUP_STAGES,
  GROUPS,
  NEXT_STAGE,
  PROVENANCE_KEYS,
  STAGE_GROUP,
  STAGE_SERVICES,
  STAGE_SUBJECT,
  STAGE_SUBJECT_OUT,
  STAGE_TABLE,
  STAGES,
  type Group,
  type Stage,
} from './stage-table.js';
import { Subjects } from './stages.js';

describe('the stage table', () => {
  it('lists the stages in pipeline order', () => {
    expect(STAGES).toEqual(['upload', 'transcribe', 'extract', 'rate']);
    expect(STAGE_SERVICES).toEqual(['upload', 'transcription', 'extraction', 'rating']);
  });

  it('names every stage, subject, service, group and provenance key once', () => {
    for (const column of ['stage', 'subject', 'service', 'group', 'provenance'] as const) {
      const values = STAGE_TABLE.map((row) => row[column]).filter((value) => value !== null);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('chains each stage to the next, and the last to none', () => {
    expect(NEXT_STAGE).toEqual({ upload: 'transcribe', transcribe: 'extract', extract: 'rate', rate: null });
    expect(STAGE_SUBJECT_OUT).toEqual({
      upload: STAGE_SUBJECT.transcribe,
      transcribe: STAGE_SUBJECT.extract,
      extract: STAGE_SUBJECT.rate,
      rate: null,
    });
  });

  it('keeps the subjects the services have always used', () => {
    expect(STAGE_SUBJECT).toEqual({
      upload: 'introeval.job.submitted',
      transcribe: 'introeval.stage.transcribe',
      extract: 'introeval.stage.extract',
      rate: 'introeval.stage.rate',
    });
    expect(Subjects.submitted).toBe(STAGE_SUBJECT.upload);
    expect(Subjects.extract).toBe(STAGE_SUBJECT.extract);
    // The work stream takes the upload subject and everything under introeval.stage. (topology.ts).
    for (const stage of STAGES.slice(1)) expect(STAGE_SUBJECT[stage]).toMatch(/^introeval\.stage\.[a-z]+$/);
  });

  it('maps stages to residency groups and back', () => {
    expect(GROUPS).toEqual(['stt', 'extract', 'rate']);
    expect(GROUP_STAGES).toEqual(['transcribe', 'extract', 'rate']);
    expect(STAGE_GROUP).toEqual({ upload: null, transcribe: 'stt', extract: 'extract', rate: 'rate' });
    expect(GROUP_STAGE).toEqual({ stt: 'transcribe', extract: 'extract', rate: 'rate' });
    for (const group of GROUPS) expect(STAGE_GROUP[GROUP_STAGE[group]]).toBe(group);
  });

  it('gives each engine its words and each provenance key its fallback part', () => {
    expect(ENGINE_ROLE).toEqual({
      upload: 'media checking',
      transcribe: 'speech-to-text',
      extract: 'profile extraction',
      rate: 'rating',
    });
    expect(PROVENANCE_KEYS).toEqual(['stt', 'extract', 'rate']);
    expect(FALLBACK_PARTS).toEqual([
      { key: 'stt', stage: 'transcribe', what: 'Your recording was transcribed' },
      { key: 'extract', stage: 'extract', what: 'Your profile was read' },
      { key: 'rate', stage: 'rate', what: 'Your scores were given' },
    ]);
  });

  it('starts a job with one empty provenance entry per key', () => {
    const record = newJobRecord({
      id: 'j',
      source: 'text',
      studentId: null,
      media: null,
      transcript: null,
      traceparent: null,
      now: new Date(0),
    });
    expect(record.provenance).toEqual({ stt: null, extract: null, rate: null });
  });

  it('types its names as literals, so a misspelt one does not compile', () => {
    // Checked by tsc (the specs are type-checked): each line below must be an error.
    // @ts-expect-error not a stage
    const stage: Stage = 'transcibe';
    // @ts-expect-error not a group
    const group: Group = 'sst';
    // @ts-expect-error upload runs on the CPU, with no group
    const upload: Group = STAGE_GROUP.upload;
    // And the derived maps keep the literals: the first group is 'stt', transcription's group is never null.
    const first: 'stt' = GROUPS[0];
    const stt: 'stt' = STAGE_GROUP.transcribe;
    expect([stage, group, upload, first, stt]).toEqual(['transcibe', 'sst', null, 'stt', 'stt']);
  });
});
