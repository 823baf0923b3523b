// The genotype: a derived (or sampled) architecture, one list of (operation, input) pairs per cell type,
// two pairs per operation node. Read and written as JSON and in DARTS' Python form, so cells move freely
// between this project and DARTS-family tools. Reading a genotype file is tasks/genotype-file.ts' (Node).
import { OP_NAMES, isOpName, type OpName } from './ops.ts';

export const CELL_TYPES = ['normal', 'reduce'] as const;
export type CellType = (typeof CELL_TYPES)[number];
/** Operation nodes per cell (nodes 2..5); inputs 0 and 1 are the two previous cells. */
export const STEPS = 4;
export const INPUTS_PER_NODE = 2;

export type Pair = [OpName, number];

export interface Genotype {
  normal: Pair[];
  normal_concat: number[];
  reduce: Pair[];
  reduce_concat: number[];
}

export class GenotypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenotypeError';
  }
}

const DEFAULT_CONCAT = [2, 3, 4, 5];

/**
 * A value of a genotype file as an error shows it: a short name-like word or a number as it is, anything
 * else by its kind only, so that a file read by mistake (a key, a password file) never appears in a message.
 */
export function shown(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string')
    return /^[A-Za-z0-9_]{1,32}$/.test(v) ? JSON.stringify(v) : `a text of ${v.length} characters`;
  if (Array.isArray(v)) {
    const short = v.length <= 8 && v.every((x) => typeof x === 'number' || typeof x === 'string');
    return short ? `[${v.map(shown).join(', ')}]` : `a list of ${v.length}`;
  }
  return v === null ? 'null' : `a ${typeof v === 'object' ? 'JSON object' : typeof v}`;
}

/** Checks shape, operation names and input ranges; the error names the bad entry. */
export function validateGenotype(g: unknown): Genotype {
  if (typeof g !== 'object' || g === null)
    throw new GenotypeError('a genotype must be an object with normal, normal_concat, reduce and reduce_concat');
  const obj = g as Record<string, unknown>;
  for (const type of CELL_TYPES) {
    const pairs = obj[type];
    if (!Array.isArray(pairs))
      throw new GenotypeError(`genotype.${type} is missing or not a list of [op, input] pairs`);
    if (pairs.length !== STEPS * INPUTS_PER_NODE) {
      throw new GenotypeError(
        `genotype.${type} has ${pairs.length} edges; a cell has ${STEPS} nodes with ${INPUTS_PER_NODE} inputs each, ` +
          `so ${STEPS * INPUTS_PER_NODE} edges`,
      );
    }
    pairs.forEach((pair, k) => {
      const where = `genotype.${type}[${k}] (node ${2 + Math.floor(k / 2)})`;
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new GenotypeError(`${where} must be an [op, input] pair, got ${shown(pair)}`);
      const [op, input] = pair;
      if (typeof op !== 'string' || !isOpName(op))
        throw new GenotypeError(`${where}: unknown operation ${shown(op)}; the operations are ${OP_NAMES.join(', ')}`);
      const node = 2 + Math.floor(k / 2);
      if (!Number.isInteger(input) || input < 0 || input >= node)
        throw new GenotypeError(
          `${where}: input ${shown(input)} is out of range; node ${node} reads nodes 0-${node - 1}`,
        );
    });
    const concatKey = `${type}_concat`;
    const concat = obj[concatKey] ?? DEFAULT_CONCAT;
    if (
      !Array.isArray(concat) ||
      concat.length === 0 ||
      concat.some((c) => !Number.isInteger(c) || c < 2 || c > 1 + STEPS) ||
      new Set(concat).size !== concat.length
    ) {
      throw new GenotypeError(
        `genotype.${concatKey} must list distinct nodes among 2-${1 + STEPS}, got ${shown(concat)}`,
      );
    }
  }
  return {
    normal: (obj.normal as Pair[]).map(([o, i]) => [o, i]),
    normal_concat: [...((obj.normal_concat as number[]) ?? DEFAULT_CONCAT)],
    reduce: (obj.reduce as Pair[]).map(([o, i]) => [o, i]),
    reduce_concat: [...((obj.reduce_concat as number[]) ?? DEFAULT_CONCAT)],
  };
}

