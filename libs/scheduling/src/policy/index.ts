import { AdaptivePolicy, type AdaptiveSettings } from './adaptive.policy.js';
import { FcfsSwapPolicy, OneAtATimePolicy, StrictBatchPolicy } from './baseline.policies.js';
import type { PhasePolicy } from './policy.types.js';

export const POLICIES = ['adaptive', 'strict-batch', 'fcfs-swap', 'one-at-a-time'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** A fresh policy (they keep per-node state): one per GPU node. */
export function createPolicy(name: PolicyName, adaptive: AdaptiveSettings): PhasePolicy {
  switch (name) {
    case 'adaptive':
      return new AdaptivePolicy(adaptive);
    case 'strict-batch':
      return new StrictBatchPolicy();
    case 'fcfs-swap':
      return new FcfsSwapPolicy();
    case 'one-at-a-time':
      return new OneAtATimePolicy();
  }
}

export { AdaptivePolicy, mostDownstream, type AdaptiveSettings } from './adaptive.policy.js';
export { FcfsSwapPolicy, OneAtATimePolicy, StrictBatchPolicy } from './baseline.policies.js';
export { STAY, type Decision, type GroupView, type NodeView, type PhasePolicy } from './policy.types.js';
export { fits, phaseFor, phaseIdle, quotaDone, samePhase } from './phase-packing.js';
export { MovingAverage, type Measured } from './moving-average.js';
export { FEEDERS } from './feeders.js';
