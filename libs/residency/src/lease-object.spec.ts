import { describe, expect, it } from '@jest/globals';
import type { V1Lease } from '@kubernetes/client-node';
import { labelValue, leaseObject, type LeaseSnapshot } from './lease-object.js';

const lease: LeaseSnapshot = {
  node: 'gpu-0',
  phase: ['stt', 'extract'],
  state: 'granted',
  epoch: 7,
  holder: 'scheduler-7f9c',
  since: '2026-03-01T09:15:00.250Z',
  ttlSec: 15,
};
const now = new Date('2026-03-01T09:15:03.125Z');

describe('leaseObject', () => {
  it('puts holder, epoch and ttl in the Lease spec with microsecond times, as the API server requires', () => {
    const json = JSON.parse(JSON.stringify(leaseObject('introeval', 'introeval-gpu-gpu-0', lease, now)));

    expect(json.spec).toEqual({
      holderIdentity: 'scheduler-7f9c',
      leaseDurationSeconds: 15,
      acquireTime: '2026-03-01T09:15:00.250000Z',
      renewTime: '2026-03-01T09:15:03.125000Z',
      leaseTransitions: 7,
    });
  });

  it('shows phase, state and epoch as labels (for kubectl -L) and exactly as annotations', () => {
    const { metadata } = leaseObject('introeval', 'introeval-gpu-gpu-0', lease, now);

    expect(metadata?.labels).toMatchObject({
      'introeval.io/node': 'gpu-0',
      'introeval.io/phase': 'stt.extract',
      'introeval.io/state': 'granted',
      'introeval.io/epoch': '7',
    });
    expect(metadata?.annotations).toMatchObject({
      'introeval.io/phase': 'stt,extract',
      'introeval.io/since': '2026-03-01T09:15:00.250Z',
    });
  });

  it('labels an idle lease with no phase as "none"', () => {
    const { metadata } = leaseObject('introeval', 'l', { ...lease, phase: [], state: 'idle' }, now);
    expect(metadata?.labels?.['introeval.io/phase']).toBe('none');
    expect(metadata?.annotations?.['introeval.io/phase']).toBe('');
  });

  it("keeps what others wrote on the current Lease, but not its managedFields, and overwrites its own keys", () => {
    const current: V1Lease = {
      metadata: {
        name: 'l',
        resourceVersion: '42',
        labels: { team: 'lab', 'introeval.io/state': 'loading' },
        annotations: { note: 'keep me' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u1' }],
        managedFields: [{ manager: 'kubectl' }],
      },
      spec: { preferredHolder: 'scheduler-a', holderIdentity: 'scheduler-old' },
    };

    const body = leaseObject('introeval', 'l', lease, now, current);

    expect(body.metadata?.resourceVersion).toBe('42');
    expect(body.metadata?.labels).toMatchObject({ team: 'lab', 'introeval.io/state': 'granted' });
    expect(body.metadata?.annotations).toMatchObject({ note: 'keep me' });
    expect(body.metadata?.ownerReferences).toHaveLength(1);
    expect(body.metadata?.managedFields).toBeUndefined();
    expect(body.spec).toMatchObject({ preferredHolder: 'scheduler-a', holderIdentity: 'scheduler-7f9c' });
  });

  it('refuses a "since" that is not a date instead of writing an invalid time', () => {
    expect(() => leaseObject('introeval', 'l', { ...lease, since: 'yesterday' }, now)).toThrow(/not a date/);
  });
});

describe('labelValue', () => {
  it('keeps valid values and turns anything else into a valid label value', () => {
    expect(labelValue('gpu-0')).toBe('gpu-0');
    expect(labelValue('node/gpu 0:a')).toBe('node-gpu-0-a');
    expect(labelValue('-_edge_-')).toBe('edge');
    expect(labelValue('x'.repeat(80))).toHaveLength(63);
  });
});
