import { emptyProfile } from '@introeval/contracts';
import { extractProfile, RulesExtractionEngine } from './rules-extraction.engine.js';
import { COMPLETE_INTRO } from '../complete-intro.fixture.js';

const WRITTEN = COMPLETE_INTRO;

/** What pocketsphinx really made of the flite recording of WRITTEN (names and rare words misheard). */
const ASR =
  'good morning everyone my name is creation and then i am a final year student pursuing a bachelor of technology ' +
  'in computer science at the national institute of technology i will be graduating and twenty twenty five i main ' +
  'skill their python john year and machine learning and i am not so comfortable with that scale and react in my ' +
  'third year i built the project that predicts crop prices using machine learning last summer i interned at a ' +
  'software company where i worked on the day a team won first prize in encouraging competition organized by our ' +
  'college in my free time i enjoy playing chess and reading books my strengths are communication and teamwork my ' +
  'god is to become a data scientist and sell real problems thank you for listening';

describe('RulesExtractionEngine', () => {
  it('extracts every field of a complete written introduction', async () => {
    const engine = new RulesExtractionEngine();
    expect(engine.provenance).toEqual({ engine: 'rules', model: null, version: 'rules-extract-2026.2' });
    expect(await engine.extract({ text: WRITTEN })).toEqual({
      name: 'Priya Sharma',
      degree: 'B.Tech',
      major: 'Computer Science',
      institution: 'National Institute of Technology',
      graduationYear: 2025,
      yearOfStudy: 4,
      skills: ['Python', 'Java', 'Machine Learning', 'SQL', 'React', 'Communication', 'Teamwork'],
      projects: ['project that predicts crop prices using machine learning'],
      experience: ['interned at a software company'],
      achievements: ['won first prize in a coding competition organised by our college'],
      hobbies: ['playing chess', 'reading books'],
      careerGoal: 'become a data scientist and solve real problems',
      strengths: ['communication', 'teamwork'],
    });
  });

  it('extracts the same facts from real ASR output (lowercase, no punctuation, misheard words)', () => {
    const profile = extractProfile(ASR);
    expect(profile).toMatchObject({
      degree: 'B.Tech',
      major: 'Computer Science',
      institution: 'National Institute of Technology',
      graduationYear: 2025,
      yearOfStudy: 4,
      projects: ['project that predicts crop prices using machine learning'],
      experience: ['interned at a software company'],
      hobbies: ['playing chess', 'reading books'],
      careerGoal: 'become a data scientist and sell real problems',
      strengths: ['communication', 'teamwork'],
    });
    // What was said is reported, misrecognised or not; what was not said is not invented.
    expect(profile.name).toBe('Creation');
    expect(profile.skills).toEqual(['Python', 'Machine Learning', 'React', 'Communication', 'Teamwork']);
    expect(profile.achievements).toEqual(['won first prize in encouraging competition organized by our college']);
  });

  it('reads a B.E. student with acronyms, "class of" and a loved hobby', () => {
    const profile = extractProfile(
      "Hi, I'm Rahul Verma, a third-year B.E. student in Mechanical Engineering at Delhi Technological University, " +
        'class of 2026. I have worked with SolidWorks and AutoCAD, and I know C++ and MATLAB. I developed a ' +
        'line-following robot for our college fest. I did an internship with Tata Motors in their design team. I ' +
        'secured a scholarship for academic excellence. I love cricket and photography. I aspire to work in the ' +
        'automotive industry as a design engineer. I am a quick learner. Thank you.',
    );
    expect(profile).toEqual({
      name: 'Rahul Verma',
      degree: 'B.E.',
      major: 'Mechanical Engineering',
      institution: 'Delhi Technological University',
      graduationYear: 2026,
      yearOfStudy: 3,
      skills: ['SolidWorks', 'AutoCAD', 'C++', 'MATLAB'],
      projects: ['line-following robot for our college fest'],
      experience: ['did an internship with Tata Motors in their design team'],
      achievements: ['secured a scholarship for academic excellence'],
      hobbies: ['cricket', 'photography'],
      careerGoal: 'work in the automotive industry as a design engineer',
      strengths: ['quick learner'],
    });
  });

  it('reads spoken numbers, "myself X" and an MBA from ASR-style text', () => {
    const profile = extractProfile(
      'hello myself ananya i am doing my mba from iim bangalore and i will graduate in two thousand and twenty four ' +
        'i have two years of experience as a business analyst at infosys my skills include excel power bi and sql ' +
        'and leadership i want to become a product manager thank you',
    );
    expect(profile).toMatchObject({
      name: 'Ananya',
      degree: 'MBA',
      major: null,
      institution: 'IIM Bangalore',
      graduationYear: 2024,
      yearOfStudy: null,
      skills: ['Excel', 'Power BI', 'SQL', 'Leadership'],
      experience: ['two years of experience as a business analyst at infosys'],
      careerGoal: 'become a product manager',
    });
  });

  it('reads a US-style introduction', () => {
    const profile = extractProfile(
      "Hello! I'm Emily Chen. I am a junior majoring in Economics at the University of Michigan, and I expect to " +
        'graduate in May 2026. I am good at data analysis and public speaking. I worked as a research assistant ' +
        'for two semesters. I published a paper on housing prices. My hobbies are hiking, baking and playing the ' +
        'piano. In the future I want to work in economic policy. Thanks!',
    );
    expect(profile).toEqual({
      name: 'Emily Chen',
      degree: null,
      major: 'Economics',
      institution: 'University of Michigan',
      graduationYear: 2026,
      yearOfStudy: 3,
      skills: ['Data Analysis', 'Public Speaking'],
      projects: [],
      experience: ['worked as a research assistant for two semesters'],
      achievements: ['published a paper on housing prices'],
      hobbies: ['hiking', 'baking', 'playing the piano'],
      careerGoal: 'work in economic policy',
      // Data analysis is a skill (above), not a personal quality.
      strengths: ['public speaking'],
    });
  });

  it('handles ASR spellings of degrees and skills', () => {
    const profile = extractProfile(
      'hi this is karthik i am a second year b tech student in electronics and communication engineering at vit ' +
        'vellore i know c plus plus java script and node js i built a website for our college fest',
    );
    expect(profile).toMatchObject({
      name: 'Karthik',
      degree: 'B.Tech',
      major: 'Electronics and Communication Engineering',
      institution: 'VIT Vellore',
      yearOfStudy: 2,
      skills: ['C++', 'JavaScript', 'Node.js'],
      projects: ['website for our college fest'],
    });
  });

  it('prefers the degree being studied now, with its own major and institution', () => {
    const profile = extractProfile(
      'Hello, this is Arjun Reddy from Hyderabad. I completed my B.Sc. in Physics at St. Xavier\'s College in 2023 ' +
        "and I'm now doing an M.Tech in Robotics at IIT Madras. I'm graduating in 2025.",
    );
    expect(profile).toMatchObject({
      name: 'Arjun Reddy',
      degree: 'M.Tech',
      major: 'Robotics',
      institution: 'IIT Madras',
      graduationYear: 2025,
    });
    expect(extractProfile("I did my B.Sc. in Physics at St. Xavier's College.")).toMatchObject({
      degree: 'BSc',
      major: 'Physics',
      institution: "St. Xavier's College",
    });
  });

  it('keeps a long institution name whole and reads "pre-final year"', () => {
    const profile = extractProfile(
      'Good afternoon. I am Mohammed Ali, a pre-final year B.Tech student at SRM Institute of Science and ' +
        'Technology, majoring in Information Technology. I worked at a startup as a backend intern for three ' +
        'months. I was awarded the best paper award at a national conference. Thank you for this opportunity.',
    );
    expect(profile).toMatchObject({
      name: 'Mohammed Ali',
      degree: 'B.Tech',
      major: 'Information Technology',
      institution: 'SRM Institute of Science and Technology',
      yearOfStudy: 3,
      experience: ['worked at a startup as a backend intern for three months'],
      achievements: ['awarded the best paper award at a national conference'],
    });
  });

  it('stays honest on a rambling answer: nothing invented', () => {
    const profile = extractProfile(
      "So yeah, um, I'm like into computers and stuff, you know. I kinda do some coding sometimes and uh I want to " +
        "thank my friends. My college is okay I guess and I am passionate about many things. That's it.",
    );
    expect(profile).toEqual(emptyProfile());
  });

  it('does not mistake look-alikes for facts', () => {
    const profile = extractProfile(
      'I am currently learning. In my third year I built a chatbot. I excel at communication. I do not know Java ' +
        'yet. We won. I want to thank everyone at our university.',
    );
    expect(profile.name).toBeNull(); // "I am currently" is no name
    expect(profile.yearOfStudy).toBeNull(); // "in my third year I built" looks back
    expect(profile.institution).toBeNull(); // "our university" names nothing
    expect(profile.careerGoal).toBeNull(); // "I want to thank" is no goal
    expect(profile.skills).toEqual(['Communication']); // not Excel ("excel at"), not Java ("do not know")
    expect(profile.projects).toEqual(['chatbot']);
    expect(profile.achievements).toEqual([]); // "We won." says nothing
  });

  it('takes no filler or common word for a name in ASR text', () => {
    for (const text of [
      "so yeah um i'm like into computers and stuff you know",
      'hello everyone i am currently in my final year',
      'hi i am really excited to be here',
      'good morning i am from chennai',
    ]) {
      expect(extractProfile(text).name).toBeNull();
    }
    expect(extractProfile('good morning i am ahmed and i study law').name).toBe('Ahmed');
  });

  it('returns an empty profile for empty text', () => {
    expect(extractProfile('')).toEqual(emptyProfile());
    expect(extractProfile('   ')).toEqual(emptyProfile());
  });
});
