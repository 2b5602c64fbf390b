import type { TaskRepo } from './ports.ts';

/**
 * When an account changes hands, its open (and snoozed) tasks that sat with the previous owner
 * move to the new one, the way a CSM hand-over is expected to work: the work follows the account.
 * Tasks already reassigned to someone else by hand stay where they were put, and done tasks stay
 * with who did them. An account that had no owner hands over the team queue's tasks on it.
 * One Query of the account's tasks and one conditional update per task moved; a reassign that
 * finds its task done meanwhile changes nothing (TaskRepo.reassign).
 */
export async function handOverTasks(
  tasks: Pick<TaskRepo, 'forAccount' | 'reassign'>,
  accountId: string,
  from: string | undefined,
  to: string | undefined,
): Promise<string[]> {
  const moving = (await tasks.forAccount(accountId)).filter((t) => t.status !== 'done' && t.owner === from);
  const moved = await Promise.all(moving.map(async (t) => ((await tasks.reassign(accountId, t.id, to)) ? t.id : undefined)));
  return moved.filter((id): id is string => id !== undefined);
}
