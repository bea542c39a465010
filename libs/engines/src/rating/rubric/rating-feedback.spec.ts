import { describe, expect, it } from '@jest/globals';
import { emptyProfile, type Profile } from '@introeval/contracts';
import { buildFeedback, weakestCriteria } from './rating-feedback.js';
import { defaultRubric } from './rubric.loader.js';
import type { CriterionJudgements, CriterionScores } from './rubric.types.js';

function judged(scores: CriterionScores, advice: Partial<Record<keyof CriterionScores, string>> = {}): CriterionJudgements {
  return Object.fromEntries(
    Object.entries(scores).map(([c, score]) => [c, { score, advice: advice[c as keyof CriterionScores] ?? null }]),
  ) as CriterionJudgements;
}

const COMPLETE_PROFILE: Profile = {
  ...emptyProfile(),
  name: 'Priya',
  degree: 'B.Tech',
  institution: 'NIT Trichy',
  skills: ['Python'],
  projects: ['a chatbot'],
  achievements: ['first prize in a hackathon'],
  careerGoal: 'data scientist',
};

describe('weakestCriteria', () => {
  const rubric = defaultRubric();

  it('names the two lowest scores, lowest first', () => {
    expect(weakestCriteria(rubric, judged({ content: 4, structure: 2, clarity: 5, professionalism: 1, delivery: 3 }))).toEqual([
      'professionalism',
      'structure',
    ]);
  });

  it('breaks ties by the heavier weight, then by rubric order', () => {
    expect(weakestCriteria(rubric, judged({ content: 4, structure: 4, clarity: 4, professionalism: 4, delivery: 4 }))).toEqual([
      'content',
      'structure',
    ]);
    expect(weakestCriteria(rubric, judged({ content: 3, structure: 3, clarity: 2, professionalism: 2, delivery: 5 }))).toEqual([
      'clarity',
      'professionalism',
    ]);
  });

  it('never names a criterion at 5', () => {
    expect(weakestCriteria(rubric, judged({ content: 5, structure: 5, clarity: 4, professionalism: 5, delivery: 5 }))).toEqual([
      'clarity',
    ]);
  });
});

describe('buildFeedback', () => {
  const rubric = defaultRubric();

  it('gives each weak criterion its advice and the anchor of the next level as the target', () => {
    const feedback = buildFeedback(
      rubric,
      judged({ content: 5, structure: 2, clarity: 4, professionalism: 5, delivery: 5 }, { structure: 'Add a closing line.' }),
      COMPLETE_PROFILE,
    );
    expect(feedback).toEqual([
      `Structure (2/5): Add a closing line. Next level (3/5): ${rubric.criteria.structure.anchors['3']}`,
      `Clarity (4/5): Next level (5/5): ${rubric.criteria.clarity.anchors['5']}`,
    ]);
  });

  it('adds one concrete suggestion per missing key fact, in the order an introduction states them', () => {
    const profile: Profile = { ...emptyProfile(), skills: ['Python'], hobbies: ['chess'], careerGoal: 'engineer' };
    const feedback = buildFeedback(rubric, judged({ content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5 }), profile);
    expect(feedback).toEqual([
      'State your name in your first sentence, e.g. "My name is ...".',
      'Say what you study, e.g. "I am a third-year B.Tech student in Computer Science".',
      'Name your university or college, e.g. "... at XYZ University".',
      'Describe one project: what you built, the tools you used and the result.',
      'Mention one internship, job or achievement, e.g. "Last summer I interned at ..., where I ...".',
    ]);
  });

  it('ends with the notes, and praises only when there is nothing to improve', () => {
    const top = judged({ content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5 });
    expect(buildFeedback(rubric, top, COMPLETE_PROFILE, ['A note.'])).toEqual(['A note.']);
    expect(buildFeedback(rubric, top, COMPLETE_PROFILE)).toEqual([expect.stringMatching(/^Strong introduction/)]);
  });
});
