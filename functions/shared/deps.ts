/*
 * The composition root: the one place the Lambdas' repositories and clients are built, one module
 * per area (deps-accounts, deps-scores, deps-metrics, deps-events, deps-plays, deps-email, and
 * deps-base for the table and the API's authentication), re-exported here. Each dependency is a
 * function that builds it on the first call and hands back the same one after, so two handlers'
 * pieces (a play step's email delivery and its scoring) share one repository.
 *
 * Why modules by area and plain functions: esbuild keeps in a bundle only the functions its handler
 * calls, and splits a bundle by file. A handler (or a lazily loaded part of one: an API route module,
 * a play step's email delivery) imports the areas it uses, so its cold start neither parses nor runs
 * the others' modules; `functions/package.json` declares the project's modules free of import side
 * effects, so a module none of whose exports is used is left out whole. Each reads the environment
 * variable it needs when first called, and a missing one fails naming it.
 */

export { apiKeys, envVar, lazy, rate, segmentSecrets, table } from './deps-base.ts';
export * from './deps-accounts.ts';
export * from './deps-email.ts';
export * from './deps-events.ts';
export * from './deps-metrics.ts';
export * from './deps-plays.ts';
export * from './deps-scores.ts';
