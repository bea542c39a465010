export { connectNats } from './nats-connection.js';
export { isCasConflict } from './cas.js';
export { BucketNames, type BucketName } from './bucket-names.js';
export { openKv, openObjectStore, type KvShape } from './open-bucket.js';
export { kvKeys } from './kv-keys.js';
