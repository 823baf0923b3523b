// The tasks as the `search` and `evaluate` commands see them: a preset name picks the task (the registry
// is src/tasks/tasks.ts); help lists every task's presets.
import { TASKS, type Presets, type Task, type TrialKind } from '../tasks/tasks.ts';
import { schemaHelp } from '../train/settings.ts';
import { UsageError } from './args.ts';

const all = Object.values(TASKS);

/** The task and preset of a search or evaluation preset name, or a usage error listing them all. */
export function presetOf(kind: TrialKind, name: string): { task: Task; preset: Presets[string] } {
  for (const task of all) {
    if (Object.hasOwn(task.presets[kind], name)) return { task, preset: task.presets[kind][name] };
  }
  const names = all.flatMap((t) => Object.keys(t.presets[kind]));
  throw new UsageError(`unknown preset '${name}'; the presets are ${names.join(', ')}`);
}

/**
 * Every task's settings for `--set KEY=VALUE` in a help text: each with its type and range, and its value
 * in the task's first preset.
 */
export function settingsHelp(kind: TrialKind): string {
  return all
    .map((t) => {
      const [name, preset] = Object.entries(t.presets[kind])[0];
      const title = `Settings (--set KEY=VALUE; ${t.title}; defaults of preset ${name}):`;
      return `${title}\n${schemaHelp(t.schemas[kind], preset.config)}`;
    })
    .join('\n\n');
}

/** The presets of every task for a help text, under the task's title. */
export function presetHelp(kind: TrialKind): string {
  const width = Math.max(...all.flatMap((t) => Object.keys(t.presets[kind]).map((n) => n.length)));
  const lines = (t: Task) => Object.entries(t.presets[kind]).map(([n, p]) => `  ${n.padEnd(width)}  ${p.summary}`);
  return all.map((t) => `Presets (${t.title}):\n${lines(t).join('\n')}`).join('\n\n');
}
