/**
 * Every kind of CloudWatch alarm Tend creates (lib/constructs/operations-alarms.ts), with when it
 * fires and what to do: docs/operations.md lists the same kinds (a test keeps the two together),
 * and each alarm's description carries its `action`, so the email says what to do.
 */
export const ALARM_KINDS = {
  'dead-letters': {
    fires: 'a dead-letter queue holds a message (more than 0, over 5 minutes)',
    action: 'Something was dropped after its retries. Read the messages (`tend redrive --stage <stage>`), fix the cause, then replay them.',
  },
  'executions-failed': {
    fires: 'a state machine execution failed (a scoring run or a play run)',
    action: 'Open the execution in the Step Functions console, fix the cause, then redrive it from the failed state (Step Functions "Redrive").',
  },
  'executions-timed-out': {
    fires: "a state machine execution ran past its timeout (scoring: 6 hours; a play: its last step's day plus a margin)",
    action:
      'For scoring: more accounts than the run handles in time; see docs/scoring.md. For a play: the run waited longer than its steps allow; check the run.',
  },
  'executions-aborted': {
    fires: 'the daily scoring run was stopped (play runs are not watched: Tend stops them itself when an account churns or a CSM cancels)',
    action: 'Nobody should stop the scoring run: check CloudTrail for the StopExecution call, then start a run by hand (docs/operations.md).',
  },
  'lambda-errors': {
    fires: 'a function returned an error (any, over 5 minutes)',
    action: "Read the function's log group (its name is in the alarm) for the error and the request id; asynchronous failures are also in its dead letters.",
  },
  'lambda-throttles': {
    fires: 'a function was throttled (account or reserved concurrency reached)',
    action: 'Ask AWS for a higher Lambda concurrency quota, or lower the ingest rate (api.rateLimitPerMinute in tend.config.ts).',
  },
  'api-5xx': {
    fires: 'the HTTP API answered 5xx (any, over 5 minutes)',
    action: "A 5xx is a Tend bug or an AWS outage, never a client's mistake: read the API function's log group and open an issue.",
  },
  'ses-bounce-rate': {
    fires: "the account's SES bounce rate reached 4% (SES reviews an account at 5%)",
    action: 'Stop the tech-touch plays that send the most, clean the contact lists (hard bounces are suppressed already), then resume.',
  },
  'ses-complaint-rate': {
    fires: "the account's SES complaint rate reached 0.08% (SES reviews an account at 0.1%)",
    action: 'Someone marked Tend email as spam: check which template and play, lower its frequency (email.frequencyCap), and check the unsubscribe links work.',
  },
  'email-sending-paused': {
    fires: "Tend paused tech-touch sending itself: its own 7-day bounce or complaint rate reached 80% of SES's review threshold",
    action:
      'Read the reason (`tend email status`), find the play and template behind the bounces or complaints, fix them, then `tend email resume` or wait for the rate to fall.',
  },
  'alerts-failed': {
    fires: "the notifier could not post a Slack alert or digest (or send an email digest) after the Slack SDK's retries (`Tend / AlertsFailed`)",
    action:
      "Read the notifier's log for Slack's error: invalid_auth (put the bot token in its secret), channel_not_found or not_in_channel (invite the bot, fix alerts.routes). Lambda retries the event twice, then it waits in the notifier's dead letters: `tend redrive` posts it once.",
  },
} as const;

export type AlarmKind = keyof typeof ALARM_KINDS;

/** SES's review thresholds and the rates Tend alarms at, a fifth below them. */
export const SES_REPUTATION_LIMITS = { bounceRate: { review: 0.05, alarm: 0.04 }, complaintRate: { review: 0.001, alarm: 0.0008 } } as const;
