import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../functions/core/roles.ts';
import { TendFunction } from './tend-function.ts';

/** Where the web app is served; its sign-in callback and sign-out addresses derive from it. */
export interface SignInProps {
  /** The web app's origin, e.g. `https://d111111abcdef8.cloudfront.net` (a token at synth). */
  appOrigin: string;
}

export const REDIRECT_PATH = '/auth/callback';
export const POST_LOGOUT_PATH = '/';
export const WEB_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE];

/**
 * People sign in to the web app with a Cognito user pool (docs/auth.md): email as the sign-in
 * name, no self sign-up (an admin invites), a strong password, optional MFA, managed login on a
 * Cognito domain, and the groups viewer, csm and admin that give roles (functions/core/roles.ts).
 * The app client is public (a browser app: code flow with PKCE, no secret). A company identity
 * provider (SAML or OIDC) is added to the pool and to `supportedIdentityProviders` (docs/auth.md).
 */
export class SignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** The trigger that puts the email into access tokens (functions/auth/pre-token.ts). */
  readonly tokenTrigger: TendFunction;

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `${Stack.of(this).stackName}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Essentials: managed login and access-token customisation (the email claim). Threat protection needs Plus (docs/auth.md).
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES)
      new CfnUserPoolGroup(this, `Group${role[0]!.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: { viewer: 'reads everything', csm: 'reads, and works tasks, notes and plays', admin: 'everything' }[role],
        // The highest role wins when a person is in several (functions/core/roles.ts); precedence says the same to Cognito.
        precedence: ROLES.length - ROLES.indexOf(role),
      });

    this.tokenTrigger = new TendFunction(this, 'TokenTrigger', {
      entry: 'functions/auth/pre-token.ts',
      description: 'Tend sign-in: adds the email and name to access tokens',
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.tokenTrigger, LambdaVersion.V2_0);

    this.domain = this.userPool.addDomain('Domain', {
      // Unique per region: the stack's name and the account (Cognito refuses "aws" and "cognito" in a prefix).
      cognitoDomain: { domainPrefix: `${Stack.of(this).stackName.toLowerCase()}-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = this.userPool.addClient('WebApp', {
      userPoolClientName: 'tend-web',
      generateSecret: false,
      authFlows: { user: false, userPassword: false, userSrp: false, adminUserPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: WEB_SCOPES,
        callbackUrls: [`${props.appOrigin}${REDIRECT_PATH}`],
        logoutUrls: [`${props.appOrigin}${POST_LOGOUT_PATH}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      enableTokenRevocation: true,
    });
    // The newer managed login pages show only with a branding (here Cognito's own look).
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'add people: aws cognito-idp admin-create-user (docs/auth.md)' });
    new CfnOutput(this, 'SignInDomain', { value: this.domain.baseUrl() });
  }

  /** The OpenID Connect issuer of the pool's tokens: the authority the web app discovers. */
  get issuer(): string {
    // The pool's ProviderURL attribute lacks the scheme its tokens' `iss` carries.
    return `https://cognito-idp.${Stack.of(this).region}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
  }

  /** Managed login's sign-out, back to `logoutUri` (one of the app client's logout URLs). */
  signOutUrl(logoutUri: string): string {
    return `${this.domain.baseUrl()}/logout?client_id=${this.client.userPoolClientId}&logout_uri=${logoutUri}`;
  }

  /** What the API function needs to check the pool's access tokens (functions/api/auth.ts tokenIssuerFromEnv). */
  get tokenCheckEnv(): Record<string, string> {
    return { TEND_OIDC_ISSUER: this.issuer, TEND_OIDC_JWKS_URL: `${this.issuer}/.well-known/jwks.json`, TEND_OIDC_CLIENT_ID: this.client.userPoolClientId };
  }
}
