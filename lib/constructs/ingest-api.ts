import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { TendFunction } from './tend-function.ts';

/** The routes of the public API; the local runtime serves the same list, read back from the template. */
export const API_ROUTES = [
  { method: HttpMethod.POST, path: '/v1/accounts' },
  { method: HttpMethod.POST, path: '/v1/events' },
  { method: HttpMethod.POST, path: '/v1/contacts' },
  { method: HttpMethod.POST, path: '/v1/surveys' },
  { method: HttpMethod.POST, path: '/v1/tickets' },
  { method: HttpMethod.GET, path: '/v1/accounts/{id}' },
  { method: HttpMethod.POST, path: '/v1/accounts/{id}/milestones' },
  { method: HttpMethod.GET, path: '/v1/plays' },
  { method: HttpMethod.GET, path: '/v1/plays/{play}/runs' },
  { method: HttpMethod.POST, path: '/v1/accounts/{id}/plays/{play}/{action}' },
  { method: HttpMethod.POST, path: '/v1/segment' },
  { method: HttpMethod.GET, path: '/v1/accounts' },
  { method: HttpMethod.GET, path: '/v1/accounts/{id}/card' },
  { method: HttpMethod.GET, path: '/v1/openapi.json' },
] as const;

/** HTTP API (API Gateway v2) in front of the ingest/read function. */
export class IngestApi extends Construct {
  readonly api: HttpApi;
  readonly handler: TendFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', { entry: 'functions/api/handler.ts', description: 'Tend HTTP API: accounts, events, account view' });
    this.api = new HttpApi(this, 'HttpApi', { description: 'Tend ingest and read API', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      // A ceiling for the whole API, above the per-key limits the function enforces (tend.config.ts api.rateLimitPerMinute).
      throttle: { rateLimit: 100, burstLimit: 200 },
    });
    const integration = new HttpLambdaIntegration('Lambda', this.handler);
    for (const route of API_ROUTES) this.api.addRoutes({ path: route.path, methods: [route.method], integration });
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint });
  }
}
