import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExecutionAlreadyExists, StateMachineDoesNotExist, type LocalExecution, type LocalStepFunctions } from './runner.ts';

const seconds = (d?: Date) => (d ? d.getTime() / 1000 : undefined);

function describe(e: LocalExecution) {
  return {
    executionArn: e.arn,
    stateMachineArn: e.machineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    stopDate: seconds(e.stopDate),
    input: e.input,
    output: e.output,
    error: e.error,
    cause: e.cause,
  };
}

/**
 * The Step Functions API (JSON 1.0 protocol) over the local runner, for the handlers' SDK calls:
 * StartExecution, DescribeExecution, StopExecution, ListExecutions.
 */
export function stepFunctionsApi(sfn: LocalStepFunctions) {
  const operations: Record<string, (body: Record<string, string>) => unknown> = {
    StartExecution: (b) => {
      const e = sfn.start(b.stateMachineArn!, b.name ?? crypto.randomUUID(), b.input ?? '{}');
      return { executionArn: e.arn, startDate: seconds(e.startDate) };
    },
    DescribeExecution: (b) => {
      const e = sfn.executions.get(b.executionArn!);
      if (!e) throw Object.assign(new Error(`Execution Does Not Exist: '${b.executionArn}'`), { name: 'ExecutionDoesNotExist' });
      return describe(e);
    },
    StopExecution: (b) => {
      sfn.stopExecution(b.executionArn!, b.error, b.cause);
      return { stopDate: Date.now() / 1000 };
    },
    ListExecutions: (b) => ({
      executions: [...sfn.executions.values()]
        .filter((e) => e.machineArn === sfn.machine(b.stateMachineArn!).arn && (!b.statusFilter || e.status === b.statusFilter))
        .map(describe),
    }),
  };

  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    };
    const handler = operations[op];
    if (!handler) return send(400, { __type: 'UnknownOperationException', message: `${op} is not supported locally` });
    try {
      send(200, handler(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>));
    } catch (err) {
      const e = err as Error;
      const known = e instanceof ExecutionAlreadyExists || e instanceof StateMachineDoesNotExist || e.name === 'ExecutionDoesNotExist';
      send(known ? 400 : 500, { __type: known ? e.name : 'InternalFailure', message: e.message });
    }
  };
}
