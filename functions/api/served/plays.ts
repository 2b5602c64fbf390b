import { systemClock } from '../../core/clock.ts';
import { config } from '../../shared/config.ts';
import * as root from '../../shared/deps.ts';
import { counters } from '../api-observability.ts';
import { holdoutRoutes } from '../holdout-routes.ts';
import { playRoutes } from '../play-routes.ts';
import type { RoutesServed } from './route-handler.ts';

const deps = {
  clock: systemClock,
  counters,
  plays: config.plays,
  accounts: root.accounts(),
  revenue: root.revenue(),
  scores: root.scores(),
  runs: root.runs(),
  runner: root.runner(),
};

/** Plays (list, runs, steps, a CSM's start and controls), their lift and holdouts (issue 17). */
export const routes = {
  ...playRoutes(deps),
  ...holdoutRoutes({ ...deps, holdouts: root.holdouts(), variantEmail: root.variantEmailCounts(), maxBodyBytes: config.api.maxBodyBytes }),
} satisfies RoutesServed;
