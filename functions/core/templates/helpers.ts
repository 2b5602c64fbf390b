import { plural } from '../plural.ts';

type HelperOptions = { fn(context: unknown): string; inverse(context: unknown): string; hash?: Record<string, unknown> };
const isOptions = (x: unknown): x is HelperOptions => typeof x === 'object' && x !== null && 'hash' in x;
/** A figure worth saying: a number other than zero (a count of nothing reads "0 people" to a customer). */
const isFigure = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x !== 0;
/** A count a helper writes: strict like the templates' plain fields, a missing one fails the render, never "NaN seats". */
function countOf(x: unknown, helper: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new Error(`{{${helper}}} was given ${x === undefined ? 'a field the context lacks' : JSON.stringify(x)}, not a number`);
  return x;
}

/**
 * The helpers every template can use (built-in or tend.config.ts), given to Handlebars at render
 * time, so templates compiled from source and those precompiled at synth run with the same ones
 * (functions/core/templates/render.ts `loaded`), and checked at synth (check.ts):
 * - `{{plural usage.seats "seat"}}` is `1 seat` or `5 seats` (`{{plural n "person" "people"}}`);
 * - `{{share usage.activeUsers usage.seats "seat"}}` is `5 of 12 seats`, or `5 seats` when the
 *   whole is not known (zero);
 * - `{{#ifFigures year.activeUsers year.userDays}}...{{else}}...{{/ifFigures}}` renders its block
 *   only when every figure given is a number other than zero: a sentence about a figure the
 *   account does not have (zero, or null: not known) is left out, or replaced by the `else` part.
 * Like plain fields in strict mode, a field the context lacks fails the render.
 */
export const TEMPLATE_HELPERS = {
  plural(count: unknown, one: unknown, ...rest: unknown[]): string {
    const many = rest.length > 1 && !isOptions(rest[0]) ? String(rest[0]) : undefined;
    return plural(countOf(count, 'plural'), String(one), many);
  },
  share(part: unknown, whole: unknown, one: unknown, ...rest: unknown[]): string {
    const many = rest.length > 1 && !isOptions(rest[0]) ? String(rest[0]) : undefined;
    const n = countOf(part, 'share');
    return isFigure(countOf(whole, 'share')) ? `${n} of ${plural(whole as number, String(one), many)}` : plural(n, String(one), many);
  },
  ifFigures(this: unknown, ...args: unknown[]): string {
    const options = args.pop() as HelperOptions;
    // A field the context lacks is a mistake, as everywhere in a strict template; null is a figure not known.
    if (args.some((a) => a === undefined)) throw new Error(`{{#ifFigures}} was given a field the context lacks`);
    return args.length > 0 && args.every(isFigure) ? options.fn(this) : options.inverse(this);
  },
};

/** Helper names by kind, for the synth-time check of templates. */
export const INLINE_TEMPLATE_HELPERS = ['plural', 'share'] as const;
export const BLOCK_TEMPLATE_HELPERS = ['ifFigures'] as const;
