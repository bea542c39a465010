import { headingItems } from './headings.js';
import { captureClause, splitList, uniqueItems, type IntroText } from './text-tools.js';

/** Things people do for fun, so "I enjoy chess" counts as a hobby without the word "hobby". */
const HOBBY_WORDS =
  /^(?:chess|music|cricket|football|soccer|basketball|badminton|tennis|table tennis|volleyball|hockey|kabaddi|rugby|baseball|golf|athletics|carrom|frisbee|ultimate frisbee|books|novels|movies|films|travel|travelling|traveling|photography|painting|drawing|sketching|dance|dancing|singing|cooking|baking|gaming|games|video games|sports|hiking|trekking|climbing|yoga|gym|swimming|cycling|running|marathons?|writing|poetry|guitar|piano|drums|violin|anime|gardening|blogging|meditation|fitness|quizzing)\b/;
/** Gerunds that describe work rather than leisure: "I enjoy solving problems" is not a hobby. */
const WORK_GERUNDS =
  /^(?:working|learning|solving|building|developing|coding|programming|collaborating|leading|managing|helping|exploring|contributing|creating|designing|analy[sz]ing|taking|making|understanding|applying|using|improving|researching|teaching|mentoring)\b/;

/** Phrases after which a list of pastimes follows. */
const HOBBY_TRIGGERS: readonly RegExp[] = [
  /\b(?:in|during) my (?:free|spare|leisure) time,?\s+(?:i\s+)?(?:also\s+|really\s+)?(?:like to|love to|enjoy|love|like|prefer to|prefer|go for|go|do|play)?\s*/g,
  // Weaker than "free time": a verb must follow ("Outside the lab I do salsa dancing"); "I play ..." has its own rule.
  /\b(?:outside (?:of )?(?:work|classes|class|college|office|the lab|academics|studies)|on weekends),?\s+(?:i\s+)?(?:also\s+|really\s+)?(?:like to|love to|enjoy|love|like|do)\s+/g,
  /\b(?:when i am|when i'm) (?:free|not studying|not working),?\s+(?:i\s+)?(?:like to|love to|enjoy|love|like)?\s*/g,
  /\bmy hobbies (?:these days |nowadays |now )?(?:are|include|would be)\s+(?:mostly\s+|mainly\s+)?/g,
  /\bmy (?:main |favou?rite )?hobby is\s+/g,
  /\bhobbies (?:like|such as|including)\s+/g,
  /\bi (?:am|'m) (?:very |really )?fond of\s+/g,
];
const GENERIC_LIKE = /\bi (?:really |also |truly )?(?:enjoy|love|like)(?: to)?\s+/g;

/** "I play the veena", "I also play chess": a game, sport or instrument; not "play for the team" or "play a role". */
const PLAY = /\bi (?:also |really |regularly |sometimes |still )?(?:play|played)\s+(?!for\b|with\b|an? (?:key|major|vital|big|important|active)\b|roles?\b|around\b)/g;
/** Leisure verbs and what must follow where the verb alone could be work ("I write code", "I run a startup"). */
const LEISURE: Record<string, { gerund: string; object?: RegExp }> = {
  surf: { gerund: 'surfing' }, swim: { gerund: 'swimming' }, cycle: { gerund: 'cycling' }, hike: { gerund: 'hiking' },
  trek: { gerund: 'trekking' }, paint: { gerund: 'painting' }, sing: { gerund: 'singing' }, dance: { gerund: 'dancing' },
  cook: { gerund: 'cooking' }, bake: { gerund: 'baking' }, sketch: { gerund: 'sketching' }, draw: { gerund: 'drawing' },
  knit: { gerund: 'knitting' }, garden: { gerund: 'gardening' }, meditate: { gerund: 'meditating' },
  write: { gerund: 'writing', object: /^(?:an? |my )?(?:[\w-]+ )?(?:blogs?|poetry|poems|stories|short stories|fiction|songs|articles)\b/ },
  run: { gerund: 'running', object: /^(?:\w+ )?(?:half )?marathons?\b/ },
  coach: { gerund: 'coaching', object: /\b(?:team|club|kids|children)\b/ },
  volunteer: { gerund: 'volunteering', object: /^(?:with|at|for)\b/ },
};
const LEISURE_VERB = new RegExp(
  String.raw`\bi(?:'m| am)? (?:also |really |regularly |sometimes |still |love to |like to |learning to |(?:am|'m) learning to )?(${Object.keys(LEISURE).join('|')})\b\s*`,
  'g',
);
/** A group the speaker performs or plays in: "part of the college choir", "on the club ultimate frisbee team". */
const GROUP = /\bi(?: am|'m) (?:also )?(?:on|in|part of|a member of) (?:the |our |my )?((?:[\w-]+ ){0,3}?(?:choir|band|orchestra|troupe|team))\b/g;

/**
 * Hobbies as list items: a "Hobbies:" line; after "in my free time", "outside work", "my hobbies are", "I'm fond
 * of"; "I play X"; leisure verbs ("I surf", "I write a blog", "I run marathons"); a choir, band or sports team the
 * speaker is part of; and after a bare "I enjoy / love X" when X is a leisure word or a gerund not about work.
 */
export function extractHobbies(t: IntroText): string[] {
  const items: Array<{ at: number; text: string }> = [];
  const take = (from: number, filter?: (item: string) => boolean, prefix = ''): void => {
    const clause = captureClause(t, from, { maxWords: 14, commaEnds: false });
    if (!clause) return;
    for (const item of splitList(clause.text)) {
      if (item.split(/\s+/).length > 6) continue;
      if (filter && !filter(item.toLowerCase())) continue;
      items.push({ at: clause.start, text: `${prefix}${asGerund(item)}` });
    }
  };
  for (const item of headingItems(t, 'hobbies')) items.push({ at: -1, text: item });
  for (const pattern of HOBBY_TRIGGERS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) take(m.index + m[0].length);
  }
  PLAY.lastIndex = 0;
  for (let m = PLAY.exec(t.lower); m; m = PLAY.exec(t.lower)) {
    const object = captureClause(t, m.index + m[0].length, { maxWords: 5, commaEnds: true });
    if (object) items.push({ at: object.start, text: `playing ${object.text}` });
  }
  LEISURE_VERB.lastIndex = 0;
  for (let m = LEISURE_VERB.exec(t.lower); m; m = LEISURE_VERB.exec(t.lower)) {
    const { gerund, object } = LEISURE[m[1]];
    const rest = captureClause(t, m.index + m[0].length, { maxWords: 6, commaEnds: true });
    const restText = rest?.text ?? '';
    if (object && !object.test(restText.toLowerCase())) continue;
    items.push({ at: m.index, text: object ? `${gerund} ${restText}` : gerund });
  }
  GROUP.lastIndex = 0;
  for (let m = GROUP.exec(t.lower); m; m = GROUP.exec(t.lower)) {
    const at = m.index + m[0].length - m[1].length;
    const group = t.original.slice(at, at + m[1].length);
    // "the club ultimate frisbee team" is the sport; "the college choir" stays whole.
    const sport = group.replace(/^(?:club|college|university|department|school|institute)\s+/i, '').replace(/\s*team$/i, '');
    if (!/team$/i.test(group)) items.push({ at, text: group });
    else if (HOBBY_WORDS.test(sport.toLowerCase())) items.push({ at, text: sport });
  }
  GENERIC_LIKE.lastIndex = 0;
  for (let m = GENERIC_LIKE.exec(t.lower); m; m = GENERIC_LIKE.exec(t.lower)) {
    const next = t.lower.slice(m.index + m[0].length);
    const leisure = HOBBY_WORDS.test(next) || (/^[a-z]+ing\b/.test(next) && !WORK_GERUNDS.test(next));
    const travel = /^(?:travel|read|cook|sing|dance|paint|draw|swim|hike|trek|play)\b/.test(next) && m[0].endsWith('to ');
    if (leisure || travel) take(m.index + m[0].length, (item) => HOBBY_WORDS.test(item) || !WORK_GERUNDS.test(item));
  }
  items.sort((a, b) => a.at - b.at);
  return dropContained(uniqueItems(items.map((item) => item.text))).slice(0, 8);
}

/** "surf" -> "surfing", "play Aussie rules football" -> "playing ...": one wording for one pastime. */
function asGerund(item: string): string {
  const m = /^(\w+)\b/.exec(item);
  const verb = m?.[1].toLowerCase() ?? '';
  if (verb === 'play') return `playing${item.slice(4)}`;
  const leisure = LEISURE[verb];
  return leisure && !leisure.object ? `${leisure.gerund}${item.slice(verb.length)}` : item;
}

/** "playing chess" and "chess" from two rules are one hobby: the longer wording stays. */
function dropContained(items: string[]): string[] {
  const lower = items.map((item) => item.toLowerCase());
  return items.filter((_, i) => !lower.some((other, j) => j !== i && other.length > lower[i].length && other.endsWith(` ${lower[i]}`)));
}
