/** Injection tokens for values that have no class of their own. */
export const NATS = Symbol('NatsConnection');
export const BUCKETS = Symbol('Buckets');
