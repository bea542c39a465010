import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectNats } from '@introeval/nats';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { Kvm, KvWatchInclude, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { LeaderElection } from './leader.election.js';
import { NotLeaderError } from './lease.errors.js';
import { JumpingClock, quietLogger } from './lease.fixture.js';

const TTL_MS = 1500;
const RENEW_MS = 500;

describe('LeaderElection on a real nats-server', () => {
  let server: NatsServerHandle;
  const connections: NatsConnection[] = [];
  const elections: LeaderElection[] = [];
  let shortLived: KV;
  let longLived: KV;
  let keys = 0;
  const watchers: { stop(): void }[] = [];

  /** Each contender gets its own connection, as separate scheduler processes would. */
  async function contender(kv: KV, key: string, holder: string, opts: { ttlMs?: number; clock?: JumpingClock } = {}) {
    const nc = await connectNats(server.url, holder);
    connections.push(nc);
    const bucket = await new Kvm(nc).open((await kv.status()).bucket);
    const election = new LeaderElection(bucket, { key, holder, ttlMs: opts.ttlMs ?? TTL_MS, renewEveryMs: RENEW_MS, clock: opts.clock, logger: quietLogger });
    elections.push(election);
    return { election, nc };
  }

  /** Records every leadership change in order, and whether two contenders ever led at once. */
  function timeline(contenders: Record<string, LeaderElection>) {
    const events: string[] = [];
    const leading = new Set<string>();
    let overlaps = 0;
    for (const [name, election] of Object.entries(contenders)) {
      election.onChange((leader) => {
        events.push(`${name}:${leader ? 'up' : 'down'}`);
        if (leader) leading.add(name);
        else leading.delete(name);
        if (leading.size > 1) overlaps++;
      });
    }
    return { events, leading, overlaps: () => overlaps };
  }

  const nextKey = () => `gpu-${++keys}`;

  /** Every write to `key` from now on, as `OP value`. */
  async function writesTo(kv: KV, key: string): Promise<string[]> {
    const writes: string[] = [];
    const watch = await kv.watch({ key, include: KvWatchInclude.UpdatesOnly });
    watchers.push(watch);
    void (async () => {
      for await (const entry of watch) writes.push(`${entry.operation} ${entry.string()}`.trim());
    })();
    return writes;
  }

  beforeAll(async () => {
    server = await startNatsServer();
    const nc = await connectNats(server.url, 'election-spec');
    connections.push(nc);
    const kvm = new Kvm(nc);
    shortLived = await kvm.create('election-spec-short', { history: 1, ttl: TTL_MS });
    // For hand-over tests: with a 60 s TTL, a standby can only take over within the spec's time through release.
    longLived = await kvm.create('election-spec-long', { history: 1, ttl: 60_000 });
  });
  afterAll(async () => {
    watchers.forEach((watch) => watch.stop());
    await Promise.all(elections.map((election) => election.stop()));
    await Promise.all(connections.map((nc) => nc.close()));
    await server.dispose();
  });

  it('elects exactly one leader among several contenders and keeps it while it renews', async () => {
    const key = nextKey();
    const contenders = Object.fromEntries(
      await Promise.all(['a', 'b', 'c', 'd'].map(async (name) => [name, (await contender(shortLived, key, `holder-${name}`)).election] as const)),
    );
    const log = timeline(contenders);
    const writes = await writesTo(shortLived, key);
    Object.values(contenders).forEach((election) => election.start());

    const first = await eventually(() => Object.keys(contenders).find((name) => contenders[name].isLeader), { what: 'a leader' });
    // Renewals keep it leader well past the TTL: a dozen renewals (four TTLs) later it still leads, alone.
    await eventually(() => writes.length >= 12, { timeoutMs: 20_000, what: 'a dozen renewals' });
    const stored = (await shortLived.get(key))!;
    expect(stored.string()).toBe(`holder-${first}`);
    expect(Object.keys(contenders).filter((name) => contenders[name].isLeader)).toEqual([first]);
    expect(new Set(writes)).toEqual(new Set([`PUT holder-${first}`]));
    expect(log.events).toEqual([`${first}:up`]);
    expect(log.overlaps()).toBe(0);
  });

  it('replaces a leader that stops renewing once its key expires, and the old one steps down first', async () => {
    const key = nextKey();
    const a = await contender(shortLived, key, 'crashing-a');
    a.election.start();
    await eventually(() => a.election.isLeader, { what: 'a to lead' });
    const b = await contender(shortLived, key, 'standby-b');
    const log = timeline({ a: a.election, b: b.election });
    b.election.start();

    // a loses NATS: its renewals fail, nothing deletes its key.
    await a.nc.close();
    await eventually(() => b.election.isLeader, { timeoutMs: TTL_MS + RENEW_MS + 5_000, what: 'b to take over' });

    expect(a.election.isLeader).toBe(false);
    expect(() => a.election.assertLeader()).toThrow(NotLeaderError);
    expect(log.events).toEqual(['a:down', 'b:up']);
    expect(log.overlaps()).toBe(0);
    expect((await shortLived.get(key))?.string()).toBe('standby-b');
  });

  it('hands over at once on stop(): the key is deleted, and a create over its tombstone succeeds', async () => {
    const key = nextKey();
    const a = await contender(longLived, key, 'leaving-a', { ttlMs: 60_000 });
    a.election.start();
    await eventually(() => a.election.isLeader, { what: 'a to lead' });
    const b = await contender(longLived, key, 'standby-b', { ttlMs: 60_000 });
    const log = timeline({ a: a.election, b: b.election });
    b.election.start();
    const writes = await writesTo(longLived, key);

    await a.election.stop();
    expect(a.election.isLeader).toBe(false);
    await eventually(() => b.election.isLeader, { timeoutMs: 15_000, what: 'b to take over before the 60 s TTL' });

    expect(log.events).toEqual(['a:down', 'b:up']);
    // a's renewals, its delete (a tombstone), then b's create over the tombstone (and b's renewals).
    await eventually(() => writes.at(-1) === 'PUT standby-b', { what: "b's create" });
    expect(writes.filter((write) => write !== 'PUT leaving-a').slice(0, 2)).toEqual(['DEL', 'PUT standby-b']);
  });

  it('steps down at its next renewal when the key was changed under it', async () => {
    const key = nextKey();
    const a = await contender(shortLived, key, 'overwritten-a');
    const downs: boolean[] = [];
    a.election.onChange((leader) => downs.push(leader));
    a.election.start();
    await eventually(() => a.election.isLeader, { what: 'a to lead' });

    await shortLived.put(key, 'someone-else');
    await eventually(() => !a.election.isLeader, { what: 'a to step down' });

    expect(downs).toEqual([true, false]);
    expect(() => a.election.assertLeader()).toThrow(NotLeaderError);
    expect((await shortLived.get(key))?.string()).toBe('someone-else');
  });

  it('stops leading the moment its last renewal is older than the TTL, before the key can expire', async () => {
    const key = nextKey();
    const clock = new JumpingClock();
    const a = await contender(shortLived, key, 'stalled-a', { clock });
    const changes: boolean[] = [];
    a.election.onChange((leader) => changes.push(leader));
    a.election.start();
    await eventually(() => a.election.isLeader, { what: 'a to lead' });

    // As if the process had been frozen for a TTL: the key may be gone, so a must not act, whatever its timers say.
    clock.jump(TTL_MS);
    expect(() => a.election.assertLeader()).toThrow(NotLeaderError);
    expect(changes).toEqual([true, false]);

    // Its key was in fact still there, so its next renewal (compare-and-set) makes it leader again.
    await eventually(() => a.election.isLeader, { what: 'a to lead again' });
    expect(changes).toEqual([true, false, true]);
  });

  it('refuses options that leave no time to renew', () => {
    expect(() => new LeaderElection(shortLived, { key: 'k', holder: 'h', ttlMs: 1000, renewEveryMs: 1000 })).toThrow(RangeError);
    expect(() => new LeaderElection(shortLived, { key: 'k', holder: '', ttlMs: 1000 })).toThrow(RangeError);
  });
});
