import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteSpec } from '../../functions/api/routes.ts';
import { ROLES } from '../../functions/core/roles.ts';
import { bundleOf } from './bundle-files.ts';
import { isObject, loadTemplate, logicalIdOf, render, resourcesOfType, STACK, type CfnTemplate, type JsonObject } from './assembly.ts';

/** AWS's managed CloudFront policies (their ids are fixed). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('web app hosting and sign-in (lib/constructs/web-hosting.ts, lib/constructs/sign-in.ts)', () => {
  let raw: CfnTemplate;
  let one: (type: string) => [string, JsonObject];
  beforeAll(() => {
    raw = loadTemplate(STACK.app);
    one = (type) => {
      const found = resourcesOfType(raw, type);
      expect(found, type).toHaveLength(1);
      return found[0]!;
    };
  });
  const distributionConfig = () => one('AWS::CloudFront::Distribution')[1]['DistributionConfig'] as JsonObject;

  it('keeps the files in a private bucket: public access blocked, TLS only, no website hosting, readable by the distribution alone', () => {
    const [bucketId, bucket] = one('AWS::S3::Bucket');
    expect(bucket['PublicAccessBlockConfiguration']).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket['WebsiteConfiguration']).toBeUndefined();
    const [, policy] = one('AWS::S3::BucketPolicy');
    const statements = (policy['PolicyDocument'] as { Statement: JsonObject[] }).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s['Effect'] === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(render(allows[0]!['Condition'] as JsonObject)).toContain(':distribution/');
    // Origin access control (signed requests), not a legacy origin access identity.
    const [oacId, oac] = one('AWS::CloudFront::OriginAccessControl');
    expect(oac['OriginAccessControlConfig']).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const s3Origin = (distributionConfig()['Origins'] as JsonObject[]).find((o) => render(o['DomainName'] ?? null) === `<${bucketId}.RegionalDomainName>`);
    expect(s3Origin?.['OriginAccessControlId']).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
  });

  it('serves the app with index.html as root, page paths rewritten to it by a viewer-request function (not error pages), and security headers', () => {
    const config = distributionConfig();
    expect(config['DefaultRootObject']).toBe('index.html');
    // Distribution-wide error responses would turn the API's own 403s and 404s into index.html.
    expect(config['CustomErrorResponses']).toBeUndefined();
    const main = config['DefaultCacheBehavior'] as JsonObject;
    expect(main['ViewerProtocolPolicy']).toBe('redirect-to-https');
    const [fnId, fn] = one('AWS::CloudFront::Function');
    expect(main['FunctionAssociations']).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    // Run the function's code: a page path becomes /index.html, a file or an API path is left alone.
    const handler = new Function(`${String(fn['FunctionCode'])}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    expect(handler({ request: { uri: '/accounts/acme' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/auth/callback' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/assets/index-3f2a.js' } }).uri).toBe('/assets/index-3f2a.js');
    expect(handler({ request: { uri: '/app-config.json' } }).uri).toBe('/app-config.json');
    const [headersId, headers] = one('AWS::CloudFront::ResponseHeadersPolicy');
    expect(main['ResponseHeadersPolicyId']).toEqual({ Ref: headersId });
    const security = (headers['ResponseHeadersPolicyConfig'] as JsonObject)['SecurityHeadersConfig'] as JsonObject;
    expect(Object.keys(security).sort()).toEqual(['ContentSecurityPolicy', 'ContentTypeOptions', 'FrameOptions', 'ReferrerPolicy', 'StrictTransportSecurity']);
    expect(render((security['ContentSecurityPolicy'] as JsonObject)['ContentSecurityPolicy'] ?? null)).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
  });

  it('puts the API under the same origin at /v1/*: the HTTP API as origin, nothing cached, every viewer header but Host passed on', () => {
    const config = distributionConfig();
    const behaviors = config['CacheBehaviors'] as JsonObject[];
    expect(behaviors.map((b) => b['PathPattern'])).toEqual(['/v1/*']);
    const [api] = behaviors;
    expect(api).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER, ViewerProtocolPolicy: 'https-only' });
    expect(api!['AllowedMethods']).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
    const origin = (config['Origins'] as JsonObject[]).find((o) => o['Id'] === api!['TargetOriginId']);
    const httpApiId = one('AWS::ApiGatewayV2::Api')[0];
    expect(origin?.['DomainName']).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [httpApiId, 'ApiEndpoint'] }] }] });
    expect((origin?.['CustomOriginConfig'] as JsonObject)['OriginProtocolPolicy']).toBe('https-only');
  });

  it('has a user pool people are invited to, with email as the sign-in name, a strong password, optional MFA and managed login', () => {
    const [poolId, pool] = one('AWS::Cognito::UserPool');
    expect(pool['AdminCreateUserConfig']).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool['UsernameAttributes']).toEqual(['email']);
    expect(pool['MfaConfiguration']).toBe('OPTIONAL');
    const passwords = (pool['Policies'] as JsonObject)['PasswordPolicy'] as JsonObject;
    expect(passwords).toMatchObject({ RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(passwords['MinimumLength']).toBeGreaterThanOrEqual(12);
    const [, domain] = one('AWS::Cognito::UserPoolDomain');
    expect(domain).toMatchObject({ UserPoolId: { Ref: poolId }, ManagedLoginVersion: 2 });
    expect(one('AWS::Cognito::ManagedLoginBranding')[1]).toMatchObject({ UserPoolId: { Ref: poolId } });
    // The trigger that puts the email into access tokens (GET /v1/me, the CSM's own queue).
    expect((pool['LambdaConfig'] as JsonObject)['PreTokenGenerationConfig']).toEqual({
      LambdaArn: { 'Fn::GetAtt': [logicalIdOf(STACK.app, '/Tend/SignIn/TokenTrigger/Resource'), 'Arn'] },
      LambdaVersion: 'V2_0',
    });
  });

  it('has the groups viewer, csm and admin, the highest role first in precedence', () => {
    const groups = resourcesOfType(raw, 'AWS::Cognito::UserPoolGroup').map(([, g]) => [g['GroupName'], g['Precedence']]);
    expect(groups.map(([name]) => name).sort()).toEqual([...ROLES].sort());
    expect(Object.fromEntries(groups)).toEqual({ admin: 1, csm: 2, viewer: 3 });
  });

  it('has one public app client: code flow with PKCE (no secret), callback and sign-out on the distribution', () => {
    const [, client] = one('AWS::Cognito::UserPoolClient');
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
    });
    const distributionId = one('AWS::CloudFront::Distribution')[0];
    expect((client['CallbackURLs'] as JsonObject[]).map(render)).toEqual([`https://<${distributionId}.DomainName>/auth/callback`]);
    expect((client['LogoutURLs'] as JsonObject[]).map(render)).toEqual([`https://<${distributionId}.DomainName>/`]);
  });

  it("gives the API function the token check's issuer, key set and app client", () => {
    const [poolId] = one('AWS::Cognito::UserPool');
    const [clientId] = one('AWS::Cognito::UserPoolClient');
    const api = raw.Resources[logicalIdOf(STACK.app, '/Tend/Api/Handler/Resource')]!.Properties!;
    const env = ((api['Environment'] as JsonObject)['Variables'] ?? {}) as JsonObject;
    expect(render(env['TEND_OIDC_ISSUER'] ?? null)).toBe(`https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<${poolId}>`);
    expect(render(env['TEND_OIDC_JWKS_URL'] ?? null)).toBe(`https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<${poolId}>/.well-known/jwks.json`);
    expect(env['TEND_OIDC_CLIENT_ID']).toEqual({ Ref: clientId });
  });

  it('checks a token on every app route: each route of the list is public by the list, or served by the API function, whose every request passes apiAuth', () => {
    const apiFunction = logicalIdOf(STACK.app, '/Tend/Api/Handler/Resource');
    const routes = resourcesOfType(raw, 'AWS::ApiGatewayV2::Route');
    expect(routes.length).toBe(Object.keys(ROUTES).length);
    for (const [routeId, route] of routes) {
      const key = String(route['RouteKey']);
      const spec = (ROUTES as Record<string, RouteSpec>)[key];
      expect(spec, `${key} is in the route list`).toBeDefined();
      const integrationId = render(route['Target'] ?? null).match(/^integrations\/<(.+)>$/)?.[1];
      const target = integrationId ? raw.Resources[integrationId]?.Properties?.['IntegrationUri'] : undefined;
      if (spec!.auth === 'public') expect(spec!.serve, `${key}: only the unsubscribe links are public`).toBe('unsubscribe');
      // The API function's middleware chain runs apiAuth before any route (functions/api/handler.ts), with the token check's environment above.
      else expect(target, `${routeId} ${key}`).toEqual({ 'Fn::GetAtt': [apiFunction, 'Arn'] });
    }
    expect(
      Object.entries(ROUTES)
        .filter(([, s]) => s.auth === 'public')
        .map(([k]) => k)
        .sort(),
    ).toEqual(['GET /v1/unsubscribe', 'POST /v1/unsubscribe']);
  });

  it('loads jose (the token check) on the first access token only: API-key traffic does not pay for it at cold start', () => {
    const { loaded, lazy } = bundleOf('/Tend/Api/Handler/Resource');
    const jose = /ERR_JWT_EXPIRED/;
    expect([...loaded.values()].some((text) => jose.test(text))).toBe(false);
    expect([...lazy.values()].some((text) => jose.test(text))).toBe(true);
  });

  it('writes app-config.json at deploy with the pool as authority and the app client, sent no-cache', () => {
    const [poolId] = one('AWS::Cognito::UserPool');
    const [clientId] = one('AWS::Cognito::UserPoolClient');
    const [bucketId] = one('AWS::S3::Bucket');
    const deployments = resourcesOfType(raw, 'Custom::CDKBucketDeployment');
    const entry = deployments.find(([id]) => id.startsWith('WebEntryPoints'));
    expect(entry, 'the entry points deployment').toBeDefined();
    const props = entry![1];
    expect(props['DestinationBucketName']).toEqual({ Ref: bucketId });
    expect(props['SystemMetadata']).toEqual({ 'cache-control': 'no-cache' });
    // One marker set per source: with web/dist built, index.html comes first and app-config.json's markers second.
    const markers = (props['SourceMarkers'] as JsonObject[]).flatMap((m) => Object.values(m)).map((v) => (isObject(v) ? render(v) : v));
    expect(markers).toEqual(expect.arrayContaining([`<${poolId}>`, `<${clientId}>`, `<${one('AWS::Cognito::UserPoolDomain')[0]}>`]));
  });
});
