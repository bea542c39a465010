export * from './policy/index.js';
export type * from './forecast/forecast.types.js';
