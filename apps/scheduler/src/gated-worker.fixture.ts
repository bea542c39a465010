// A stage worker gated on a GPU node's lease, in-process, for the scheduler's integration specs (not part of the build).
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { GROUP_STAGES, messageId, STAGE_SUBJECT_OUT, Streams, Subjects, type GroupStage } from '@introeval/contracts';
import { LeaseGate, LeaseStore, openLeaseBuckets, STAGE_GROUP, WorkerPresence, type Group, type LeaseBucketOptions } from '@introeval/lease';
import { pullNoWait, StageWorker, type WorkMessage } from '@introeval/messaging';
import { LeasePullGate } from '@introeval/pipeline';
import { connectNats } from '@introeval/nats';
import type { GpuModelSpec, GpuNodeHandle } from '@introeval/testing';

/** The stages that run on a GPU node (those with a residency group). */
export type GpuStage = GroupStage;
export const GPU_STAGES: readonly GpuStage[] = GROUP_STAGES;
/** A gated worker polls its empty queue this often (run-worker uses 25 ms). */
const POLL_MS = 10;
const RETRY_MS = 50;
/** The stand-in's canned brain ignores the audio; speaches only needs a non-empty file. */
const AUDIO = new Uint8Array(3200);
const quiet = { log: () => undefined, warn: () => undefined };

export interface GatedWorkerOptions {
  natsUrl: string;
  leaseTiming: LeaseBucketOptions;
  heartbeatEveryMs: number;
  /** The stage consumer's ack_wait: in-progress acks go out every third of it, as the real transport sends them. */
  ackWaitMs: number;
  node: string;
  stage: GpuStage;
  workerId: string;
  concurrency: number;
  gpu: GpuNodeHandle;
  models: readonly GpuModelSpec[];
  /** A job left the last stage: called once per completion event the server accepted (not a de-duplicated one). */
  onCompleted: (jobId: string) => void;
}

/**
 * One stage worker process, as run-worker.ts builds it, minus Nest and the job records: a StageWorker pulling its
 * stage with no-wait pulls under a LeaseGate, calling the GPU node's real HTTP API for its group (stamped with
 * `X-Lease-Epoch`), then publishing the job to the next stage (de-duplicated by `Nats-Msg-Id`) and acking. It has its
 * own NATS connection, so a crash is what NATS sees of a dead process: heartbeats stop, nothing is acked.
 */
export class GatedWorker {
  /** Messages handed to this worker under a grant. */
  started = 0;
  /** Engine or NATS errors on the way (the message was nak'd and comes back). */
  readonly errors: string[] = [];
  private readonly group: Group;
  private readonly model: GpuModelSpec;
  private readonly calls = new Set<AbortController>();
  private crashed = false;
  private stopped = false;
  private readonly holdWaiters: (() => void)[] = [];

  private constructor(
    private readonly opts: GatedWorkerOptions,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly gate: LeaseGate,
    private readonly worker: StageWorker,
  ) {
    this.group = STAGE_GROUP[opts.stage];
    this.model = opts.models.find((m) => m.group === this.group)!;
  }

  static async start(opts: GatedWorkerOptions): Promise<GatedWorker> {
    const nc = await connectNats(opts.natsUrl, opts.workerId);
    const buckets = await openLeaseBuckets(nc, opts.leaseTiming);
    const gate = new LeaseGate(new LeaseStore(buckets, quiet), new WorkerPresence(buckets, quiet), {
      node: opts.node,
      group: STAGE_GROUP[opts.stage],
      workerId: opts.workerId,
      heartbeatEveryMs: opts.heartbeatEveryMs,
      logger: quiet,
    });
    let self: GatedWorker | null = null;
    const worker = new StageWorker({
      name: `${opts.stage} ${opts.workerId}`,
      concurrency: opts.concurrency,
      process: (msg, epoch) => self!.process(msg, epoch),
      logger: new Logger(opts.workerId),
      source: { gate: new LeasePullGate(gate, opts.concurrency), pull: (batch) => pullNoWait(nc, Streams.work, opts.stage, batch), pollMs: POLL_MS },
    });
    self = new GatedWorker(opts, nc, jetstream(nc), gate, worker);
    await gate.start();
    worker.start();
    return self;
  }

