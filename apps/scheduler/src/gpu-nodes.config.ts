import { readFileSync } from 'node:fs';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { GROUPS, parseDto, type Group } from '@introeval/contracts';

export const DRIVER_KINDS = ['ollama', 'speaches', 'kubernetes'] as const;

/** How the scheduler loads and unloads one residency group (libs/residency). */
export class GroupDriverSpec {
  @IsIn(DRIVER_KINDS, { message: `driver.kind must be one of ${DRIVER_KINDS.join(', ')}` })
  kind!: (typeof DRIVER_KINDS)[number];

  /** The engine's base URL (ollama, speaches; with kubernetes, the engine's Service, to preload the model). */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  url?: string;

  /** Models the group keeps resident (Ollama model names, speaches model ids). */
  @IsOptional() @IsArray() @IsString({ each: true })
  models?: string[];

  /** kubernetes: the Deployment that serves the group (scaled to 0 to release the card, 1 to load). */
  @IsOptional() @IsString()
  deployment?: string;

  /** After an unload, how long before the memory counts as free (cards can take ~1.5 s). */
  @IsOptional() @IsInt() @Min(0)
  settleMs?: number;

  /** How often a load/unload is checked, and how long it may take. */
  @IsOptional() @IsInt() @Min(1)
  pollMs?: number;
  @IsOptional() @IsInt() @Min(1)
  timeoutMs?: number;
}

export class GroupSpec {
  /** Resident footprint of the group's models. */
  @IsInt() @Min(1)
  vramMb!: number;

  /** Requests its engine serves at once: speaches batch size, Ollama NUM_PARALLEL. */
  @IsInt() @Min(1) @Max(64)
  concurrency!: number;

  /** Estimated seconds per job at that concurrency, until measured. */
  @IsNumber() @Min(0)
  serviceSec!: number;

  /**
   * The engine's throughput at `concurrency` relative to one request alone (Whisper at batch 8: about 3.5; Ollama
   * with 4 parallel slots: about 2.2). Optional, default 1: concurrency assumed to buy nothing. The scheduler's
   * measurements and the ETA forecast use it to tell a job alone (slower) from a full engine.
   */
  @IsOptional() @IsNumber() @Min(1)
  gainAtMax?: number;

  @IsDefined() @ValidateNested() @Type(() => GroupDriverSpec)
  driver!: GroupDriverSpec;
}

/**
 * A node's groups, one GroupSpec per residency group of the stage table. Every group is required: a node serves the
 * whole pipeline (class-validator skips an absent nested object, hence IsDefined). The properties are declared per
 * group in a loop below, so a new stage's group is validated without an edit here.
 */
export class NodeGroupsSpec {}
for (const group of GROUPS) {
  IsDefined()(NodeGroupsSpec.prototype, group);
  ValidateNested()(NodeGroupsSpec.prototype, group);
  Type(() => GroupSpec)(NodeGroupsSpec.prototype, group);
}
export type NodeGroups = Record<Group, GroupSpec>;

export class KubernetesMirrorSpec {
  @IsString()
  namespace!: string;
  /** The coordination.k8s.io Lease that mirrors the phase (default introeval-gpu-<node>). */
  @IsOptional() @IsString()
  leaseName?: string;
}

/** One GPU node: a card, every group's engines on it, and optionally its Kubernetes objects. */
export class GpuNodeSpec {
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'node name must be 1-64 letters, digits, - or _' })
  name!: string;

  /** The card's memory; omitted, it is read from nvidia-smi at boot. */
  @IsOptional() @IsInt() @Min(1)
  vramMb?: number;

  @IsDefined() @ValidateNested() @Type(() => NodeGroupsSpec)
  groups!: NodeGroups;

  @IsOptional() @ValidateNested() @Type(() => KubernetesMirrorSpec)
  kubernetes?: KubernetesMirrorSpec;
}

export class GpuNodesFile {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => GpuNodeSpec)
  nodes!: GpuNodeSpec[];
}

/** Reads and validates the GPU node file once at boot: a bad file stops the scheduler with the problem named. */
export async function loadGpuNodes(path: string): Promise<GpuNodeSpec[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`GPU_NODES_FILE ${path} is not readable JSON: ${(error as Error).message}`);
  }
  let file: GpuNodesFile;
  try {
    file = await parseDto(GpuNodesFile, raw);
  } catch (error) {
    throw new Error(`GPU_NODES_FILE ${path} is invalid: ${(error as Error).message}`);
  }
  const names = file.nodes.map((n) => n.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`GPU_NODES_FILE ${path} names node ${duplicate} twice`);
  for (const node of file.nodes) {
    for (const group of GROUPS) {
      const spec = node.groups[group];
      const where = `GPU_NODES_FILE ${path}: node ${node.name} group ${group}`;
      const { kind, url, models, deployment } = spec.driver;
      if (kind !== 'kubernetes' && (!url || !models?.length)) throw new Error(`${where}: the ${kind} driver needs url and models`);
      if (kind === 'kubernetes' && !deployment) throw new Error(`${where}: the kubernetes driver needs deployment`);
      if (kind === 'kubernetes' && !node.kubernetes) throw new Error(`${where}: the kubernetes driver needs the node's kubernetes.namespace`);
    }
  }
  return file.nodes;
}
