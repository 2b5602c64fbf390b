import { createRequire } from 'node:module';

/**
 * A memo in front of dynalite's expression parsers (PEG.js grammars it runs on every request:
 * ingest's long `NOT (contains(#ids,:h0) OR ...)` conditions were ~15% of the demo's CPU).
 *
 * dynalite has no cache of its own, and its parse is not a pure function of the expression string:
 * it resolves `#names` into the tree, puts the request's `:value` objects in it, checks operand
 * types, and marks the names and values it used (an unused one is an error). So an entry is keyed
 * by the expression, the names map and the values' types (what the checks read), and holds the
 * parsed tree with a hole where each value goes; a hit fills the holes with this request's values
 * and marks the same names and values used. What a parse would have answered is unchanged: a
 * failed parse is never cached (it is parsed again), and a hit on an expression with BETWEEN
 * re-runs the one check that compares values (lower bound not above the upper), parsing afresh
 * when it fails so that dynalite words the error.
 */

interface ParseContext {
  attrNames?: Record<string, string> | null;
  attrVals?: Record<string, Record<string, unknown>> | null;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  [other: string]: unknown;
}
type Parse = (input: string, options: { context: ParseContext }) => unknown;
interface ParserModule {
  parse: Parse;
}

/** A parsed tree with holes: a `Hole` stands where the value named `name` goes. */
class Hole {
  constructor(readonly name: string) {}
}
interface Entry {
  template: unknown;
  usedNames: string[];
  usedVals: string[];
  /** The expression has BETWEEN: a hit re-checks its bounds' order (dynalite compares the values themselves). */
  between: boolean;
  /** The tree holds a node twice (the update parser lists its paths twice): copies keep it shared. */
  shared: boolean;
}

/** dynalite's own test for an AttributeValue's type (getImmediateType in its parsers). */
const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];
/** Entries are short-lived shapes of a few queries: past this many key characters the memo starts again. */
const MAX_KEY_CHARS = 4_000_000;
const PARSERS = ['conditionParser', 'updateParser', 'projectionParser'];
const INSTALLED = Symbol.for('tend.local.dynaliteExpressionMemo');

export interface ExpressionMemoStats {
  hits: number;
  misses: number;
  /** Parsed every time: values carrying `attrType` (dynalite's own typing mark, never in a valid request). */
  bypassed: number;
}

/** Counters over every parser, for tests and the bench. */
export const expressionMemoStats: ExpressionMemoStats = { hits: 0, misses: 0, bypassed: 0 };

/** Puts the memo in front of dynalite's parsers, once per process (dynalite's modules are process-wide). */
export function memoizeDynaliteExpressions(): void {
  const require = createRequire(import.meta.url);
  for (const name of PARSERS) {
    const parser = require(`dynalite/db/${name}`) as ParserModule & { [INSTALLED]?: true };
    if (parser[INSTALLED]) continue;
    parser.parse = memoized(parser.parse);
    parser[INSTALLED] = true;
  }
}

/** `parse` with the memo described above (exported for its tests). */
export function memoized(parse: Parse): Parse {
  const entries = new Map<string, Entry>();
  let keyChars = 0;
  return (input, options) => {
    const context = options.context;
    const key = keyOf(input, context);
    if (key === undefined) {
      expressionMemoStats.bypassed++;
      return parse(input, options);
    }
    const hit = entries.get(key);
    const filled = hit ? fill(hit.template, context.attrVals ?? {}, hit.shared ? new Map() : undefined) : undefined;
    if (hit && (!hit.between || boundsInOrder(filled, context))) {
      expressionMemoStats.hits++;
      for (const n of hit.usedNames) if (context.unusedAttrNames) delete context.unusedAttrNames[n];
      for (const v of hit.usedVals) if (context.unusedAttrVals) delete context.unusedAttrVals[v];
      return filled;
    }
    expressionMemoStats.misses++;
    // Parsed with its own unused-sets, full, so what this expression uses is known whatever parsed before it.
    const names = Object.keys(context.attrNames ?? {});
    const vals = Object.keys(context.attrVals ?? {});
    const own = { ...context, unusedAttrNames: marks(names), unusedAttrVals: marks(vals) };
    const result = parse(input, { ...options, context: own });
    const usedNames = names.filter((n) => !(n in own.unusedAttrNames));
    const usedVals = vals.filter((v) => !(v in own.unusedAttrVals));
    for (const n of usedNames) if (context.unusedAttrNames) delete context.unusedAttrNames[n];
    for (const v of usedVals) if (context.unusedAttrVals) delete context.unusedAttrVals[v];
    // A string is dynalite's error message: not cached, so the next request is checked afresh.
    if (result && typeof result === 'object') {
      const holes = new Map(Object.entries(context.attrVals ?? {}).map(([name, value]) => [value as unknown, new Hole(name)]));
      if (keyChars + key.length > MAX_KEY_CHARS) {
        entries.clear();
        keyChars = 0;
      }
      const carving = { seen: new Map<unknown, unknown>(), shared: false };
      const template = carve(result, holes, carving);
      entries.set(key, { template, usedNames, usedVals, between: /between/i.test(input), shared: carving.shared });
      keyChars += key.length;
    }
    return result;
  };
}

