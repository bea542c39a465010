import { describe, expect, it } from '@jest/globals';
import { degreeMentions, extractDegree } from './extract-degree.js';
import { extractInstitution } from './extract-institution.js';
import { extractMajor } from './extract-major.js';
import { extractGraduationYear, extractYearOfStudy } from './extract-study-years.js';
import { prepareText } from './text-tools.js';

/** Degree, major, institution and years as the engine chains them. */
function education(text: string) {
  const t = prepareText(text);
  const mentions = degreeMentions(t);
  const degree = extractDegree(t, mentions);
  const major = extractMajor(t, degree, mentions);
  return {
    degree: degree?.name ?? null,
    tense: degree?.tense ?? null,
    major: major?.text ?? null,
    institution: extractInstitution(t, degree)?.text ?? null,
    graduationYear: extractGraduationYear(t, degree),
    yearOfStudy: extractYearOfStudy(t, degree, major),
  };
}

describe('degree', () => {
  it('takes the degree studied now over an earlier one, wherever each is named', () => {
    expect(education('I completed my B.E. in 2021 and worked for two years. Right now I am in the second year of my M.Tech.')).toMatchObject({
      degree: 'M.Tech',
      tense: 'current',
      yearOfStudy: 2,
    });
  });

  it("takes a graduate's highest degree, and never one only hoped for", () => {
    expect(education("I got my bachelor's degree in Automation in 2021, and then a Master of Science in Robotics in 2023.").degree).toBe('MSc');
    expect(education('I have an MBA from the Wharton School and an undergraduate degree in economics.').degree).toBe('MBA');
    expect(education('I completed my B.Tech in 2023. In future I want to do an M.Tech in structural engineering.').degree).toBe('B.Tech');
    expect(education('I want to, um, maybe do an MS abroad.').degree).toBeNull();
  });

  it('reads capitalised BA / MA / MS only where a degree word follows, and names a degree without an abbreviation', () => {
    expect(education('I graduated with a BA in English Literature.').degree).toBe('BA');
    expect(education('I am in the first year of my MA in Economics.').degree).toBe('MA');
    expect(education('I was the MA of ceremonies.').degree).toBeNull();
    expect(education("I'm in the final year of a Bachelor of Information Technology at Monash University.").degree).toBe(
      'Bachelor of Information Technology',
    );
    expect(education('I did my Bachelor of Technology in Civil Engineering.').degree).toBe('B.Tech');
  });
});

describe('major', () => {
  it('follows the degree with or without "in", and keeps a bracketed specialisation', () => {
    expect(education('I am pursuing B.E. Electrical and Electronics Engineering.').major).toBe('Electrical and Electronics Engineering');
    expect(education("I'm a third-year BSc (Hons) Physics student.").major).toBe('Physics');
    expect(education('Degree: B.Tech, Computer Science (AI & ML), 3rd year').major).toBe('Computer Science (AI & ML)');
    expect(education('I am doing M.E. Structural Engineering in College of Engineering Guindy.').major).toBe('Structural Engineering');
    expect(education('I am in the second year of my M.Tech in Systems and Control Engineering at IIT Bombay.').major).toBe(
      'Systems and Control Engineering',
    );
  });

  it('expands branch abbreviations, but "it" in lowercase only after "in"', () => {
    expect(education('I have done my B.Tech in ECE from NIT Patna.').major).toBe('Electronics and Communication Engineering');
    expect(education('I completed B.E. Civil from Thiagarajar College of Engineering.').major).toBe('Civil Engineering');
    expect(education("I'm doing B.Tech in IT at VIT Vellore.").major).toBe('Information Technology');
    expect(education('i did b tech in i t at vit').major).toBe('Information Technology');
    expect(education('i did my b tech it was hard').major).toBeNull();
  });

  it("leaves another degree's field and the next sentence alone", () => {
    expect(education('I have an MBA from the Wharton School and an undergraduate degree in economics from UC Berkeley.').major).toBeNull();
    expect(education('I completed my B.Tech. After that I joined TCS.').major).toBeNull();
  });

  it('finds a known field after words about studies in ASR text', () => {
    expect(education('i am in the final year the decks you then in computer science and engineering').major).toBe(
      'Computer Science and Engineering',
    );
    expect(education('i am a second year student in the robotics club').major).toBeNull();
  });
});

