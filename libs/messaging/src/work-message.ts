import type { JsMsg } from '@nats-io/jetstream';

/**
 * The part of a JetStream message the transport uses. Messages come from nats.js fetches (ungated stages) or from
 * the transport's own no-wait pulls (stages gated on the GPU lease), so it depends on this and not on JsMsg.
 */
export type WorkMessage = Pick<JsMsg, 'data' | 'subject' | 'seq' | 'headers' | 'info' | 'nak' | 'term' | 'working' | 'ackAck'>;
