import { App } from 'aws-cdk-lib';
import { parseConfig, type TendConfig } from '../functions/core/config.ts';
import { assertTemplates } from '../functions/core/templates/check.ts';
import userConfig from '../tend.config.ts';
import { AppStack } from './app-stack.ts';
import { DataStack } from './data-stack.ts';
import { applyNagChecks } from './nag.ts';
import { parseStage, stackNamesOf } from './stage.ts';

/** The construct ids of the two stacks, and so their template files; their CloudFormation names carry the stage (lib/stage.ts). */
export const STACK_IDS = { data: 'TendData', app: 'Tend' } as const;

/**
 * Builds the CDK app from a config (the user's tend.config.ts unless given): the one source of the infrastructure.
 * The stage comes from `options.stage`, else CDK context `stage` (`cdk deploy --all -c stage=prod`), else `dev`.
 * `validation: false` leaves out CDK's built-in CloudFormation validation (see local/synth.ts for who may).
 */
export function buildApp(options: { outdir?: string; config?: TendConfig; bundling?: boolean; stage?: string; validation?: boolean } = {}): App {
  const config = options.config ?? parseConfig(userConfig);
  // Every template field is checked here, at synth, not in a customer's inbox.
  assertTemplates(config);
  const app = new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: options.validation ?? true,
    context: {
      // What the CDK CLI sets; also set here so an in-process synth (the local runtime's) matches it.
      'aws:cdk:bundling-stacks': options.bundling === false ? [] : ['**'],
      'aws:cdk:enable-asset-metadata': true,
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
    },
  });
  const stage = parseStage(options.stage ?? app.node.tryGetContext('stage'));
  const stackNames = stackNamesOf(stage);
  const env = config.aws.region || config.aws.account ? { region: config.aws.region, account: config.aws.account } : undefined;
  const data = new DataStack(app, STACK_IDS.data, {
    env,
    stackName: stackNames.data,
    fromAddress: config.sender.from,
    description: `Tend (${stage}): account table and SES configuration set`,
  });
  const stack = new AppStack(app, STACK_IDS.app, {
    env,
    stackName: stackNames.app,
    config,
    data,
    description: `Tend (${stage}): API, scoring, plays, email and alarms`,
  });
  applyNagChecks(app, { app: stack, data });
  return app;
}
