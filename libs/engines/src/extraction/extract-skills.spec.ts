import { describe, expect, it } from '@jest/globals';
import { findCareerGoal } from './extract-career-goal.js';
import { extractSkills } from './extract-skills.js';
import { extractStrengths } from './extract-strengths.js';
import { prepareText } from './text-tools.js';

const skills = (text: string): string[] => {
  const t = prepareText(text);
  return extractSkills(t, [findCareerGoal(t)]);
};

describe('extractSkills', () => {
  it('takes unknown tools from an explicit list in written text, as written', () => {
    expect(skills('I work mainly in MATLAB, Simulink and Python.')).toEqual(['MATLAB', 'Simulink', 'Python']);
    expect(skills('My core skills are Java, Spring Boot, AWS, microservices and system design.')).toEqual([
      'Java',
      'Spring Boot',
      'AWS',
      'Microservices',
      'System Design',
    ]);
    expect(skills("I'm comfortable with SQL, A/B testing and roadmap planning.")).toEqual(['SQL', 'A/B Testing', 'Roadmap Planning']);
    expect(skills('Skills: Python, Quarkus, Git')).toEqual(['Python', 'Quarkus', 'Git']);
  });

  it('keeps lowercase or wordy items of weaker lists out', () => {
    expect(skills('I use my laptop for everything.')).toEqual([]);
    expect(skills('I have experience in leading teams.')).toEqual([]);
    expect(skills('I know Python and built a chatbot.')).toEqual(['Python']);
    expect(skills('i know stad pro and prima vera')).toEqual([]); // ASR: unknown words are not trusted
  });

  it('leaves out roles, goals, interests and fields studied', () => {
    expect(skills('I want to work as a machine learning engineer at a product company.')).toEqual([]);
    expect(skills('I did an ML internship at Bosch.')).toEqual([]);
    expect(skills('My areas of interest are embedded systems and VLSI. I know C and Verilog.')).toEqual(['C', 'Verilog']);
    expect(skills('Before coming here I studied Statistics at the University of Lagos.')).toEqual([]);
    expect(skills("It's on my GitHub. I use Git and GitHub daily.")).toEqual(['Git', 'GitHub']);
  });

  it('reads a bare R only in capitals, and list neighbours of the MERN stack', () => {
    expect(skills('I use Stata and R for my coursework.')).toEqual(['Stata', 'R']);
    expect(skills('i use stata and r for my coursework')).toEqual(['Stata']);
    expect(skills('I used MongoDB, Express, React and Node.')).toEqual(['MongoDB', 'Express', 'React', 'Node.js']);
  });
});

describe('extractStrengths', () => {
  it('reads self-descriptions and leaves technologies to the skills', () => {
    const strengths = (text: string): string[] => extractStrengths(prepareText(text));
    expect(strengths("I'd describe myself as a patient and organised person.")).toEqual(['patient', 'organised']);
    expect(strengths("I'm strong in R, Python, SQL and statistical modelling.")).toEqual([]);
    expect(strengths('my strength is i am honest and hard working')).toEqual(['honest', 'hard working']);
  });
});
