import { AssetHashType, DockerImage, Duration, RemovalPolicy, type BundlingOptions, type ILocalBundling } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import type { TendConfig } from '../../functions/core/config.ts';
import { BUNDLED_CONFIG_CONTEXT } from '../bundled-config.ts';
import { buildBundle } from '../bundling/bundle.ts';
import { projectRoot } from '../bundling/options.ts';

export interface TendFunctionProps {
  /** Path of the handler module from the project root, e.g. `functions/api/handler.ts`. */
  entry: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  /** A module of precompiled email templates (lib/templates-module.ts), for a function that sends email. */
  templates?: string;
  /**
   * The validated config's JSON file (lib/bundled-config.ts) to bundle; by default the one AppStack
   * sets in the construct context. Without one, the function parses tend.config.ts at cold start.
   */
  config?: string;
}

/** Bundles in this process. Its fields name the bundle: CDK caches bundling by these options' JSON. */
class LocalEsbuild implements BundlingOptions {
  // Never pulled: local bundling always succeeds (CDK requires an image to fall back on).
  readonly image = DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x');
  readonly local: ILocalBundling;

  constructor(
    readonly entry: string,
    readonly templates?: string,
    readonly config?: string,
  ) {
    this.local = {
      tryBundle: (outdir: string) => {
        buildBundle({ entry: `${projectRoot}${entry}`, outdir, templates, config });
        return true;
      },
    };
  }
}

/**
 * Every Tend Lambda: Node.js 22 on arm64, bundled locally by esbuild (no Docker) with
 * lib/bundling/options.ts, a log group with a retention, X-Ray tracing (unless `operations.tracing` is false).
 *
 * esbuild is run here rather than through NodejsFunction, which writes one file (`--outfile`) and
 * so cannot split a lazily imported client into its own chunk.
 */
export class TendFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: TendFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const config = props.config ?? (scope.node.tryGetContext(BUNDLED_CONFIG_CONTEXT) as string | undefined);
    // `operations.tracing` (default true): off, the function neither traces nor loads the Tracer (functions/shared/tracer.ts).
    const tracing = !config || (JSON.parse(readFileSync(config, 'utf8')) as TendConfig).operations.tracing !== false;
    super(scope, id, {
      code: Code.fromAsset(projectRoot, {
        // The asset is identified by the bundle, not by the project's files.
        assetHashType: AssetHashType.OUTPUT,
        bundling: new LocalEsbuild(props.entry, props.templates, config),
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: tracing ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' },
      logGroup,
    });
    // Which module the bundle was built from (the bench rebuilds it to see what it contains).
    (this.node.defaultChild as CfnFunction).addMetadata('tend:entry', props.entry);
  }
}
