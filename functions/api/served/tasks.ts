import { systemClock } from '../../core/clock.ts';
import { config } from '../../shared/config.ts';
import * as root from '../../shared/deps.ts';
import { taskRoutes } from '../task-routes.ts';
import type { RoutesServed } from './route-handler.ts';

/** Owners, the task queue and notes (issue 14). */
export const routes = taskRoutes({
  clock: systemClock,
  accounts: root.accounts(),
  tasks: root.tasks(),
  owners: root.owners(),
  notes: root.notes(),
  csms: config.csms,
  maxBodyBytes: config.api.maxBodyBytes,
}) satisfies RoutesServed;
