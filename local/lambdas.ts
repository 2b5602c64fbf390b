import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostBundle } from './host-bundles.ts';
import { randomUUID } from 'node:crypto';
import type { CloudAssembly } from './assembly.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface LocalFunction {
  logicalId: string;
  stack: string;
  arn: string;
  name: string;
  bundle: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

let instance = 0;

/**
 * Runs the functions of the assembly in this process, from the very bundles `cdk synth` built
 * (the asset folders of cdk.out), with their template environment resolved to local values.
 */
export class LambdaHost {
  readonly functions = new Map<string, LocalFunction>();
  private readonly loaded = new Map<string, Promise<Handler>>();
  /**
   * Each host imports the bundles afresh, from a path of its own (local/host-bundles.ts), so two runtimes in one
   * process do not share SDK clients. By its plain URL: a bundle's lazy chunks import its entry (lib/bundling/merge-cold-chunks.ts).
   */
  private readonly host = ++instance;
  invocations = 0;
  inFlight = 0;
  /** Called whenever an invocation ends (the runtime's `idle()` looks again then). */
  onSettle: () => void = () => {};

  /**
   * `globals` are set on globalThis before each import, like the environment (e.g. the in-process
   * DynamoDB handler under Symbol.for('tend.local.dynamodb'), see functions/data/client.ts).
   */
  constructor(
    assembly: CloudAssembly,
    extraEnv: Record<string, string>,
    private readonly globals: Record<symbol, unknown> = {},
  ) {
    for (const { stack, logicalId, resource } of assembly.resources('AWS::Lambda::Function')) {
      const p = resource.Properties ?? {};
      // Tend's functions (TendFunction names its entry); CDK's deploy-time helpers (the web app's BucketDeployment,
      // the custom resource provider framework) never run here.
      if (typeof resource.Metadata?.['tend:entry'] !== 'string') continue;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') throw new Error(`${logicalId} has no bundled asset in ${assembly.dir}`);
      const [file, exportName] = String(p.Handler ?? 'index.handler').split('.');
      const env = (assembly.resolve(stack, (p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}) ?? {}) as Record<string, string>;
      const arn = assembly.arnOf(stack, logicalId);
      this.functions.set(arn, {
        logicalId,
        stack,
        arn,
        name: arn.split(':').pop()!,
        bundle: join(assembly.dir, assetPath, `${file}.mjs`),
        exportName: exportName ?? 'handler',
        environment: { ...env, ...extraEnv },
        timeoutSeconds: Number(p.Timeout ?? 3),
      });
    }
  }

  byLogicalId(prefix: string): LocalFunction {
    const fn = [...this.functions.values()].find((f) => f.logicalId.startsWith(prefix));
    if (!fn) throw new Error(`no function ${prefix}* in the assembly`);
    return fn;
  }

  get(arnOrName: string): LocalFunction {
    const fn = this.functions.get(arnOrName) ?? [...this.functions.values()].find((f) => f.name === arnOrName);
    if (!fn) throw new Error(`no local function ${arnOrName}`);
    return fn;
  }

  private load(fn: LocalFunction): Promise<Handler> {
    let p = this.loaded.get(fn.arn);
    if (!p) {
      // Handlers parse their environment at cold start; every function's variables are set
      // process-wide before the first import (they agree: same table, same services).
      for (const f of this.functions.values()) Object.assign(process.env, f.environment);
      for (const symbol of Object.getOwnPropertySymbols(this.globals)) (globalThis as Record<symbol, unknown>)[symbol] = this.globals[symbol];
      p = import(pathToFileURL(hostBundle(fn.bundle, this.host)).href).then((m: Record<string, unknown>) => {
        const h = m[fn.exportName];
        if (typeof h !== 'function') throw new Error(`${fn.bundle} exports no ${fn.exportName}`);
        return h as Handler;
      });
      this.loaded.set(fn.arn, p);
    }
    return p;
  }

  /** Imports every bundle now (cold starts), so the first requests do not pay for them. */
  async warm(): Promise<void> {
    await Promise.all([...this.functions.values()].map((f) => this.load(f)));
  }

  async invoke(arnOrName: string, event: unknown): Promise<unknown> {
    const fn = this.get(arnOrName);
    const handler = await this.load(fn);
    this.invocations++;
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context = {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    this.inFlight++;
    try {
      return await handler(structuredClone(event), context);
    } finally {
      this.inFlight--;
      this.onSettle();
    }
  }
}
