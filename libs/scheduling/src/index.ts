export * from './policy/index.js';
export type * from './forecast/forecast.types.js';
export { forecast } from './forecast/forecast.js';
export { RANGE_FLOOR } from './forecast/forecast-times.js';
export { perJobWhenFull, throughputGain } from './forecast/engine-model.js';
