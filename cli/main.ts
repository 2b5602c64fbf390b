import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../functions/core/config.ts';

const int = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/** A day (midnight UTC) or an ISO time with its offset. */
const clockTime = (name: string) => (value: string) => {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime()))
    throw new InvalidArgumentError(`${name} must be a day (2026-03-01) or an ISO time with its offset (2026-03-01T09:00:00Z)`);
  return at;
};

const program = new Command('tend')
  .description('Tend: customer-success automation you own. Health scores, playbooks and tech-touch email on AWS, or on this machine.')
  .showHelpAfterError();

program
  .command('dev')
  .description('run Tend locally: the HTTP API, schedules, state machines and an email outbox, with data under .tend/')
  .option('-p, --port <port>', 'port of the local API (0: any free port)', int('--port', 0, 65535), 4010)
  .option('--ses-port <port>', 'port of the email outbox viewer (0: any free port)', int('--ses-port', 0, 65535), 4011)
  .option('-s, --speed <factor>', 'virtual seconds per real second (86400: a day a second)', int('--speed', 1, 10_000_000), 1)
  .option('--from <time>', 'start the clock at this day (2026-03-01) or ISO time, instead of where the last session left it', clockTime('--from'))
  .option('--data <dir>', 'folder for local data', '.tend')
  .action(async (options) => (await import('./dev.ts')).dev(options));

// localdev: the local clock of a running tend dev (local/clock-control.ts).
const clock = program
  .command('clock')
  .description('the local clock of tend dev: show it, set it forward, pause, resume or step it (the schedules and waits due on the way run, in order)');
const clockCommand = (name: string, description: string, isDefault = false) =>
  clock
    .command(name, { isDefault })
    .description(description)
    .option('--data <dir>', 'folder of the running tend dev', '.tend')
    .option('--json', 'print the clock as JSON');
const runClock = async (request: Record<string, unknown> | undefined, options: { data: string; json?: boolean }) =>
  (await import('./clock.ts')).clockCommand(request, options);
clockCommand('show', 'the time, the speed and whether the clock is paused', true).action((options) => runClock(undefined, options));
clockCommand('set', 'move the clock forward to a day or ISO time (tend dev stopped: where its clock starts next)')
  .argument('<time>', '2026-03-01 or 2026-03-01T09:00:00Z')
  .action((time: string, options) => runClock({ set: time }, options));
clockCommand('pause', 'stop time: plays and schedules wait').action((options) => runClock({ pause: true }, options));
clockCommand('resume', 'let time run again at its speed').action((options) => runClock({ resume: true }, options));
clockCommand('step', 'move the clock forward by a duration now: every schedule and wait due meanwhile runs, in order')
  .argument('<duration>', 'a number and a unit, m h d or w: 90m, 6h, 1d, 2w')
  .action((by: string, options) => runClock({ step: by }, options));
clockCommand('speed', 'virtual seconds per real second from now on')
  .argument('<factor>', '1 (real time) to 10000000', int('<factor>', 1, 10_000_000))
  .action((speed: number, options) => runClock({ speed }, options));

program
  .command('demo')
  .description('a book of synthetic customers lives some weeks (every play, renewals, NPS) in about a minute; the data stays for tend dev')
  .option('-a, --accounts <n>', 'synthetic accounts (most of them existing customers, the rest new signups)', int('--accounts', 1, 100_000), 100)
  .option('-d, --days <n>', 'days to simulate', int('--days', 1, 3650), 35)
  .option('--seed <n>', 'random seed (same seed, same demo)', int('--seed', 0, 2 ** 31 - 1), 42)
  .option('-p, --port <port>', 'port of the local API afterwards', int('--port', 0, 65535), 4010)
  .option('--data <dir>', "folder for the demo's data (kept for tend dev)", '.tend')
  .option('--fresh', 'replace the data the folder already holds (else the demo refuses it)')
  .option('--exit', 'stop after the summary instead of serving the API')
  .option('--json', 'print the summary as one JSON object')
  .option('--callers', "count DynamoDB requests by the function and route that made them (the JSON summary's dynamodb.byCaller)")
  .action(async (options) => (await import('./demo/command.ts')).demo(options));

