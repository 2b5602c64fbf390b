import * as z from '../zod.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

export const CUTS = ['segment', 'plan', 'owner', 'cohort'] as const;
/** The figures whose accounts the drill-down lists, and the lists of `portfolio()` behind each. */
export const DRILL_FIGURES = [
  'starting',
  'expanded',
  'contracted',
  'churned',
  'new',
  'reactivated',
  'promoters',
  'detractors',
  'dissatisfied',
  'overdue',
  'slowest',
  'green',
  'yellow',
  'red',
  'unscored',
] as const;
export type DrillFigure = (typeof DRILL_FIGURES)[number];
const periodField = () =>
  z
    .string()
    .check(z.regex(/^(\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$/, 'use 2026-Q1, 2026-03, 2026 or 2026-01-01..2026-04-01'));
// Built on first use, like the request schemas of schemas.ts.
export const metricsQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** A month (`2026-03`), quarter (`2026-Q1`), year (`2026`) or span (`2026-01-01..2026-02-15`); default: the current quarter. */
    period: z.optional(periodField()),
    cut: z.optional(z.enum(CUTS)),
    /** `counts`: the period's figures alone, without health over time and outcomes (a chart of several periods needs no more). */
    figures: z.optional(z.enum(['counts'])),
  }),
);
export const metricAccountsQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    figure: z.enum(DRILL_FIGURES),
    period: z.optional(periodField()),
    cut: z.optional(z.enum(CUTS)),
    group: z.optional(z.string().check(z.maxLength(200))),
  }),
);
export type MetricsQuery = z.output<typeof metricsQuerySchema>;
export type MetricAccountsQuery = z.output<typeof metricAccountsQuerySchema>;
