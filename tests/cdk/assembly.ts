import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** Helpers over the assembly tests/global-setup.ts synthesized once for the whole run (never synthesize again here). */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: JsonObject; DependsOn?: string[] }>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
}

/** The stacks' construct ids, which name the template files and construct paths (`/Tend/...`). */
export const STACK = { data: 'TendData', app: 'Tend' } as const;
/** Their CloudFormation names in the default stage (lib/stage.ts), which every physical name starts with. */
export const STACK_NAME = { data: 'TendData-dev', app: 'Tend-dev' } as const;
export type StackName = (typeof STACK)[keyof typeof STACK];

export const assemblyDir = (): string => inject('assemblyDir');
export const templatePath = (stack: StackName): string => join(assemblyDir(), `${stack}.template.json`);

const cache = new Map<StackName, CfnTemplate>();
export function loadTemplate(stack: StackName): CfnTemplate {
  let t = cache.get(stack);
  if (!t) {
    t = JSON.parse(readFileSync(templatePath(stack), 'utf8')) as CfnTemplate;
    cache.set(stack, t);
  }
  return t;
}

/** The logical id CDK gave the construct at `path` (e.g. `/Tend/Scoring/Handler/Resource`), from the stack's metadata file. */
export function logicalIdOf(stack: StackName, path: string): string {
  const metadata = JSON.parse(readFileSync(join(assemblyDir(), `${stack}.metadata.json`), 'utf8')) as Record<string, { type: string; data: unknown }[]>;
  const entry = metadata[path]?.find((m) => m.type === 'aws:cdk:logicalId');
  if (!entry || typeof entry.data !== 'string') throw new Error(`${stack} has no logical id for ${path}; known: ${Object.keys(metadata).join(', ')}`);
  return entry.data;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, JsonObject][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Renders a CloudFormation value as one readable string, keeping intrinsics visible:
 * `{Ref: X}` -> `<X>`, `{Fn::GetAtt: [X, A]}` -> `<X.A>`, `{Fn::ImportValue: N}` -> `<import:N>`, `Fn::Join` joined.
 */
export function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(render).join(',')}]`;
  if (isObject(value)) {
    const ref = value['Ref'];
    if (typeof ref === 'string') return `<${ref}>`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(render).join('.')}>`;
    const imported = value['Fn::ImportValue'];
    if (imported !== undefined) return `<import:${render(imported)}>`;
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return join[1].map(render).join(join[0]);
  }
  return JSON.stringify(value);
}

/** A stand-in for every intrinsic inside a state machine definition, so the definition parses as plain JSON. */
export const PLACEHOLDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:placeholder';

/** Parses a DefinitionString (a plain string or an `Fn::Join` with intrinsics) into the ASL document. */
export function parseDefinition(definitionString: Json | undefined): JsonObject {
  let text: string;
  if (typeof definitionString === 'string') text = definitionString;
  else {
    const join = isObject(definitionString) ? definitionString['Fn::Join'] : undefined;
    if (!Array.isArray(join) || !Array.isArray(join[1]))
      throw new Error(`DefinitionString is neither a string nor an Fn::Join: ${JSON.stringify(definitionString)}`);
    text = join[1].map((part) => (typeof part === 'string' ? part : PLACEHOLDER_ARN)).join(typeof join[0] === 'string' ? join[0] : '');
  }
  const parsed = JSON.parse(text) as Json;
  if (!isObject(parsed)) throw new Error('state machine definition is not a JSON object');
  return parsed;
}
