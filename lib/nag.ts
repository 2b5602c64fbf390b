import { Aspects, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';

/** Suppressions every Lambda of Tend's needs, wherever it sits. */
const RUNTIME_PINNED = {
  id: 'AwsSolutions-L1',
  reason: 'Tend pins Lambda to nodejs22.x, the runtime it is tested on; moving to a newer runtime is a deliberate upgrade.',
};
const BASIC_EXECUTION_ROLE = {
  id: 'AwsSolutions-IAM4',
  reason: 'AWSLambdaBasicExecutionRole is the CDK default for writing the function logs; each function logs to its own retained group.',
  appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
};

/**
 * cdk-nag's AWS Solutions rules on every stack. Each suppression below is a decision, with its
 * reason; anything new the rules find is an error annotation (and a failing test).
 */
export function applyNagChecks(app: App, stacks: { app: Stack; data: Stack }): void {
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  NagSuppressions.addStackSuppressions(stacks.app, [
    RUNTIME_PINNED,
    BASIC_EXECUTION_ROLE,
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'X-Ray trace segments and CloudWatch log delivery only accept Resource "*"; index/* is the table\'s own GSIs; <fn>:* lets the schedule and the state machine invoke versions of their one function.',
      appliesTo: ['Resource::*', 'Resource::<AccountsTableF2DFB3F6.Arn>/index/*', { regex: '/^Resource::<.*(Handler|PlaysSteps|PlaysStarter).*\\.Arn>:\\*$/' }],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "The Distributed Map must describe, stop and redrive its own child executions, whose names it creates at run time: CDK scopes these to the daily run's executions.",
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*ScoringDailyRun.*$/' }],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Play runs are named per account and cycle at run time; stopping one (churn, a CSM cancelling) needs its execution ARN under its own play machine, which CDK scopes to that machine.',
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*Play.*StateMachine.*$/' }],
    },
    {
      id: 'AwsSolutions-SF1',
      reason: 'Standard workflows keep their full execution history for 90 days; CloudWatch gets errors only, which keeps log cost flat as accounts grow.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Every API route but the unsubscribe links checks a hashed, scoped API key inside the function (functions/api/auth.ts), so local and AWS behave the same; an API Gateway authorizer would duplicate it.',
    },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(
    stacks.app,
    `/${stacks.app.node.id}/DeadLetters`,
    [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'These queues are the dead-letter queues of EventBridge targets, schedules and asynchronous Lambda invocations (lib/constructs/dead-letters.ts); SQS only sees a queue as a DLQ when another queue names it.',
      },
    ],
    true,
  );
  // The web app and sign-in (lib/constructs/web-hosting.ts, lib/constructs/sign-in.ts; docs/auth.md).
  NagSuppressions.addResourceSuppressionsByPath(stacks.app, `/${stacks.app.node.id}/Web/Files/Resource`, [
    {
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the built web app, written by the deployment; CloudFront is its one reader, so S3 access logs would record nothing but CloudFront.',
    },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(stacks.app, `/${stacks.app.node.id}/Web/Distribution/Resource`, [
    {
      id: 'AwsSolutions-CFR1',
      reason: "Tend's users are the company's own staff, wherever they travel: no country is refused (add geoRestriction if policy asks).",
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'Every API request is authenticated (an API key or a Cognito access token) and rate-limited per caller in the function, and API Gateway throttles the whole API; a WAF web ACL (~$5/month plus per request) is an option (docs/auth.md).',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'The API behind /v1/* keeps its own access log (the HTTP API stage) and the function logs each request; the static files carry no data. CloudFront standard logs need an ACL-enabled bucket, which S3 now discourages.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        "The distribution uses CloudFront's default *.cloudfront.net certificate, which cannot set a minimum TLS version; with a custom domain and an ACM certificate, set minimumProtocolVersion TLSv1.2_2021 (docs/auth.md).",
    },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(stacks.app, `/${stacks.app.node.id}/SignIn/Users/Resource`, [
    {
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP), not required: people who sign in through the company identity provider get MFA there, and an admin can require it for the pool (docs/auth.md).',
    },
    {
      id: 'AwsSolutions-COG8',
      reason:
        "The Essentials plan gives managed login and the access-token email claim; the Plus plan's threat protection costs per monthly active user and is one setting away (featurePlan PLUS, docs/auth.md).",
    },
  ]);
  // CDK's BucketDeployment helper (one singleton function for the stack) copies the built files from the CDK assets bucket.
  for (const child of stacks.app.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment')))
    NagSuppressions.addResourceSuppressions(
      child,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "CDK's BucketDeployment reads the deployment's zip from the CDK assets bucket and writes the web app's bucket: CDK grants s3:GetObject*/List*/DeleteObject*/Abort* on those two buckets' objects only.",
          appliesTo: [
            'Action::s3:GetObject*',
            'Action::s3:GetBucket*',
            'Action::s3:List*',
            'Action::s3:DeleteObject*',
            'Action::s3:Abort*',
            'Resource::<WebFiles2DFCF39E.Arn>/*',
            { regex: '/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\\/\\*$/' },
          ],
        },
      ],
      true,
    );
  NagSuppressions.addStackSuppressions(stacks.data, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The unsubscribe-link signing key is not rotated automatically: rotating it would break the unsubscribe links in every email already sent (RFC 8058 requires them to keep working).',
    },
  ]);
  // The deploy-time layout marks (lib/constructs/layout-marks.ts): Tend's function and CDK's custom resource provider framework.
  NagSuppressions.addResourceSuppressionsByPath(
    stacks.data,
    `/${stacks.data.node.id}/LayoutMarks`,
    [
      RUNTIME_PINNED,
      BASIC_EXECUTION_ROLE,
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "X-Ray trace segments only accept Resource \"*\"; <fn>:* is CDK's provider framework invoking versions of the one marking function. The table's rights are Query on gsi1 and PutItem of the marks' partitions only.",
        appliesTo: ['Resource::*', { regex: '/^Resource::<LayoutMarksHandler.*\\.Arn>:\\*$/' }],
      },
    ],
    true,
  );
}
