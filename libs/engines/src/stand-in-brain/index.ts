// `@introeval/engines/stand-in-brain`: the answers the GPU-node stand-in (@introeval/testing) gives when a test
// wants real ones: pocketsphinx for speech, the rules engines for chat. It lives with the engines it runs so that
// testing never imports engines; callers pass `rulesBrain()` to `startGpuNode`. Off the main entry: no stage uses it.
export { rulesBrain } from './rules-brain.js';
export { rulesChatAnswer, rulesRating, transcriptFromMessages } from './rules-answers.js';
export type { StandInBrain, StandInChatRequest, StandInTranscript, StandInWord } from './stand-in-brain.types.js';
