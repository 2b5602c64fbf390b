import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { buildApp } from '../../lib/app.ts';
import { CloudAssembly } from '../../local/assembly.ts';
import { LambdaHost } from '../../local/lambdas.ts';
import userConfig from '../../tend.config.ts';
import { assemblyDir, loadTemplate, logicalIdOf, resourcesOfType, STACK, STACK_NAME, type CfnTemplate } from './assembly.ts';
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

  it('loads at cold start one file, or two: the entry with its static chunks, and what a lazy chunk awaited then needs (lib/bundling/merge-cold-chunks.ts)', () => {
    const files = Object.fromEntries(FUNCTIONS.map((path) => [path, [...bundleOf(path).loaded.keys()].sort()]));
    for (const path of FUNCTIONS)
      expect(
        files[path]!.filter((f) => f !== 'index.mjs' && f !== 'chunks/cold-shared.mjs'),
        path,
      ).toEqual([]);
    // The API's lazy route modules import its cold part from the entry: one module instance, not a copy.
    const accounts = [...bundleOf('/Tend/Api/Handler/Resource').lazy].find(([file]) => /^chunks\/accounts-/.test(file));
    expect(accounts?.[1]).toMatch(/from"\.\.\/index\.mjs"/);
  });

  it("imports every bundle in its function's environment, tracing on (as on Lambda) and off: no lazy chunk awaited at cold start waits on the entry", () => {
    const host = new LambdaHost(new CloudAssembly(assemblyDir()), {
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    for (const path of FUNCTIONS) {
      const fn = host.byLogicalId(logicalIdOf(STACK.app, path));
      const script = `const m = await import(${JSON.stringify(pathToFileURL(fn.bundle).href)}); process.stdout.write(typeof m.${fn.exportName});`;
      for (const tracing of [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true' }, { POWERTOOLS_TRACE_ENABLED: 'false' }]) {
        // Exit code 13 (a top-level await never settled) if a chunk awaited at cold start imported the entry.
        const loaded = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
          env: { PATH: process.env.PATH, ...fn.environment, ...tracing },
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect({ path, tracing, status: loaded.status, stdout: loaded.stdout, stderr: loaded.stderr.slice(0, 500) }).toEqual({
          path,
          tracing,
          status: 0,
          stdout: 'function',
          stderr: '',
        });
      }
    }
  }, 120_000);
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
