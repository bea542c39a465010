import type { Group } from '@introeval/lease';

/**
 * Unacknowledged messages of a stage that no live worker (on any node) holds: their worker died, and they wait in
 * JetStream for redelivery to whoever pulls next. The consumer's num_pending leaves them out, so the scheduler adds
 * them to the group's waiting work; otherwise no node would come back to the group for them and their jobs would
 * never finish. A worker's report of what it holds can trail its pull by a round trip, so a gap counts only once it
 * has lasted `graceMs` (a real orphan lasts until its ack_wait runs out: seconds).
 */
export class OrphanedMessages {
  private readonly since = new Map<Group, number>();

  constructor(private readonly graceMs: number) {}

  /** How many of the group's `unacked` messages count as waiting, given that live workers hold `held`, at `nowMs`. */
  count(group: Group, unacked: number, held: number, nowMs: number): number {
    const gap = unacked - held;
    if (gap <= 0) {
      this.since.delete(group);
      return 0;
    }
    const since = this.since.get(group) ?? nowMs;
    this.since.set(group, since);
    return nowMs - since >= this.graceMs ? gap : 0;
  }
}
