import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JourneyStarter } from '../core/ports.ts';

const sfn = new SFNClient({});

/** Starts a Standard execution by name; an execution of that name already existing means it was started. */
export function stateMachineStarter(stateMachineArn: string): JourneyStarter {
  return {
    async start(name, input) {
      try {
        await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      } catch (err) {
        if (err instanceof ExecutionAlreadyExists || (err as Error).name === 'ExecutionAlreadyExists') return;
        throw err;
      }
    },
  };
}
