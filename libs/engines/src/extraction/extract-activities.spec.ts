import { describe, expect, it } from '@jest/globals';
import { extractAchievements } from './extract-achievements.js';
import { findCareerGoal } from './extract-career-goal.js';
import { extractExperience } from './extract-experience.js';
import { extractHobbies } from './extract-hobbies.js';
import { extractProjects } from './extract-projects.js';
import { prepareText } from './text-tools.js';

const projects = (text: string): string[] => extractProjects(prepareText(text));
const experience = (text: string): string[] => extractExperience(prepareText(text));
const achievements = (text: string): string[] => extractAchievements(prepareText(text));
const hobbies = (text: string): string[] => extractHobbies(prepareText(text));

describe('extractProjects', () => {
  it('reads projects introduced by their purpose, a thesis, or a team', () => {
    expect(projects("For my final-year project I'm building a system that detects diabetic retinopathy.")).toEqual([
      'system that detects diabetic retinopathy',
    ]);
    expect(projects('For my capstone project my team is building a booking system for a clinic.')).toEqual(['booking system for a clinic']);
    expect(projects('My thesis is on model predictive control for battery charging.')).toEqual([
      'model predictive control for battery charging',
    ]);
    expect(projects('I did a mini project on a smart irrigation system using Arduino.')).toEqual(['smart irrigation system using Arduino']);
  });

  it("does not take a job's work or a wish for a project", () => {
    expect(projects('I interned at Zoho as a backend intern, where I worked on their billing APIs.')).toEqual([]);
    expect(projects("I'm in the robotics club, where I work on the control electronics of our rover.")).toEqual([
      'control electronics of our rover',
    ]);
    expect(projects('I want to build a platform for farmers.')).toEqual([]);
  });
});

describe('extractExperience', () => {
  it('reads roles, trainings and joining statements', () => {
    expect(experience('This summer I was a research intern at the Accelerator Centre, working on ion beams.')).toEqual([
      'research intern at the Accelerator Centre, working on ion beams',
    ]);
    expect(experience('I completed an in-plant training at BSNL for fifteen days.')).toEqual(['completed an in-plant training at BSNL for fifteen days']);
    expect(experience('I started my career at TCS as an assistant system engineer.')).toEqual([
      'started my career at TCS as an assistant system engineer',
    ]);
    expect(experience('I joined the robotics club. I am a final year student at NIT.')).toEqual([]);
  });

  it('joins "working there as" to the job before, and drops the years summary when roles are named', () => {
    expect(
      experience('I have six years of experience. I joined L&T as a graduate engineer trainee and I am working there as a site engineer.'),
    ).toEqual(['joined L&T as a graduate engineer trainee and working there as a site engineer']);
    expect(experience('I have two years of experience as a business analyst.')).toEqual(['two years of experience as a business analyst']);
  });

  it('skips work that is only wished for', () => {
    expect(experience('I want to stay in Germany and work as a backend engineer.')).toEqual([]);
  });
});

describe('extractAchievements', () => {
  it('reads grades, papers, certifications, qualifications and posts', () => {
    expect(achievements('I did my B.Tech with 8.2 CGPA.')).toEqual(['8.2 CGPA']);
    expect(achievements('with seven point eight c g p a')).toEqual(['seven point eight cgpa']);
    expect(achievements('I also have a paper accepted at the IEEE Conference on Decision and Control.')).toEqual([
      'paper accepted at the IEEE Conference on Decision and Control',
    ]);
    expect(achievements('I am certified in Basic Life Support.')).toEqual(['certified in Basic Life Support']);
    expect(achievements('I qualified UGC NET in my first attempt.')).toEqual(['qualified UGC NET in my first attempt']);
    expect(achievements('I am the treasurer of our coding club.')).toEqual(['treasurer of our coding club']);
    expect(achievements('I was recognised with a Star Performer award at TCS.')).toEqual(['recognised with a Star Performer award at TCS']);
  });

  it('takes no ordinal without what it ranks', () => {
    expect(achievements('I got interested in physics in my second year.')).toEqual([]);
    expect(achievements('i placed third at hack tx')).toEqual(['placed third at hack tx']);
  });

  it('writes spoken years in ASR items as digits', () => {
    expect(achievements('we won second prize at smart india hackathon twenty twenty three')).toEqual([
      'won second prize at smart india hackathon 2023',
    ]);
  });
});

describe('extractHobbies', () => {
  it('reads "I play", leisure verbs and groups, one wording per pastime', () => {
    expect(hobbies('Outside classes I play the veena and I love trekking.')).toEqual(['playing the veena', 'trekking']);
    expect(hobbies('In my spare time I surf and play Aussie rules football.')).toEqual(['surfing', 'playing Aussie rules football']);
    expect(hobbies('I run marathons and I coach my daughter\'s soccer team.')).toEqual(['running marathons', "coaching my daughter's soccer team"]);
    expect(hobbies("I'm on the club ultimate frisbee team and I am part of the college choir.")).toEqual(['ultimate frisbee', 'college choir']);
    expect(hobbies('I also volunteer with a blood donation group.')).toEqual(['volunteering with a blood donation group']);
  });

  it('takes no work for play', () => {
    expect(hobbies('I play a key role in my team. I write code. I run a startup. I play for the department team.')).toEqual([]);
    expect(hobbies("I'm part of the music club.")).toEqual([]);
    expect(hobbies('outside classes i blame the venus')).toEqual([]);
  });
});

describe('findCareerGoal', () => {
  const goal = (text: string): string | null => findCareerGoal(prepareText(text))?.text ?? null;
  it('prefers the long-term goal and reads "looking to" and "Goal:" lines', () => {
    expect(goal('My short term goal is to get placed in a core company and my long term goal is to become a VLSI design engineer.')).toBe(
      'become a VLSI design engineer',
    );
    expect(goal("I'm now looking to move into an engineering manager role.")).toBe('move into an engineering manager role');
    expect(goal('Name: X\nGoal: to work on computer vision research')).toBe('work on computer vision research');
    expect(goal('I am looking for a job.')).toBeNull();
  });
});