export function genotypeToJson(g: Genotype): string {
  const pairs = (ps: Pair[]) => `[${ps.map(([o, i]) => `["${o}", ${i}]`).join(', ')}]`;
  return (
    `{"normal": ${pairs(g.normal)},\n "normal_concat": [${g.normal_concat.join(', ')}],\n ` +
    `"reduce": ${pairs(g.reduce)},\n "reduce_concat": [${g.reduce_concat.join(', ')}]}\n`
  );
}

export function genotypeFromJson(text: string): Genotype {
  return validateGenotype(parseJsonGenotype(text));
}

/** DARTS' concat field: range(a, b) when the nodes are consecutive, else a list. */
export function dartsConcat(c: number[]): string {
  const isRange = c.every((v, k) => v === c[0] + k);
  return isRange ? `range(${c[0]}, ${c[c.length - 1] + 1})` : `[${c.join(', ')}]`;
}

const dartsPairs = (ps: [string, number][]) => `[${ps.map(([o, i]) => `('${o}', ${i})`).join(', ')}]`;

/** DARTS' form: Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), reduce=[...],
 * reduce_concat=range(2, 6)).
 */
export function genotypeToDarts(g: Genotype): string {
  return (
    `Genotype(normal=${dartsPairs(g.normal)}, normal_concat=${dartsConcat(g.normal_concat)}, ` +
    `reduce=${dartsPairs(g.reduce)}, reduce_concat=${dartsConcat(g.reduce_concat)})`
  );
}

/** The fields of DARTS' Genotype(...) text: `pairs(name)` for a list of (op, input), `concat(name)` for a range or
 * list.
 */
export function dartsFields(text: string, expected: string) {
  const body = text.trim().match(/^Genotype\s*\(([\s\S]*)\)$/);
  // What the text holds is not quoted: it may be any file given by mistake.
  if (!body) throw new GenotypeError(`neither JSON (starting with '{') nor DARTS' form ${expected}`);
  const field = (name: string): string | undefined =>
    body[1].match(new RegExp(`\\b${name}\\s*=\\s*(\\[[^\\]]*\\]|range\\s*\\([^)]*\\))`))?.[1];
  return {
    pairs(name: string) {
      const src = field(name);
      if (src === undefined) throw new GenotypeError(`DARTS genotype: field ${name} is missing`);
      return [...src.matchAll(/\(\s*['"]([^'"]*)['"]\s*,\s*(-?\d+)\s*\)/g)].map((m) => [m[1], Number(m[2])]);
    },
    concat(name: string) {
      const src = field(name);
      if (src === undefined) return undefined;
      const range = src.match(/^range\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/);
      if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) }, (_, k) => Number(range[1]) + k);
      return [...src.matchAll(/-?\d+/g)].map((m) => Number(m[0]));
    },
  };
}

export function genotypeFromDarts(text: string): Genotype {
  const f = dartsFields(text, 'Genotype(normal=[...], normal_concat=..., reduce=[...], reduce_concat=...)');
  return validateGenotype({
    normal: f.pairs('normal'),
    normal_concat: f.concat('normal_concat'),
    reduce: f.pairs('reduce'),
    reduce_concat: f.concat('reduce_concat'),
  });
}

/** JSON parsed, or a GenotypeError naming the syntax problem. */
export function parseJsonGenotype(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text around the error; only where it is is kept.
    const at = /at position (\d+)/.exec((e as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n') : undefined;
    const where = line ? ` (line ${line.length}, column ${line.at(-1)!.length + 1})` : '';
    throw new GenotypeError(
      `not valid JSON${where || (/end of JSON/.test((e as Error).message) ? ' (it ends too early)' : '')}`,
    );
  }
}

/** Either form, told apart by the first character. */
export function parseGenotype(text: string): Genotype {
  return text.trimStart().startsWith('{') ? genotypeFromJson(text) : genotypeFromDarts(text);
}
