// `ednas schema experiment`: the JSON Schema of experiment files, built from the zod types that check each
// task's settings (zodOf in train/settings.ts), so that an editor completes and checks a file as it is
// written with the same types and ranges as `ednas experiment run`.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { NAME } from '../experiment/file.ts';
import { MAX_NAME_LENGTH } from '../experiment/names.ts';
import { TASKS, presetNames, type TrialKind } from '../tasks/tasks.ts';
import { allowed, zodOf, type Setting } from '../train/settings.ts';
import { parseOptions, UsageError } from './args.ts';

export const SCHEMA_HELP = `Usage: ednas schema experiment [--out FILE]

Prints the JSON Schema (draft 2020-12) of experiment files (notebooks/experiments/), made from the same
declarations of the settings that check them: every preset, every --set key with its type and range.
Point an editor at it: VS Code's "json.schemas" or "yaml.schemas" setting, or a first line
'# yaml-language-server: $schema=FILE' in a YAML file.

Options:
  --out FILE   write it to FILE instead of stdout
  -h, --help   show this help`;

/** A value, or a list of values (a list is an axis of the grid). */
const oneOrMany = (t: z.ZodType) => z.union([t, z.array(t).min(1)]);
const seed = z.number().int().min(0);
const name = z
  .string()
  .regex(NAME)
  .max(MAX_NAME_LENGTH)
  .describe(`letters, digits, '.', '_' or '-', at most ${MAX_NAME_LENGTH} characters (it names folders)`);

/**
 * The --set keys of a kind of trial, over both tasks (which keys apply follows from the preset, checked
 * when the grid expands): each setting's zod type, a group's members as `group.member`; seeds apart.
 */
function setOf(kind: TrialKind): z.ZodType {
  // Settings the tasks share (lr, epochs, ...) appear once per different type and range.
  const keys = new Map<string, Map<string, Setting>>();
  const add = (key: string, s: Setting) =>
    keys.set(key, (keys.get(key) ?? new Map()).set(`${s.kind} ${allowed(s)} ${s.doc ?? ''}`, s));
  for (const task of Object.values(TASKS)) {
    for (const [key, s] of Object.entries(task.schemas[kind])) {
      if (key === 'seed') continue;
      if (s.kind === 'group') for (const [member, f] of Object.entries(s.fields)) add(`${key}.${member}`, f);
      else add(key, s);
    }
  }
  const typeOf = (settings: Map<string, Setting>) => {
    const types = [...settings.values()].map(zodOf);
    return types.length === 1 ? types[0] : z.union(types);
  };
  const shape = Object.fromEntries([...keys].map(([key, settings]) => [key, oneOrMany(typeOf(settings)).optional()]));
  return z.strictObject(shape).describe('--set values: KEY: VALUE, or KEY: [VALUES] for an axis of the grid');
}

const axes = (kind: TrialKind) => ({
  preset: oneOrMany(z.enum(presetNames(kind) as [string, ...string[]])).describe(
    `the ${kind} preset, or a list of them`,
  ),
  set: setOf(kind).optional(),
  seeds: oneOrMany(seed).optional().describe('the seeds (default 0), a trial each'),
});

/** The experiment file as a zod type: its shape and every setting's type and range. */
export function experimentZod(): z.ZodType {
  const block = z.discriminatedUnion('task', [
    z.strictObject({ name: name.optional(), task: z.literal('search'), ...axes('search') }),
    z.strictObject({
      name: name.optional(),
      task: z.literal('evaluate'),
      ...axes('evaluate'),
      genotypes: oneOrMany(z.string().min(1)).describe('genotype files, search run directories or "random:K"'),
    }),
    z.strictObject({
      name: name.optional(),
      task: z.literal('search-then-evaluate'),
      search: z.strictObject(axes('search')),
      evaluate: z.strictObject(axes('evaluate')),
    }),
  ]);
  return z
    .strictObject({
      name: name.optional(),
      description: z.string().min(1).optional(),
      data: z
        .string()
        .min(1)
        .optional()
        .describe("every trial's data folder (relative: to the project root); default: each task's own"),
      seed: seed.optional().describe('seeds the draws of random:K genotypes'),
      trials: z.array(block).min(1).describe('grid blocks: presets x --set values x seeds (x genotypes)'),
    })
    .describe('An EDNAS experiment file (ednas experiment run FILE)');
}

/** The JSON Schema of experiment files. */
export const experimentJsonSchema = (): Record<string, unknown> =>
  z.toJSONSchema(experimentZod(), { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;

export async function schemaCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('schema', argv, { out: { type: 'string' } });
  if (values.help || positionals.length === 0) {
    console.log(SCHEMA_HELP);
    return values.help ? 0 : 2;
  }
  if (positionals[0] !== 'experiment' || positionals.length > 1) {
    throw new UsageError(`ednas schema knows 'experiment', got '${positionals.join(' ')}'. Run 'ednas schema --help'.`);
  }
  const text = `${JSON.stringify({ title: 'EDNAS experiment file', ...experimentJsonSchema() }, null, 2)}\n`;
  if (values.out) writeFileSync(values.out, text);
  // Written to the end before returning: the CLI exits right after, and a pipe takes its text in pieces.
  else await new Promise<void>((done) => process.stdout.write(text, () => done()));
  return 0;
}
