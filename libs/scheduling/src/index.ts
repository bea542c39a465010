export type * from './forecast/forecast.types.js';
