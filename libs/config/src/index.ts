export * from './load-config.js';
export * from './base.config.js';
export * from './engine-url.validator.js';
export * from './number-list.js';
export * from './ollama-worker.config.js';
