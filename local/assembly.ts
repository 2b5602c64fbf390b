import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

interface Template {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

/** The local name of a resource: stable, readable, unique per stack. */
export function localName(stack: string, logicalId: string): string {
  return `${stack}-${logicalId}`;
}

/**
 * The synthesized cloud assembly (cdk.out), with CloudFormation's intrinsic functions resolved
 * to the plain names and ARNs the local stand-ins use. What runs locally is read from here, not
 * re-declared, so it cannot drift from what `cdk deploy` would create.
 */
export class CloudAssembly {
  readonly stacks = new Map<string, Template>();

  constructor(readonly dir: string) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
      this.stacks.set(file.replace(/\.template\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8')) as Template);
    }
    if (this.stacks.size === 0) throw new Error(`no templates in ${dir}; run the synth first`);
  }

  *resources(type: string): Generator<{ stack: string; logicalId: string; resource: CfnResource }> {
    for (const [stack, t] of this.stacks)
      for (const [logicalId, resource] of Object.entries(t.Resources)) if (resource.Type === type) yield { stack, logicalId, resource };
  }

  private find(stack: string, logicalId: string): CfnResource {
    const r = this.stacks.get(stack)?.Resources[logicalId];
    if (!r) throw new Error(`${stack} has no resource ${logicalId}`);
    return r;
  }

  arnOf(stack: string, logicalId: string): string {
    const r = this.find(stack, logicalId);
    const name = localName(stack, logicalId);
    const base = `${LOCAL_REGION}:${LOCAL_ACCOUNT}`;
    switch (r.Type) {
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${base}:function:${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${base}:stateMachine:${name}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${base}:table/${name}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;
      default:
        return `arn:aws:local:${base}:${r.Type.split('::')[1]?.toLowerCase()}/${name}`;
    }
  }

  refOf(stack: string, logicalId: string): string {
    const r = this.find(stack, logicalId);
    return r.Type === 'AWS::StepFunctions::StateMachine' ? this.arnOf(stack, logicalId) : localName(stack, logicalId);
  }

  private importValue(name: string): unknown {
    for (const [stack, t] of this.stacks) {
      for (const output of Object.values(t.Outputs ?? {})) if (output.Export?.Name === name) return this.resolve(stack, output.Value);
    }
    throw new Error(`no stack exports ${name}`);
  }

  /** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::ImportValue, Fn::Select and pseudo parameters. */
  resolve(stack: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      switch (fn) {
        case 'Ref':
          return this.pseudo(String(arg)) ?? this.refOf(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          if (attr === 'Arn') return this.arnOf(stack, String(id));
          return `${this.refOf(stack, String(id))}.${String(attr)}`;
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(index)];
        }
        case 'Fn::ImportValue':
          return this.importValue(String(this.resolve(stack, arg)));
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in vars) return String(this.resolve(stack, vars[name]));
            const [id, attr] = name.split('.');
            return String(attr ? this.resolve(stack, { 'Fn::GetAtt': [id, attr] }) : this.resolve(stack, { Ref: id }));
          });
        }
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stack, v)]));
  }

  private pseudo(name: string): string | undefined {
    return {
      'AWS::Partition': 'aws',
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'local',
    }[name];
  }
}
