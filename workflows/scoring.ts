import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** Shards per child execution: a child scores every account of its shards with batched reads and writes. */
export const SHARDS_PER_BATCH = 2;

/**
 * The daily scoring run: a Distributed Map over the account shards, batched so each child is
 * one Lambda invocation scoring a few shards. No per-account workflow, so a million accounts
 * cost a handful of state transitions, not millions. JSONPath only, like every Tend machine.
 */
export function scoringDefinition(scope: Construct, scorer: IFunction): sfn.IChainable {
  const scoreBatch = new LambdaInvoke(scope, 'Score a batch of shards', {
    lambdaFunction: scorer,
    payloadResponseOnly: false,
    resultSelector: { 'tiers.$': '$.Payload.tiers', 'scored.$': '$.Payload.scored' },
    taskTimeout: sfn.Timeout.duration(Duration.minutes(15)),
  });
  scoreBatch.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(20), backoffRate: 2, maxAttempts: 3 });

  const map = new sfn.DistributedMap(scope, 'Score every shard', {
    itemsPath: '$.shards',
    itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: SHARDS_PER_BATCH }),
    maxConcurrency: 8,
    // Standard children: a batch may score for up to 15 minutes; Express children stop at 5.
    mapExecutionType: sfn.StateMachineType.STANDARD,
    resultPath: '$.batches',
  });
  map.itemProcessor(scoreBatch);
  return map.next(new sfn.Succeed(scope, 'Every account scored'));
}
