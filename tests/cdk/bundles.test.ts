import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { buildApp } from '../../lib/app.ts';
import userConfig from '../../tend.config.ts';
import { loadTemplate, logicalIdOf, resourcesOfType, STACK, STACK_NAME, type CfnTemplate } from './assembly.ts';
import { bundleOf, loadedText } from './bundle-files.ts';

const FUNCTIONS = [
  '/Tend/Api/Handler/Resource',
  '/Tend/Scoring/Handler/Resource',
  '/Tend/Plays/Steps/Resource',
  '/Tend/Plays/Starter/Resource',
  '/Tend/Unsubscribe/Handler/Resource',
  '/Tend/EmailEvents/Handler/Resource',
  '/Tend/EmailSweep/Handler/Resource',
  '/Tend/Notifier/Handler/Resource',
  '/Tend/SignIn/TokenTrigger/Resource',
];
/** Tend's functions: all but CDK's deploy-time helper that uploads the web app (BucketDeployment, Python), which has no bundle of ours. */
const isTendFunction = ([id]: [string, unknown]) => !id.startsWith('CustomCDKBucketDeployment');
const ssmClient = /serviceTarget:"AmazonSSM"/;

describe('Lambda bundles (lib/bundling/options.ts)', () => {
  it('covers every function of the app', () => {
    const functions = resourcesOfType(loadTemplate(STACK.app), 'AWS::Lambda::Function')
      .filter(isTendFunction)
      .map(([id]) => id)
      .sort();
    expect(FUNCTIONS.map((p) => logicalIdOf(STACK.app, p)).sort()).toEqual(functions);
  });

  it('keeps the SSM client that reads the signing key out of the cold start: a chunk loaded on the first read', () => {
    for (const path of ['/Tend/Plays/Steps/Resource', '/Tend/Unsubscribe/Handler/Resource']) {
      const { loaded, lazy } = bundleOf(path);
      expect([...loaded.values()].some((text) => ssmClient.test(text))).toBe(false);
      expect([...lazy.values()].some((text) => ssmClient.test(text))).toBe(true);
    }
    // Functions that never read the key carry no SSM client at all.
    const api = bundleOf('/Tend/Api/Handler/Resource');
    expect([...api.loaded.values(), ...api.lazy.values()].some((text) => ssmClient.test(text))).toBe(false);
  });

  it('carries no credential provider but the environment one: no SSO, STS or ini-file code in any file', () => {
    for (const path of FUNCTIONS) {
      const { loaded, lazy } = bundleOf(path);
      for (const [file, text] of [...loaded, ...lazy]) {
        expect({ file, nested: /AssumeRoleWithWebIdentity|GetRoleCredentials|sso-oidc|\.aws\/credentials|credential_process/.test(text) }).toEqual({
          file,
          nested: false,
        });
      }
      // The sign-in token trigger carries no SDK at all (functions/auth/pre-token.ts).
      expect(
        [...loaded.values()].some((text) => text.includes('AWS_SECRET_ACCESS_KEY')),
        path,
      ).toBe(path !== '/Tend/SignIn/TokenTrigger/Resource');
    }
  });

  it('carries a zod schema only where a handler parses with it (schemas built on first use, dropped where unused)', () => {
    const scoreModel = 'one tier must start at 0 so every score has a tier';
    const requestIds = 'letters, digits and . _ : @ - only';
    const carries = Object.fromEntries(
      FUNCTIONS.map((path) => [
        path.split('/').slice(2, 4).join('/'),
        { scoreModel: loadedText(path).includes(scoreModel), requestIds: loadedText(path).includes(requestIds) },
      ]),
    );
    expect(carries).toEqual({
      // The score model's schema is in the chunks of the routes that read scores (functions/api/served), not in the cold start.
      'Api/Handler': { scoreModel: false, requestIds: true },
      'Scoring/Handler': { scoreModel: true, requestIds: false },
      'Plays/Steps': { scoreModel: true, requestIds: false },
      'Plays/Starter': { scoreModel: false, requestIds: false },
      'Unsubscribe/Handler': { scoreModel: false, requestIds: false },
      'EmailEvents/Handler': { scoreModel: false, requestIds: false },
      'EmailSweep/Handler': { scoreModel: false, requestIds: false },
      'Notifier/Handler': { scoreModel: false, requestIds: false },
      'SignIn/TokenTrigger': { scoreModel: false, requestIds: false },
    });
  });

  it('loads the email templates and the Handlebars runtime on the first email, not at cold start', () => {
    const { loaded, lazy } = bundleOf('/Tend/Plays/Steps/Resource');
    const specs = /"renewal-notice":\{subject:/;
    const runtime = /Template was precompiled with an? (older|newer) version of Handlebars/;
    for (const marker of [specs, runtime]) {
      expect(
        [...loaded.values()].some((text) => marker.test(text)),
        String(marker),
      ).toBe(false);
      expect(
        [...lazy.values()].some((text) => marker.test(text)),
        String(marker),
      ).toBe(true);
    }
  });

  it("serves the OpenAPI document synth generated, from a lazy chunk, without zod's JSON Schema generator", () => {
    const { loaded, lazy } = bundleOf('/Tend/Api/Handler/Resource');
    const generator = 'https://json-schema.org/draft/2020-12/schema';
    const document = '"openapi":"3.1.0"';
    expect([...loaded.values(), ...lazy.values()].some((text) => text.includes(generator))).toBe(false);
    expect([...loaded.values()].some((text) => text.includes(document))).toBe(false);
    expect([...lazy.values()].some((text) => text.includes(document))).toBe(true);
  });
});

describe('operations.tracing (tend.config.ts)', () => {
  const functionsOf = (tracing: boolean) => {
    const config = parseConfig({ ...userConfig, operations: { ...userConfig.operations, tracing } });
    const app = buildApp({ outdir: join(mkdtempSync(join(tmpdir(), 'tend-tracing-')), 'cdk.out'), config, bundling: false }).synth();
    const template = app.getStackByName(STACK_NAME.app).template as CfnTemplate;
    return resourcesOfType(template, 'AWS::Lambda::Function')
      .filter(isTendFunction)
      .map(([, props]) => props as Record<string, { Mode?: string; Variables?: Record<string, string> }>);
  };

  // The default (active tracing on every function) is asserted on the test assembly in stacks.test.ts.
  it('when false, traces no function and tells each not to load the Tracer', () => {
    const off = functionsOf(false);
    expect(off.length).toBe(FUNCTIONS.length);
    for (const props of off) {
      expect(props['TracingConfig']).toBeUndefined();
      expect(props['Environment']?.Variables?.['POWERTOOLS_TRACE_ENABLED']).toBe('false');
    }
  });
});