  get workerId(): string {
    return this.opts.workerId;
  }

  get stage(): GpuStage {
    return this.opts.stage;
  }

  /** Messages held now (running, or pulled and about to run). */
  get holding(): number {
    return this.worker.running;
  }

  get isCrashed(): boolean {
    return this.crashed;
  }

  /** Resolves when this worker next starts a job (at once if it holds one now). */
  whenHolding(): Promise<void> {
    if (this.holding > 0) return Promise.resolve();
    return new Promise((resolve) => this.holdWaiters.push(resolve));
  }

  /**
   * Dies the way a killed process does: the connection goes first, so no "idle" report, ack or publish gets out; then
   * the engine calls are dropped (the engine sees the client go away). Its report expires with the heartbeat TTL and
   * its messages come back after ack_wait.
   */
  async crash(): Promise<void> {
    if (this.crashed || this.stopped) return;
    this.crashed = true;
    await this.nc.close();
    for (const call of this.calls) call.abort();
    await this.worker.stopPulling();
    await this.gate.stop(); // only its timers now: the report can no longer be removed
  }

  /** Stops cleanly: no more pulls, in-flight work finishes and is acked, the report is removed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.crashed) {
      await this.worker.stopPulling();
      await this.worker.idle();
      await this.gate.stop();
    }
    if (!this.nc.isClosed()) await this.nc.close();
  }

  private async process(msg: WorkMessage, epoch: number | null): Promise<void> {
    this.started++;
    for (const resolve of this.holdWaiters.splice(0)) resolve();
    const { jobId } = JSON.parse(new TextDecoder().decode(msg.data)) as { jobId: string };
    const call = new AbortController();
    this.calls.add(call);
    // A job queued behind others in the engine can outlast ack_wait; the real transport sends these too.
    const progress = setInterval(() => msg.working(), Math.max(10, Math.floor(this.opts.ackWaitMs / 3)));
    try {
      await this.callEngine(jobId, epoch, call.signal);
      await this.forward(jobId);
      await msg.ackAck();
    } catch (error) {
      if (this.crashed) return; // a dead process acks nothing
      this.errors.push(`${jobId}: ${(error as Error).message}`);
      msg.nak(RETRY_MS);
    } finally {
      clearInterval(progress);
      this.calls.delete(call);
    }
  }

  private async callEngine(jobId: string, epoch: number | null, signal: AbortSignal): Promise<void> {
    const { gpu } = this.opts;
    const epochHeader: Record<string, string> = epoch === null ? {} : { 'X-Lease-Epoch': String(epoch) };
    let response: Response;
    if (this.model.api === 'speaches') {
      const form = new FormData();
      form.append('file', new Blob([AUDIO], { type: 'audio/wav' }), `${jobId}.wav`);
      form.append('model', this.model.name);
      form.append('response_format', 'json');
      response = await fetch(`${gpu.speachesUrl}/v1/audio/transcriptions`, { method: 'POST', body: form, headers: epochHeader, signal });
    } else {
      const body = { model: this.model.name, messages: [{ role: 'user', content: `job ${jobId}` }], stream: false };
      response = await fetch(`${gpu.ollamaUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...epochHeader },
        body: JSON.stringify(body),
        signal,
      });
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.model.name} answered ${response.status}: ${text}`);
  }

  private async forward(jobId: string): Promise<void> {
    const next = STAGE_SUBJECT_OUT[this.opts.stage];
    if (next) {
      await this.js.publish(next, JSON.stringify({ jobId }), { msgID: messageId(jobId, next) });
      return;
    }
    const subject = Subjects.completed(jobId);
    const ack = await this.js.publish(subject, JSON.stringify({ jobId }), { msgID: messageId(jobId, subject) });
    if (!ack.duplicate) this.opts.onCompleted(jobId);
  }
}
