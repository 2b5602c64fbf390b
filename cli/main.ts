import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../functions/core/config.ts';

const int = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

const program = new Command('tend')
  .description('Tend: customer-success automation you own. Health scores, playbooks and tech-touch email on AWS, or on this machine.')
  .showHelpAfterError();

program
  .command('dev')
  .description('run Tend locally: the HTTP API, schedules, state machines and an email outbox, with data under .tend/')
  .option('-p, --port <port>', 'port of the local API', int('--port', 0, 65535), 4010)
  .option('-s, --speed <factor>', 'virtual seconds per real second (86400: a day a second)', int('--speed', 1, 10_000_000), 1)
  .option('--data <dir>', 'folder for local data', '.tend')
  .action(async (options) => (await import('./dev.ts')).dev(options));

program
  .command('demo')
  .description('seed synthetic accounts, run days of usage, scoring and onboarding in seconds, and print a summary')
  .option('-a, --accounts <n>', 'synthetic accounts', int('--accounts', 1, 100_000), 200)
  .option('-d, --days <n>', 'days to simulate', int('--days', 1, 3650), 35)
  .option('--seed <n>', 'random seed (same seed, same demo)', int('--seed', 0, 2 ** 31 - 1), 42)
  .option('-p, --port <port>', 'port of the local API afterwards', int('--port', 0, 65535), 4010)
  .option('--exit', 'stop after the summary instead of serving the API')
  .option('--json', 'print the summary as one JSON object')
  .action(async (options) => (await import('./demo/command.ts')).demo(options));

const score = program.command('score').description('health scores: backtest a model change against stored history');
score
  .command('backtest')
  .description('re-score the stored daily scores under a candidate model and show which accounts would change tier, and from when')
  .option('-m, --model <preset>', 'candidate preset (default: the scoreModel of tend.config.ts)')
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .option('--table <name>', 'read a deployed table instead (AWS credentials from the environment)')
  .option('--region <region>', 'AWS region of --table')
  .option('--limit <n>', 'accounts to list', int('--limit', 1, 1_000_000), 20)
  .option('--json', 'print the report as one JSON object')
  .action(async (options) => (await import('./score/backtest.ts')).backtestCommand(options));

const model = program.command('model').description('churn risk: fit a probability model on accounts with a known outcome');
model
  .command('fit')
  .description('fit a logistic churn model on churned and renewed accounts, report AUC and calibration on held-out accounts, and store it')
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .option('--table <name>', 'use a deployed table instead (AWS credentials from the environment)')
  .option('--region <region>', 'AWS region of --table')
  .option('--dry-run', 'report without storing the model')
  .option('--json', 'print the result as one JSON object')
  .action(async (options) => (await import('./model/fit.ts')).fitCommand(options));

program
  .command('preview')
  .description('render an email template for an account from the stored data: the HTML to a file, the text to stdout')
  .argument('<template>', 'template id, e.g. welcome, renewal-notice')
  .requiredOption('-a, --account <id>', 'account id')
  .option('--role <role>', 'the contact role the step writes to (champion, executive-sponsor, admin)')
  .option('-o, --out <file>', 'where to write the HTML (default .tend/preview/<template>-<account>.html)')
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .option('--table <name>', 'read a deployed table instead (AWS credentials from the environment)')
  .option('--region <region>', 'AWS region of --table')
  .option('--json', 'print subject, text, html, from and to as one JSON object')
  .action(async (template: string, options) => (await import('./preview.ts')).previewCommand(template, options));

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`tend: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
