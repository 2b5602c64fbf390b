import { systemClock } from '../../core/clock.ts';
import { config } from '../../shared/config.ts';
import { accounts } from '../../shared/deps/accounts.ts';
import { notes } from '../../shared/deps/notes.ts';
import { owners } from '../../shared/deps/owners.ts';
import { tasks } from '../../shared/deps/tasks.ts';
import { taskRoutes } from '../task-routes.ts';
import type { RoutesServed } from './route-handler.ts';

/** Owners, the task queue and notes (issue 14). */
export const routes = taskRoutes({
  clock: systemClock,
  accounts: accounts(),
  tasks: tasks(),
  owners: owners(),
  notes: notes(),
  csms: config.csms,
  maxBodyBytes: config.api.maxBodyBytes,
}) satisfies RoutesServed;
