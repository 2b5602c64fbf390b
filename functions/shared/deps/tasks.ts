import { documentClient } from '../../data/client.ts';
import { taskRepo } from '../../data/tasks.ts';
import { lazy, table } from '../deps-base.ts';

export const tasks = /* @__PURE__ */ lazy(() => taskRepo(documentClient, table()));
