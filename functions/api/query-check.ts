import type * as z from '../core/zod.ts';
import { ValidationError } from '../core/errors.ts';
import type { RouteSpec } from './routes.ts';

/**
 * Query parameters Tend once used, or that a user of another tool would try, with what to send
 * instead: the 400 for one of them says where it went (docs/api.md "Names").
 */
export const RENAMED_QUERY_PARAMETERS: Record<string, string> = {
  tier: 'the plan (Starter, Pro, Enterprise) is `plan`, the health band (green, yellow, red) is `band`',
  health: 'the health band (green, yellow, red) is `band`',
};

type Def = { type: string; shape?: Record<string, unknown>; getter?: () => z.ZodMiniType; innerType?: z.ZodMiniType; in?: z.ZodMiniType };
const defOf = (schema: z.ZodMiniType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The parameter names a route's query schema declares: the keys of the object inside its lazy,
 * optional, default or pipe wrappers. A route without a query schema takes none. Anything else
 * (a query schema that is not an object) is a mistake in the route list, thrown at first use.
 */
export function queryParameterNames(schema: z.ZodMiniType | undefined): readonly string[] {
  if (!schema) return [];
  let def = defOf(schema);
  for (let depth = 0; depth < 10 && def.type !== 'object'; depth++) {
    const inner = def.getter?.() ?? def.innerType ?? def.in;
    if (!inner) break;
    def = defOf(inner);
  }
  if (def.type !== 'object' || !def.shape) throw new Error(`a query schema must be an object (found ${def.type})`);
  return Object.keys(def.shape);
}

const known = new WeakMap<RouteSpec, ReadonlySet<string>>();

/**
 * Every route's unknown query parameters are a 400 naming them, checked once for all routes
 * before any handler runs, from the route list's own schemas: a filter nobody reads (`?priority=`
 * on a route that has none) would otherwise answer as if it had been applied.
 */
export function assertKnownQuery(spec: RouteSpec, params: Record<string, string | undefined> | undefined | null): void {
  let names = known.get(spec);
  if (!names) known.set(spec, (names = new Set(queryParameterNames(spec.query))));
  const unknown = Object.keys(params ?? {}).filter((name) => !names.has(name));
  if (!unknown.length) return;
  const allowed = names.size ? `this route takes ${[...names].join(', ')}` : 'this route takes no query parameters';
  const details = unknown.map((field) => ({
    field,
    message: `unknown query parameter${Object.hasOwn(RENAMED_QUERY_PARAMETERS, field) ? `: ${RENAMED_QUERY_PARAMETERS[field]}` : ''}; ${allowed}`,
  }));
  throw new ValidationError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}
