import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Connects to NATS and keeps reconnecting for as long as the process lives (a restarted server is rejoined). */
export async function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: servers.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    timeout: 10_000,
  });
}
