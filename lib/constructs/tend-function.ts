import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface TendFunctionProps {
  /** Path of the handler module from the project root, e.g. `functions/api/handler.ts`. */
  entry: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  /** A module of precompiled email templates (lib/templates-module.ts), for a function that sends email. */
  templates?: string;
}

/**
 * Every Tend Lambda: Node.js 22 on arm64, bundled locally by esbuild (no Docker) into one minified,
 * tree-shaken ESM file with the AWS SDK clients it uses, a log group with a retention, X-Ray tracing.
 */
export class TendFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TendFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    super(scope, id, {
      entry: `${root}${props.entry}`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        // Bundle the SDK clients too: the version we test is the version that runs, and tree shaking keeps init short.
        externalModules: [],
        // CommonJS dependencies (handlebars) call require(); give the ESM bundle one.
        banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
        forceDockerBundling: false,
        // Binds `__TEND_TEMPLATES__` in functions/core/templates/precompiled.ts to the synth's templates.
        inject: props.templates ? [props.templates] : undefined,
      },
    });
  }
}
