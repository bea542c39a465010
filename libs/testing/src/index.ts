export * from './eventually.js';
export * from './free-port.js';
export * from './nats-server.js';
export * from './seeded-random.js';
export * from './system.js';
export * from './fixtures/index.js';
export * from './gpu-node/index.js';
export * from './kube-api/index.js';
