// Learning-rate schedules, per epoch as DARTS steps them.

/** Cosine annealing from lr to lrMin over `epochs` (torch CosineAnnealingLR, epoch e counted from 0). */
export const cosineLr = (lr: number, lrMin: number, epoch: number, epochs: number): number =>
  lrMin + ((lr - lrMin) * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
