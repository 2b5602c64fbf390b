import { DescribeExecutionCommand, ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { PlayRunner } from '../core/ports.ts';
import { correlationId } from '../shared/correlation.ts';
import { traced } from '../shared/tracer.ts';

/** An execution's ARN from its state machine's ARN and its name. */
export const executionArn = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Starts and stops play runs on their Standard state machines (one per play). A start whose
 * name exists means it was started; a stop of an execution that already ended is not an error.
 */
export function stepFunctionsRunner(machines: Record<string, string>): PlayRunner {
  // Made here, not at module scope, so a bundle that imports this module without calling it drops the client.
  const sfn = traced(new SFNClient({}));
  const arnOf = (play: string) => {
    const arn = machines[play];
    if (!arn) throw new Error(`no state machine for play "${play}"`);
    return arn;
  };
  return {
    async start(play, name, input) {
      try {
        // The run's input carries the correlation id of what started it: its steps log it and pass it on.
        const correlation = correlationId() ?? name;
        const withCorrelation = { ...(input as object), correlationId: correlation };
        await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf(play), name, input: JSON.stringify(withCorrelation) }));
      } catch (err) {
        if (err instanceof ExecutionAlreadyExists || (err as Error).name === 'ExecutionAlreadyExists') return;
        throw err;
      }
    },
    async stop(play, name, cause) {
      try {
        await sfn.send(new StopExecutionCommand({ executionArn: executionArn(arnOf(play), name), error: 'Tend.Stopped', cause }));
      } catch (err) {
        if ((err as Error).name === 'ExecutionDoesNotExist') return;
        throw err;
      }
    },
    async isRunning(play, name) {
      try {
        const out = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(arnOf(play), name) }));
        return out.status === 'RUNNING';
      } catch (err) {
        if ((err as Error).name === 'ExecutionDoesNotExist') return false;
        throw err;
      }
    },
  };
}
