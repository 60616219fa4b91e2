/**
 * Keeping a run inside its time limit. After the first files, the run knows what each stage and
 * each model costs per byte of audio file; it projects the rest and, if the projection overruns,
 * drops ensemble members in a fixed order until it fits:
 *   1. the member with the lowest ensemble weight first,
 *   2. among equal weights, the one with the highest measured inference cost first,
 *   3. never the last member.
 * A safety margin (default 10 % of the limit) absorbs the noise of the early measurement.
 */

export interface ModelCost {
  name: string;
  weight: number;
  /** Worker CPU milliseconds of inference per byte of input file, measured so far. */
  msPerByte: number;
}

export interface BudgetInput {
  limitMs: number;
  elapsedMs: number;
  bytesDone: number;
  bytesLeft: number;
  /** Worker CPU ms per byte outside inference (decode, resample, spectrograms). */
  frontendMsPerByte: number;
  active: ModelCost[];
  safety?: number;
}

export interface BudgetDecision {
  keep: string[];
  drop: string[];
  /** Projected total run time with the kept models, ms. */
  projectedMs: number;
}

function projectMs(input: BudgetInput, models: ModelCost[]): number {
  const measuredCpu = input.frontendMsPerByte + input.active.reduce((s, m) => s + m.msPerByte, 0);
  // Wall time per byte of CPU work so far: folds in the parallelism and the overheads.
  const wallPerCpu = measuredCpu > 0 ? input.elapsedMs / (measuredCpu * input.bytesDone) : 1;
  const cpuLeft = (input.frontendMsPerByte + models.reduce((s, m) => s + m.msPerByte, 0)) * input.bytesLeft;
  return input.elapsedMs + wallPerCpu * cpuLeft;
}

export function planWithinLimit(input: BudgetInput): BudgetDecision {
  const budget = input.limitMs * (1 - (input.safety ?? 0.1));
  const dropOrder = [...input.active].sort((a, b) => a.weight - b.weight || b.msPerByte - a.msPerByte);
  let kept = [...input.active];
  const dropped: string[] = [];
  let projected = projectMs(input, kept);
  for (const candidate of dropOrder) {
    if (projected <= budget || kept.length === 1) break;
    kept = kept.filter((m) => m.name !== candidate.name);
    dropped.push(candidate.name);
    projected = projectMs(input, kept);
  }
  return { keep: kept.map((m) => m.name), drop: dropped, projectedMs: projected };
}
