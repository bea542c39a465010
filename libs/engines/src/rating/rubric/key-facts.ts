import type { Profile } from '@introeval/contracts';

/** A fact every introduction should state, and a concrete way to add it when it is missing. */
export interface KeyFact {
  id: 'name' | 'studies' | 'institution' | 'skills' | 'projects' | 'experience' | 'careerGoal';
  present: (profile: Profile) => boolean;
  suggestion: string;
}

/**
 * The facts an introduction is for: who, what they study, where, what they can do, what they did, where they are
 * going. Content is judged on them and the feedback names each one that is missing; hobbies, strengths and the
 * year of study add colour but cannot stand in for any of them.
 */
export const KEY_FACTS: readonly KeyFact[] = [
  {
    id: 'name',
    present: (p) => p.name !== null,
    suggestion: 'State your name in your first sentence, e.g. "My name is ...".',
  },
  {
    id: 'studies',
    present: (p) => p.degree !== null || p.major !== null,
    suggestion: 'Say what you study, e.g. "I am a third-year B.Tech student in Computer Science".',
  },
  {
    id: 'institution',
    present: (p) => p.institution !== null,
    suggestion: 'Name your university or college, e.g. "... at XYZ University".',
  },
  {
    id: 'skills',
    present: (p) => p.skills.length > 0,
    suggestion: 'Name two or three skills that matter for the lab, e.g. Python, SQL and data analysis.',
  },
  {
    id: 'projects',
    present: (p) => p.projects.length > 0,
    suggestion: 'Describe one project: what you built, the tools you used and the result.',
  },
  {
    id: 'experience',
    present: (p) => p.experience.length + p.achievements.length > 0,
    suggestion: 'Mention one internship, job or achievement, e.g. "Last summer I interned at ..., where I ...".',
  },
  {
    id: 'careerGoal',
    present: (p) => p.careerGoal !== null,
    suggestion: 'Close with your career goal, e.g. "My goal is to become a data engineer".',
  },
];

/** The key facts the profile lacks, in the order an introduction states them. */
export function missingKeyFacts(profile: Profile): KeyFact[] {
  return KEY_FACTS.filter((fact) => !fact.present(profile));
}
