import * as z from '../zod.ts';

const score0to100 = () => z.number().check(z.gte(0), z.lte(100));

/**
 * How a raw signal value becomes 0..100. Every kind is clamped to 0..100.
 * - linear: `min` scores 0, `max` scores 100.
 * - inverse: `min` scores 100, `max` scores 0 (tickets, days since last use).
 * - target: value / target, capped at 1 (adoption against a 70% goal).
 * - points: the score of the highest step whose `atLeast` the value reaches.
 * - categorical: a score per named value (payment status).
 */
const normaliseSchema = () =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('linear'), min: z.number(), max: z.number() }),
    z.object({ kind: z.literal('inverse'), min: z.number(), max: z.number() }),
    z.object({ kind: z.literal('target'), target: z.number().check(z.positive()) }),
    z.object({
      kind: z.literal('points'),
      steps: z.array(z.object({ atLeast: z.number(), score: score0to100() })).check(z.minLength(1)),
    }),
    z.object({ kind: z.literal('categorical'), scores: z.record(z.string(), score0to100()) }),
  ]);
export type Normalise = z.infer<ReturnType<typeof normaliseSchema>>;

const signalSpecSchema = () =>
  z.object({
    signal: z.string().check(z.minLength(1)),
    /** Relative weight inside its component; signals of a component default to equal weight. */
    weight: z._default(z.number().check(z.positive()), 1),
    normalise: normaliseSchema(),
  });

const componentSchema = () =>
  z.object({
    id: z.string().check(z.minLength(1)),
    label: z.string().check(z.minLength(1)),
    weight: z.number().check(z.positive()),
    signals: z.array(signalSpecSchema()).check(z.minLength(1)),
  });

const tierSchema = () =>
  z.object({
    name: z.string().check(z.minLength(1)),
    /** Lowest score (inclusive) in this tier. Scores are whole numbers. */
    min: z.int().check(z.gte(0), z.lte(100)),
    color: z.string().check(z.regex(/^#[0-9a-f]{6}$/i)),
  });

/**
 * A score model. Built on its first use (zod's `z.lazy`): a handler parses its model when it first
 * scores or explains a score, and the bundles that never do (`@__PURE__`) carry no model schema.
 */
export const scoreModelSchema = /* @__PURE__ */ z.lazy(() =>
  z
    .object({
      id: z.string().check(z.minLength(1)),
      version: z.string().check(z.minLength(1)),
      components: z.array(componentSchema()).check(z.minLength(1)),
      tiers: z.array(tierSchema()).check(z.minLength(2), z.maxLength(4)),
    })
    .check(
      z.superRefine((model, ctx) => {
        if (!model.tiers.some((t) => t.min === 0)) {
          ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'one tier must start at 0 so every score has a tier', input: model.tiers });
        }
        const ids = new Set<string>();
        model.components.forEach((c, i) => {
          if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `duplicate component "${c.id}"`, input: c.id });
          ids.add(c.id);
        });
      }),
    ),
);

export type ScoreModel = z.output<typeof scoreModelSchema>;
export type ScoreModelInput = z.input<typeof scoreModelSchema>;
export type SignalValue = number | string;
export type SignalValues = Readonly<Record<string, SignalValue | undefined>>;
