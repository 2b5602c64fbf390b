import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { routesServedBy } from '../../functions/api/routes.ts';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { TendFunction } from './tend-function.ts';

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
    // The API function's routes, from the one route list (functions/api/routes.ts); the function
    // checks each one's key and scope, and the local runtime reads them back from the template.
    for (const route of routesServedBy('api')) this.api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration });
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint });
  }
}
