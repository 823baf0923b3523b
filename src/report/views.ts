// What differs between the reports of the two tasks: how the policy is drawn, how the cell is written and
// drawn, the training curves and tables, the headline result. Everything else (sections, order, the
// paper's table) is one report, built in run-report.ts.
import { from, type ColumnTable } from 'arquero';
import { CELL_TYPES, genotypeToDarts, genotypeToJson, type Genotype } from '../space/genotype.ts';
import { rnnGenotypeToDarts, rnnGenotypeToJson, type RnnGenotype } from '../space/rnn-genotype.ts';
import type { PolicyProbabilities, RnnProbabilities } from '../policy/policy.ts';
import type { TaskName } from '../rundir/run-dir.ts';
import type { EpochRecord } from '../cnn/search.ts';
import type { EvalEpochRecord } from '../cnn/evaluation.ts';
import type { RnnEpochRecord } from '../rnn/search.ts';
import type { RnnEvalEpochRecord } from '../rnn/evaluation.ts';
import { cellDiagram, recurrentCellDiagram } from '../viz/cell-diagram.ts';
import {
  operationFigure,
  operationHeatmapFigure,
  structureHeatmapFigure,
  trainingFigure,
  type Figure,
} from '../viz/figures.ts';
import { activationFigure, activationHeatmapFigure, inputHeatmapFigure, perplexityFigure } from '../viz/rnn-figures.ts';

type History<P> = { epoch: number; probabilities: P }[];

export interface TaskView<G, P, SRec, ERec> {
  /** The paper's row this task is compared with. */
  task: 'CIFAR-10' | 'PTB';
  rewardText: string;
  rewardLabel: string;
  policyFigures(history: History<P>): Figure[];
  searchTrainingFigure(epochs: SRec[]): Figure;
  genotypeDarts(g: G): string;
  genotypeJson(g: G): string;
  diagrams(g: G): string[];
  argmaxTitle: string;
  evaluationFigure(epochs: ERec[]): Figure;
  evaluationTable(epochs: ERec[]): { title: string; table: ColumnTable };
  /** The headline result from the training's epochs and the finished manifest's result. */
  result(epochs: ERec[], result: Record<string, unknown>): string | undefined;
}

export const CNN_VIEW: TaskView<Genotype, PolicyProbabilities, EpochRecord, EvalEpochRecord> = {
  task: 'CIFAR-10',
  rewardText:
    'Mean reward (child accuracy on policy minibatches), its moving-average baseline and the entropy of the sampled ' +
    'distributions, per epoch. The search network normalizes with batch statistics (running statistics of a shared ' +
    'batch norm mean nothing across children); the test accuracies of the evaluation training below are in ' +
    "evaluation mode, with each batch norm's running statistics.",
  rewardLabel: 'reward (child accuracy)',
  policyFigures: (h) => [
    ...CELL_TYPES.map((t) => operationFigure(h, t)),
    ...CELL_TYPES.map((t) => operationHeatmapFigure(h, t)),
    ...CELL_TYPES.map((t) => structureHeatmapFigure(h, t)),
  ],
  searchTrainingFigure: (epochs) => trainingFigure('Supernet training (sampled children)', epochs),
  genotypeDarts: genotypeToDarts,
  genotypeJson: genotypeToJson,
  diagrams: (g) => CELL_TYPES.map((t) => cellDiagram(g, t)),
  argmaxTitle: 'Argmax genotype after each epoch',
  evaluationFigure: (epochs) => trainingFigure('Evaluation training from scratch', epochs),
  evaluationTable: (epochs) => ({
    title: 'Evaluation per epoch',
    table: from(epochs).select('epoch', 'lr', 'train_loss', 'train_acc', 'test_acc', 'wall_s'),
  }),
  result: (epochs) =>
    epochs.length ? `${(100 * (1 - epochs[epochs.length - 1].test_acc)).toFixed(2)}% test error` : undefined,
};

export const RNN_VIEW: TaskView<RnnGenotype, RnnProbabilities, RnnEpochRecord, RnnEvalEpochRecord> = {
  task: 'PTB',
  rewardText:
    'Mean reward (80 / perplexity of the sampled cell on policy windows), its moving-average baseline and the ' +
    'entropy of the sampled distributions, per epoch.',
  rewardLabel: 'reward (80 / perplexity)',
  policyFigures: (h) => [activationFigure(h), activationHeatmapFigure(h), inputHeatmapFigure(h)],
  searchTrainingFigure: (epochs) => perplexityFigure('Supernet training (sampled cells)', epochs),
  genotypeDarts: rnnGenotypeToDarts,
  genotypeJson: rnnGenotypeToJson,
  diagrams: (g) => [recurrentCellDiagram(g)],
  argmaxTitle: 'Argmax cell after each epoch',
  evaluationFigure: (epochs) => perplexityFigure('Training from scratch (ASGD)', epochs),
  evaluationTable: (epochs) => ({
    title: 'Training per epoch',
    table: from(epochs).select('epoch', 'averaging', 'train_ppl', 'valid_ppl', 'wall_s'),
  }),
  result: (_epochs, r) => (typeof r.test_ppl === 'number' ? `${r.test_ppl.toFixed(2)} test perplexity` : undefined),
};

/** The views by task, for reports read from a run directory (whose manifest names the task). */
export const VIEWS: Record<TaskName, TaskView<unknown, unknown, never, never>> = {
  cnn: CNN_VIEW as unknown as TaskView<unknown, unknown, never, never>,
  rnn: RNN_VIEW as unknown as TaskView<unknown, unknown, never, never>,
};
