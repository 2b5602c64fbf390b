import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../bundling/options.ts';

/** The built web app (`npm run build:web` writes it); deployed when present at synth. */
export const WEB_DIST = join(projectRoot, 'web', 'dist');
/** The API's paths on the web app's own origin: no CORS. */
export const API_PATH_PATTERN = '/v1/*';

/**
 * Every path without a file extension is a page of the single-page app: index.html answers it.
 * A viewer-request function, not the distribution's error responses, so an API 403 or 404 under
 * /v1/* stays the API's answer.
 */
const SPA_ROUTING = `function handler(event) {
  var request = event.request;
  if (!/\\.[A-Za-z0-9]+$/.test(request.uri)) request.uri = '/index.html';
  return request;
}`;

/** The web app's runtime config (`/app-config.json`, as `tend dev` serves it: local/oidc-issuer.ts AppConfig). */
export interface WebAppConfig {
  apiBase: string;
  oidc: {
    authority: string;
    clientId: string;
    scope: string;
    redirectPath: string;
    postLogoutPath: string;
    /**
     * Cognito's discovery document names no end_session_endpoint: its managed login's /logout, for
     * the web app to seed oidc-client-ts with (`metadataSeed`). Absent locally (oidc-provider's discovery has one).
     */
    endSessionEndpoint?: string;
  };
}

/**
 * The web app on AWS (docs/auth.md): its files in a private bucket (public access blocked, TLS
 * only, no website hosting) that only CloudFront reads, through origin access control; the HTTP
 * API under the same origin at /v1/* (not cached, every viewer header but Host passed on); security
 * headers on the pages. `deploy` uploads web/dist and writes app-config.json.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: { api: HttpApi }) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Built files only: the next deploy writes them again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const region = Stack.of(this).region;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Tend web app: CSP, HSTS, no framing, no sniffing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          // The pages talk to this origin (the API), the user pool's issuer (discovery, keys) and its managed-login domain (tokens).
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            `connect-src 'self' https://cognito-idp.${region}.${Aws.URL_SUFFIX} https://*.auth.${region}.amazoncognito.com`,
            `form-action 'self' https://*.auth.${region}.amazoncognito.com`,
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
          ].join('; '),
        },
        strictTransportSecurity: { override: true, accessControlMaxAge: Duration.days(365), includeSubdomains: true },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: HeadersFrameOption.DENY },
        referrerPolicy: { override: true, referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN },
      },
    });
    // apiEndpoint is https://<id>.execute-api.<region>.amazonaws.com: its host is the third part.
    const apiHost = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${Stack.of(this).stackName} web app and API`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, 'SpaRouting', { code: FunctionCode.fromInline(SPA_ROUTING), runtime: FunctionRuntime.JS_2_0 }),
          },
        ],
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin: new HttpOrigin(apiHost, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    new CfnOutput(this, 'Url', { value: this.origin, description: 'the web app (and the API under /v1)' });
  }

  /** `https://<distribution domain>`: the web app's origin. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads the built web app (web/dist, when it has an index.html at synth; without one only the
   * config is written, and `npm run build:web` before `cdk deploy` puts the pages there) and writes
   * /app-config.json. The entry points (index.html, app-config.json) are sent `no-cache`, so
   * CloudFront asks S3 again within a second and no invalidation (and no cloudfront:* on every
   * distribution) is needed; the build's other files are named by their content and kept a year.
   * Nothing is pruned: a page open during a deploy still finds its older chunks.
   */
  deploy(config: WebAppConfig): void {
    const built = existsSync(join(WEB_DIST, 'index.html'));
    if (built)
      new BucketDeployment(this, 'Assets', {
        sources: [Source.asset(WEB_DIST, { exclude: ['index.html'] })],
        destinationBucket: this.bucket,
        cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
        memoryLimit: 512,
      });
    new BucketDeployment(this, 'EntryPoints', {
      sources: [...(built ? [Source.asset(WEB_DIST, { exclude: ['*', '!index.html'] })] : []), Source.jsonData('app-config.json', config)],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      memoryLimit: 512,
    });
  }
}
