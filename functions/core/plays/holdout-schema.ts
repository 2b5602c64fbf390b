import * as z from '../zod.ts';

/**
 * The configuration of holdouts and email variants (docs/holdouts.md), validated with the plays
 * (functions/core/plays/definition.ts). Apart from the assignment (holdout.ts), so a Lambda that
 * draws groups does not build these schemas at cold start.
 */

const segment = z.enum(['high-touch', 'medium-touch', 'tech-touch']);

/** Accounts never held out: one rule of the list matching is enough (they are treated, and left out of the lift). */
export const holdoutExclusionSchema = z.union([
  z.object({ segment: z.array(segment).check(z.minLength(1)) }),
  /** The renewal date is this many days away or fewer when the run starts. */
  z.object({ renewalWithinDays: z.int().check(z.gte(0), z.lte(365)) }),
  z.object({ arrAtLeast: z.number().check(z.gte(0)) }),
]);

export const holdoutSchema = z.object({
  /** Percent of runs held out (for example 10). */
  share: z.number().check(z.gt(0), z.lte(50)),
  /** Changing it draws new groups (a new experiment); runs already started keep theirs. */
  salt: z._default(z.string().check(z.maxLength(64)), ''),
  exclude: z._default(z.array(holdoutExclusionSchema), []),
  /** The N of "churn within N days", "health change after N days" and the NRR of the accounts over N days. */
  days: z._default(z.int().check(z.gte(7), z.lte(365)), 90),
  /** The smallest difference worth detecting, in percentage points (power 80%, alpha 5%): sets "accounts still needed". */
  minimumEffect: z._default(z.number().check(z.gt(0), z.lte(50)), 10),
});

/** An email step's variants: each a template with a share (relative weights). */
export const variantSchema = z.object({ template: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'a template id')), share: z.number().check(z.gt(0)) });

export type Holdout = z.output<typeof holdoutSchema>;
export type HoldoutExclusion = z.output<typeof holdoutExclusionSchema>;
export type Variant = z.output<typeof variantSchema>;
