import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';

describe('startNatsServer', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('serves JetStream on a free port and keeps its store across a restart', async () => {
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'T', subjects: ['t.>'] });
    await nc.close();

    await server.stop();
    await server.start();

    const again = await connect({ servers: server.url });
    const info = await (await jetstreamManager(again)).streams.info('T');
    expect(info.config.subjects).toEqual(['t.>']);
    await again.close();
  });
});
