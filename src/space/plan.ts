// The layout of a cell network: for each cell, whether it reduces, whether the previous one did, and its
// channel counts. Shared by the search network (supernet) and the evaluation networks.
export interface CellPlan {
  index: number;
  reduction: boolean;
  reductionPrev: boolean;
  /** Channels of the cell two back, of the previous cell, and of each node in this cell. */
  Cpp: number;
  Cp: number;
  C: number;
}

/** Reduction cells sit at floor(L/3) and floor(2L/3), where channels double. */
export const reductionIndices = (layers: number): number[] => [Math.floor(layers / 3), Math.floor((2 * layers) / 3)];

/** Cells after a stem of `stemChannels`; each cell outputs `multiplier` x C channels (4 nodes concatenated). */
export function planCells(
  C: number,
  layers: number,
  stemChannels: number,
  multiplier = 4,
  reductions = reductionIndices(layers),
): CellPlan[] {
  const cells: CellPlan[] = [];
  let [Cpp, Cp, Cc] = [stemChannels, stemChannels, C];
  let reductionPrev = false;
  for (let index = 0; index < layers; index++) {
    const reduction = reductions.includes(index);
    if (reduction) Cc *= 2;
    cells.push({ index, reduction, reductionPrev, Cpp, Cp, C: Cc });
    reductionPrev = reduction;
    [Cpp, Cp] = [Cp, multiplier * Cc];
  }
  return cells;
}