program
  .command('slack')
  .description("list the messages the running tend dev's Slack stand-in received, or make its next calls fail (docs/alerts.md)")
  .option('--data <dir>', 'folder of the running tend dev', '.tend')
  .option('--fail <kind>', 'the next calls fail: 500 or ratelimited (429 with Retry-After)')
  .option('--count <n>', 'how many calls fail', int('--count', 1, 100), 1)
  .option('--retry-after <s>', 'Retry-After of ratelimited, in seconds', int('--retry-after', 0, 60), 1)
  .option('--clear', 'forget the recorded messages')
  .option('--json', 'print the messages as one JSON object')
  .action(async (options) => (await import('./slack.ts')).slackCommand(options));

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

const keys = program
  .command('keys')
  .description('API keys: create, list and revoke the keys the HTTP API takes (local data, or a deployed table with --table)');
const tableOptions = (c: Command) =>
  c
    .option('--data <dir>', 'local data folder (tend dev; its running instance when there is one)', '.tend')
    .option('--table <name>', 'a deployed table instead (AWS credentials from the environment)')
    .option('--region <region>', 'AWS region of --table')
    .option('--json', 'print the result as JSON');
const collect = (value: string, previous: string[] = []) => [...previous, value];
tableOptions(
  keys
    .command('create')
    .description('create a key with scopes (ingest, read, work, admin); the key is printed once and stored hashed')
    .option('--scope <scope>', 'ingest, read, work (tasks, notes, plays) or admin; repeat or comma-separate for several', collect)
    .option('--name <name>', 'a label to recognise the key by')
    .option('--rate <n>', 'requests a minute for this key (default: api.rateLimitPerMinute of tend.config.ts)', int('--rate', 1, 1_000_000)),
).action(async (options) => (await import('./keys/command.ts')).createKeyCommand({ ...options, scope: options.scope ?? ['ingest'] }));
tableOptions(keys.command('list').description('list keys: id, scopes, created, revoked')).action(async (options) =>
  (await import('./keys/command.ts')).listKeysCommand(options),
);
tableOptions(keys.command('revoke').description('revoke a key by its id (the part after tend_)').argument('<id>', 'key id')).action(
  async (id: string, options) => (await import('./keys/command.ts')).revokeKeyCommand(id, options),
);
tableOptions(
  keys
    .command('segment-secret')
    .description("print (or create) the shared secret of a Segment webhook destination; Tend checks each delivery's X-Signature with it")
    .option('--rotate', 'replace it with a new one'),
).action(async (options) => (await import('./keys/command.ts')).segmentSecretCommand(options));

// Sign-in of tend dev (issue 16, docs/auth.md): the local issuer's people.
const users = program.command('users').description("the people who sign in to tend dev's web app (on AWS: the Cognito user pool, docs/auth.md)");
users
  .command('list')
  .description('list the local users: email, role, name')
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .option('--json', 'print them as JSON')
  .action(async (options) => (await import('./users.ts')).listUsersCommand(options));
users
  .command('add')
  .description('let someone sign in to tend dev; prints their password once (stored hashed)')
  .argument('<email>', 'their email, the sign-in name')
  .requiredOption('--role <role>', 'viewer, csm or admin')
  .option('--name <name>', 'their name')
  .option('--password <password>', 'their password (default: a new random one)')
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .action(async (email: string, options) => (await import('./users.ts')).addUserCommand(email, options));
users
  .command('set-password')
  .description("set (or generate) a local user's password and print it")
  .argument('<email>', 'the user')
  .option('--password <password>', 'the new password (default: a new random one)')
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .action(async (email: string, options) => (await import('./users.ts')).setPasswordCommand(email, options));

