import { systemClock } from '../../core/clock.ts';
import { config } from '../../shared/config.ts';
import { accounts, revenue } from '../../shared/deps-accounts.ts';
import { holdouts, runner, runs, variantEmailCounts } from '../../shared/deps-plays.ts';
import { scores } from '../../shared/deps-scores.ts';
import { counters } from '../api-observability.ts';
import { holdoutRoutes } from '../holdout-routes.ts';
import { playRoutes } from '../play-routes.ts';
import type { RoutesServed } from './route-handler.ts';

const deps = {
  clock: systemClock,
  counters,
  plays: config.plays,
  accounts: accounts(),
  revenue: revenue(),
  scores: scores(),
  runs: runs(),
  runner: runner(),
};

/** Plays (list, runs, steps, a CSM's start and controls), their lift and holdouts (issue 17). */
export const routes = {
  ...playRoutes(deps),
  ...holdoutRoutes({ ...deps, holdouts: holdouts(), variantEmail: variantEmailCounts(), maxBodyBytes: config.api.maxBodyBytes }),
} satisfies RoutesServed;