describe('institution', () => {
  it('knows JNTU, keeps the city of a generic name and the campus of a university', () => {
    expect(education('I did my B.Tech in Civil Engineering from JNTU Kakinada in 2023.').institution).toBe('JNTU Kakinada');
    expect(education('I studied BSc Computer Science at Government Arts College, Coimbatore, and then ...').institution).toBe(
      'Government Arts College, Coimbatore',
    );
    expect(education('I studied at PSG College of Technology, Coimbatore.').institution).toBe('PSG College of Technology');
    expect(education("I'm a sophomore at the University of Texas at Austin studying computer science.").institution).toBe(
      'University of Texas at Austin',
    );
    expect(education('i study at the university of madras at a good pace').institution).toBe('University of Madras');
  });

  it('takes a named school right after the degree, and a "College:" line when nothing else names one', () => {
    expect(education('I have an MBA from the Wharton School at the University of Pennsylvania.').institution).toBe('Wharton School');
    expect(education("I've been coding since high school.").institution).toBeNull();
    expect(education('Name: Kavya\nCollege: Amrita Vishwa Vidyapeetham, Coimbatore').institution).toBe('Amrita Vishwa Vidyapeetham');
    expect(education('Name: Ravi\nCollege: Sri Krishna Arts, Coimbatore').institution).toBe('Sri Krishna Arts');
  });

  it('joins acronyms spelled out by ASR', () => {
    expect(education('i have done my b tech in e c e from n i t patna in twenty twenty two').institution).toBe('NIT Patna');
  });
});

describe('graduation year', () => {
  it('reads upcoming forms, with a month or a colon between', () => {
    expect(education('I expect to finish in September 2025.').graduationYear).toBe(2025);
    expect(education('Expected graduation: 2026').graduationYear).toBe(2026);
    expect(education('i will be completing my degree in twenty twenty six').graduationYear).toBe(2026);
  });

  it("dates a finished degree from its own sentence, but not a current one from an earlier degree's year", () => {
    expect(education('I have done my B.Tech in ECE from NIT Patna in 2022 with 7.8 CGPA.').graduationYear).toBe(2022);
    expect(education('I did BSc Mathematics from Mar Ivanios College in twenty twenty four.').graduationYear).toBe(2024);
    expect(
      education("I'm doing my Master's in Informatics. I did my B.Tech at Manipal and graduated in 2022.").graduationYear,
    ).toBeNull();
    expect(education('I did my B.Tech at Manipal. I joined Infosys in 2022.').graduationYear).toBeNull();
  });
});

describe('year of study', () => {
  it('reads the standing in a list, in semesters and in bullet lines', () => {
    expect(education("I'm doing B.Tech in IT at VIT Vellore, second year.").yearOfStudy).toBe(2);
    expect(education("I'm doing my Master's in Informatics, in my second semester.").yearOfStudy).toBe(1);
    expect(education('Degree: B.Tech, Computer Science, 3rd year\nCollege: X').yearOfStudy).toBe(3);
    expect(education('In my second year I built a robot.').yearOfStudy).toBeNull();
  });

  it('makes "final year" a number only where the programme length is known', () => {
    expect(education("I'm a final year BBA student.").yearOfStudy).toBe(3);
    expect(education('i am in the final year in computer science and engineering').yearOfStudy).toBe(4);
    expect(education("I'm in the final year of a Bachelor of Information Technology.").yearOfStudy).toBeNull();
  });
});