const email = program.command('email').description('tech-touch email: the sending reputation and its automatic pause (docs/email.md)');
tableOptions(email.command('status').description('bounce and complaint rates over the window, and whether sending is paused and why')).action(async (options) =>
  (await import('./email/command.ts')).statusCommand(options),
);
tableOptions(
  email
    .command('resume')
    .description('resume tech-touch sending that paused itself, for some hours, whatever the rates (recorded with who did it)')
    .option('--hours <n>', 'how long the resume holds', int('--hours', 1, 168), 24)
    .option('--by <name>', 'who resumes (default: the OS user)')
    .option('--cancel', 'end an earlier resume: the rates decide again'),
).action(async (options) => (await import('./email/command.ts')).resumeCommand(options));

const metrics = program
  .command('metrics')
  .description('portfolio metrics and reviews (docs/metrics.md): retention, sentiment, onboarding, cohorts, renewals due, what changed; rebuild');
const metricsOptions = (c: Command) =>
  c
    .option('--url <url>', 'the Tend API (default: TEND_URL, else the running tend dev)')
    .option('--key <key>', 'an API key with the read scope (default: TEND_API_KEY, else the key of tend dev)')
    .option('--data <dir>', 'local data folder (tend dev; read directly when it is not running)', '.tend')
    .option('--table <name>', 'read a deployed table directly instead (AWS credentials from the environment)')
    .option('--region <region>', 'AWS region of --table')
    .option('--at <time>', 'reading the table directly: the time to report as of (default: now)')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the rows as CSV');
metricsOptions(
  metrics
    .command('renewals')
    .description('renewals due in a window (default: the next 90 days), soonest first, with health, trend, flags and churn risk, and ARR by band')
    .option('--from <day>', 'first day of the window, yyyy-mm-dd (default: today)')
    .option('--to <day>', 'day after the window, yyyy-mm-dd (default: from + 90 days)')
    .option('--band <band>', 'only the renewals in this band: green, yellow, red or unscored'),
).action(async (options) => (await import('./metrics/command.ts')).renewalsCommand(options));
metricsOptions(
  metrics
    .command('changes')
    .description('the weekly at-risk review: turned red, tier drops, flags raised and cleared, top movers, renewals entering the 90-day window')
    .requiredOption('--since <time>', 'from when: an ISO date or time, at most 34 days back')
    .option('--top <n>', 'movers listed each way', int('--top', 1, 100), 10),
).action(async (options) => (await import('./metrics/command.ts')).changesCommand(options));

metricsOptions(
  metrics
    .command('outcomes')
    .description('play outcomes (runs, exit reasons, save rate, tasks on time), email outcomes per template and onboarding completion for a period')
    .requiredOption('--period <period>', 'whole months: 2026-Q1, 2026-03 or 2026-01-01..2026-07-01')
    .option('--cut <cut>', 'segment, plan or owner: also each group (by the groups a run had when it began, a send when it was claimed)')
    .option('--rebuild', 'first recompute the outcome counters from the run, send and task items (reads the table directly; a full scan)'),
).action(async (options) => (await import('./metrics/outcomes.ts')).outcomesCommand(options));
for (const [view, what] of [
  ['retention', 'NRR, GRR, logo and revenue churn, expansion, contraction, new and reactivation ARR, ARR at risk'],
  ['sentiment', 'NPS (one answer per person) and CSAT'],
  ['onboarding', 'time to first value: median, p90, within target, overdue and pending'],
  ['cohorts', 'the cohort retention table: logos and ARR still paying, month by month, by the month accounts first paid'],
  ['health', 'health over time: accounts and ARR by band, average score and user activation, day by day'],
] as const)
  metricsOptions(
    metrics
      .command(view)
      .description(`${what}, for a period, the whole book and each group of a cut (served from the aggregates)`)
      .option('--period <period>', 'a month 2026-03, a quarter 2026-Q1, a year 2026, or from..to days (default: the current quarter)')
      .option('--cut <cut>', 'segment, plan, owner or cohort'),
  ).action(async (options) => (await import('./metrics/command.ts')).metricsCommand(view, options));
