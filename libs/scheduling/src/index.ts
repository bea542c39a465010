export type * from './forecast/forecast.types.js';
export { forecast } from './forecast/forecast.js';
