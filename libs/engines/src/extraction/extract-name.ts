import { titleCaseIfLower, type IntroText } from './text-tools.js';

/**
 * Words that follow "I am" / "this is" but are not names. Written text mostly needs none of this (names are
 * capitalised there); ASR text has no capitals, so "i am X" is accepted only early in the talk, only when X is
 * not one of these, and not a word that looks like a verb or adjective (-ing, -ful, -ous, -ive, ...). Suffixes
 * such as -ed, -ly, -al, -ic are not used: too many names end so (Ahmed, Emily, Kunal, Eric).
 */
const NOT_NAME = new Set(
  (
    'a an the and or but so i i\'m me my mine myself we you he she they it this that here there now today ' +
    'currently presently also very really so just not from in at of on to for with as by about into ' +
    'am is are was were be been being do did doing have has had going gonna will would can could should ' +
    'student students final first second third fourth fifth last pursuing studying working doing learning ' +
    'passionate interested excited happy glad grateful thankful honored honoured pleased delighted eager keen ' +
    'good great fine okay ok sure confident comfortable familiar proficient experienced skilled fluent ' +
    'originally basically actually from born raised based living native hardworking dedicated motivated ' +
    'indian american british chinese canadian german french african asian nepali pakistani bangladeshi ' +
    'engineer developer designer fresher graduate undergraduate postgraduate intern candidate applicant ' +
    'one two three four five six seven eight nine ten twenty who whose what where when why how ' +
    'hello hi hey everyone everybody all ma\'am sir madam good morning afternoon evening thank thanks ' +
    'looking applying trying willing able new part member person someone quite pretty always still then ' +
    'really truly deeply highly extremely originally currently recently mostly mainly particularly ' +
    'interested excited determined committed qualified focused driven inspired fascinated trained certified ' +
    'involved located settled enrolled admitted selected motivated dedicated fond aware ready ' +
    'like into just kind kinda sort sorta um umm uh uhh er erm ah hmm yeah yes no not okay well literally ' +
    'totally gonna wanna about back done sorry new old big small more most much many some any every other ' +
    'only even still already again too either both such same own if than because since until while after ' +
    'before over under between through during without within along across around up down out off'
  ).split(' '),
);

/** Name-like token: letters with an inner apostrophe or hyphen ("O'Neil", "Jean-Luc"). */
const NAME_TOKEN = /^\p{L}[\p{L}'-]*$/u;

/** ASR text: "i am X" counts as a name only within this many words of the start. */
const EARLY_WORDS = 20;

interface Trigger {
  pattern: RegExp;
  /** Explicit triggers ("my name is") accept any name-like word; weak ones ("i am") need more evidence. */
  explicit: boolean;
}

const TRIGGERS: readonly Trigger[] = [
  { pattern: /(?:^|\n)[ \t]*(?:full )?name[ \t]*:[ \t]*/g, explicit: true },
  { pattern: /\bmy (?:full )?name(?: is|'s)\s+/g, explicit: true },
  { pattern: /\b(?:people|everyone|friends) call me\s+/g, explicit: true },
  { pattern: /(?:^|[.!?,]\s*|\b(?:hello|hi|hey|morning|afternoon|evening|everyone|all)\s+)myself\s+/g, explicit: true },
  { pattern: /\b(?:i am|i'm|im|this is)\s+/g, explicit: false },
];

/** The speaker's name from "my name is X", "myself X", "I am X", "I'm X", "this is X"; null when not stated. */
export function extractName(t: IntroText): string | null {
  for (const trigger of TRIGGERS) {
    trigger.pattern.lastIndex = 0;
    for (let m = trigger.pattern.exec(t.lower); m; m = trigger.pattern.exec(t.lower)) {
      const name = nameAt(t, m.index + m[0].length, trigger.explicit);
      if (name) return fullerRepeat(t, name) ?? name.text;
    }
  }
  return null;
}

/**
 * A first name said again at once with the surname ("I'm Rohan. Rohan Kapoor.", "I'm Nikhil, Nikhil D'Souza"):
 * the fuller form is the name.
 */
function fullerRepeat(t: IntroText, name: { text: string; end: number }): string | null {
  if (name.text.includes(' ')) return null;
  const again = /^[\s.,;:!-]+(\S+)/.exec(t.original.slice(name.end));
  if (!again || again[1].replace(/[.,;:!?]+$/, '').toLowerCase() !== name.text.toLowerCase()) return null;
  const fuller = nameAt(t, name.end + again[0].length - again[1].length, true);
  return fuller && fuller.text.includes(' ') ? fuller.text : null;
}

function nameAt(t: IntroText, from: number, explicit: boolean): { text: string; end: number } | null {
  if (!explicit && !t.cased) {
    const wordsBefore = t.lower.slice(0, from).split(/\s+/).filter(Boolean).length;
    if (wordsBefore > EARLY_WORDS) return null;
  }
  const tokens: string[] = [];
  let end = from;
  const re = /\S+/g;
  re.lastIndex = from;
  for (let m = re.exec(t.original); m && tokens.length < 3; m = re.exec(t.original)) {
    if (tokens.length > 0 && t.original.slice(end, m.index).includes('\n')) break; // a line ends a name
    const raw = m[0];
    const word = raw.replace(/[.,;:!?]+$/, '');
    const lower = word.toLowerCase();
    if (!NAME_TOKEN.test(word) || NOT_NAME.has(lower)) break;
    const capitalised = /^\p{Lu}/u.test(word);
    // In written text a name is capitalised: the first lowercase word ends it ("Priya and I").
    if (t.cased && !capitalised && (tokens.length > 0 || !explicit)) break;
    if (!explicit && !t.cased && /(?:ing|ful|ous|ive|able|ible)$/.test(lower)) break;
    tokens.push(word);
    end = m.index + word.length;
    if (word !== raw) break; // punctuation after the word ends the name
  }
  if (tokens.length === 0) return null;
  return { text: tokens.map((token) => titleCaseIfLower(token)).join(' '), end };
}