/** A placeholder in an expression (dynalite accepts no other `#name` or `:value` keys). */
const PLACEHOLDER = /[#:][0-9A-Za-z_]+/g;

/**
 * The memo's key, or undefined when this parse must not come from it: the expression, then for each
 * placeholder it uses, the name it stands for or the type of its value (nothing else in the
 * request changes the parse: the values themselves only fill the holes).
 */
function keyOf(input: string, context: ParseContext): string | undefined {
  const names = context.attrNames ?? {};
  const values = context.attrVals ?? {};
  let key = input;
  for (const token of new Set(input.match(PLACEHOLDER))) {
    if (token.startsWith('#')) {
      key += `\u0000${token}=${JSON.stringify(Object.hasOwn(names, token) ? names[token] : null)}`;
      continue;
    }
    const value = Object.hasOwn(values, token) ? values[token] : undefined;
    if (value === undefined) key += `\u0000${token}`;
    else if (!value || typeof value !== 'object' || 'attrType' in value) return undefined;
    else key += `\u0000${token}=${TYPES.find((t) => value[t] != null) ?? ''}`;
  }
  return key;
}

/** dynalite's getImmediateType: the AttributeValue's type, or null for a path, a function or a typed operand. */
function immediateType(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value) || (value as { attrType?: unknown }).attrType) return null;
  return TYPES.find((t) => (value as Record<string, unknown>)[t] != null) ?? null;
}

/** dynalite's BETWEEN check on a filled tree: with both bounds values of one type, the lower must not be above the upper. */
function boundsInOrder(tree: unknown, context: ParseContext): boolean {
  const compare = context.compare as ((op: string, a: unknown, b: unknown) => boolean) | undefined;
  if (!compare) return false;
  const visit = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return true;
    if (Array.isArray(node)) return node.every(visit);
    const { type, args, expression } = node as { type?: unknown; args?: unknown[]; expression?: unknown };
    if (expression !== undefined) return visit(expression);
    if (!Array.isArray(args)) return true;
    if (type === 'between') {
      const [, low, high] = args;
      const types = [immediateType(low), immediateType(high)];
      if (types[0] && types[1] && (types[0] !== types[1] || compare('GT', low, high))) return false;
    }
    return args.every(visit);
  };
  return visit(tree);
}

function marks(keys: string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const k of keys) out[k] = true;
  return out;
}

/** A copy of the parsed tree with a Hole for each of the request's values (shared nodes stay shared, and say so; prototypes kept). */
function carve(node: unknown, holes: Map<unknown, Hole>, carving: { seen: Map<unknown, unknown>; shared: boolean }): unknown {
  if (node === null || typeof node !== 'object') return node;
  const hole = holes.get(node);
  if (hole) return hole;
  if (carving.seen.has(node)) carving.shared = true;
  return copy(node, carving.seen, (child) => carve(child, holes, carving));
}

/** A fresh tree from a template, each Hole replaced by this request's value (`seen` when the template shares nodes). */
function fill(node: unknown, values: Record<string, unknown>, seen: Map<unknown, unknown> | undefined): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (node instanceof Hole) return values[node.name];
  return copy(node, seen, (child) => fill(child, values, seen));
}

function copy(node: object, seen: Map<unknown, unknown> | undefined, child: (value: unknown) => unknown): unknown {
  const done = seen?.get(node);
  if (done) return done;
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    seen?.set(node, out);
    for (const x of node) out.push(child(x));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
  seen?.set(node, out);
  for (const [k, v] of Object.entries(node)) out[k] = child(v);
  return out;
}
