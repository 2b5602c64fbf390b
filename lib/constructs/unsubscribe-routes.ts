import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { routesServedBy } from '../../functions/api/routes.ts';
import type { AccountTable } from './account-table.ts';
import type { EmailSending } from './email-sending.ts';
import { TendFunction } from './tend-function.ts';

/**
 * `GET` and `POST /v1/unsubscribe` on the public API (their entries in functions/api/routes.ts),
 * served by their own small function. These routes take no API key: the signed token in the link
 * is the authorisation (RFC 8058 one-click requests come from mail providers, which have no key).
 */
export class UnsubscribeRoutes extends Construct {
  readonly handler: TendFunction;

  constructor(scope: Construct, id: string, props: { api: HttpApi; table: AccountTable; email: EmailSending }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/unsubscribe/handler.ts',
      description: 'Tend unsubscribe links: confirmation page and one-click unsubscribe',
      memorySize: 256,
    });
    props.table.bind(this.handler);
    props.email.bindKeyReader(this.handler);
    const integration = new HttpLambdaIntegration('Lambda', this.handler);
    // Explicitly public: an API-wide default authorizer added later must not cover these two.
    for (const route of routesServedBy('unsubscribe')) {
      if (route.spec.auth !== 'public') throw new Error(`${route.key}: the unsubscribe function serves only public routes`);
      props.api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration, authorizer: new HttpNoneAuthorizer() });
    }
  }
}
