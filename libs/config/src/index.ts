export * from './load-config.js';
export * from './base.config.js';
export * from './engine-url.validator.js';
export * from './ollama-worker.config.js';