metrics
  .command('rebuild')
  .description(
    "recompute every metric aggregate from the source items (accounts, revenue points, surveys, milestones, score bands) and write them, and the account list's sorted entries",
  )
  .option('--data <dir>', 'local data folder (tend dev)', '.tend')
  .option('--table <name>', 'a deployed table instead (AWS credentials from the environment)')
  .option('--region <region>', 'AWS region of --table')
  .option('--json', 'print the counts as JSON')
  .action(async (options) => (await import('./metrics/command.ts')).rebuildCommand(options));

program
  .command('import')
  .description('import accounts or contacts from a CSV file through the HTTP API (validated row by row first; re-running changes nothing)')
  .argument('<kind>', 'accounts or contacts', (v: string) => {
    if (v !== 'accounts' && v !== 'contacts') throw new InvalidArgumentError('must be accounts or contacts');
    return v;
  })
  .argument('<file>', 'CSV file with a header row')
  .option('--map <column=field>', 'map a CSV column to a field (repeatable), e.g. --map "Company ID=id"', collect, [])
  .option('--dry-run', 'validate every row and report, send nothing')
  .option('--url <url>', 'the Tend API (default: TEND_URL, else the running tend dev)')
  .option('--key <key>', 'an API key with the ingest scope (default: TEND_API_KEY, else the key of tend dev)')
  .option('--data <dir>', 'local data folder of tend dev', '.tend')
  .option('--concurrency <n>', 'requests in flight', int('--concurrency', 1, 64), 8)
  .option('--json', 'print the per-row report as JSON (no progress bar)')
  .action(async (kind: 'accounts' | 'contacts', file: string, options) => (await import('./import/command.ts')).importCommand(kind, file, options));

const plays = program.command('plays').description('playbooks: the configured plays, as a list or as diagrams');
plays
  .command('list')
  .description('each play with its trigger and its steps (day from the anchor)')
  .option('--json', 'print the resolved play definitions as JSON')
  .action(async (options) => (await import('./plays/diagram.ts')).listCommand(options));
plays
  .command('diagram')
  .description('a Mermaid flowchart of each play, drawn from its definition')
  .option('--play <id>', 'only this play')
  .option('--out <dir>', 'write <play>.mmd files into this folder')
  .option('--json', 'print { play: diagram } as JSON')
  .action(async (options) => (await import('./plays/diagram.ts')).diagramCommand(options));
// Holdouts and lift (issue 17, docs/holdouts.md).
plays
  .command('lift')
  .description("a play's lift: treated against held-out runs for each outcome, the difference with its 95% interval, and the runs still needed")
  .argument('<play>', 'the play id')
  .option('--url <url>', 'the Tend API (default: TEND_URL, else the running tend dev)')
  .option('--key <key>', 'an API key with the read scope (default: TEND_API_KEY, else the key of tend dev)')
  .option('--data <dir>', 'local data folder (tend dev; read directly when it is not running)', '.tend')
  .option('--table <name>', 'read a deployed table directly instead (AWS credentials from the environment)')
  .option('--region <region>', 'AWS region of --table')
  .option('--at <time>', 'reading the table directly: the time to report as of (default: now)')
  .option('--json', 'print the lift as JSON (the shape of GET /v1/plays/{play}/lift)')
  .action(async (play: string, options) => (await import('./plays/lift.ts')).liftCommand(play, options));

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

program
  .command('redrive')
  .description('dead letters of a deployed stage: list the queues with their depth; with --replay, replay their messages into the consumer each feeds')
  .argument('[consumer]', 'only this queue (e.g. plays-starter); default: every queue')
  .option('--stage <stage>', 'the stage deployed with cdk deploy -c stage=<stage>', 'dev')
  .option('--region <region>', 'AWS region (default: from the environment)')
  .option('--replay', 'replay the messages; each is deleted only after its replay succeeded')
  .option('--limit <n>', 'messages to replay at most, per queue', int('--limit', 1, 10_000), 10)
  .option('--dry-run', 'with --replay: show what would be replayed; replay and delete nothing')
  .option('--json', 'print the result as JSON')
  .action(async (consumer: string | undefined, options) => (await import('./redrive.ts')).redriveCommand(consumer, options));

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`tend: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
