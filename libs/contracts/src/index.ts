export * from './stage-table.js';
export * from './stages.js';
export * from './error-codes.js';
export * from './result.js';
export * from './job-record.js';
export * from './stage-message.dto.js';
export * from './submission.dto.js';
export * from './parse-dto.js';
