import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { CloudAssembly } from '../../local/assembly.ts';
import { assemblyDir, STACK_NAME } from './assembly.ts';

/** asl-validator v4 ships no types: its call shape, from its README and dist/src/validator.js. */
interface AslValidation {
  isValid: boolean;
  errors: { 'Error code': string; Message: string }[];
  errorsText: (separator?: string) => string;
}
type AslValidator = (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => AslValidation;
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** The validator writes a default QueryLanguage into every state: give it a copy. */
const validate = (definition: unknown) => aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });

interface Machine {
  name: string;
  definition: Record<string, unknown>;
}

/**
 * Every state machine of the synthesized assembly, its DefinitionString's intrinsics (Ref,
 * Fn::GetAtt, Fn::Join...) resolved by the local runtime's resolver into plausible ARNs.
 */
function machines(): Machine[] {
  const assembly = new CloudAssembly(assemblyDir());
  return [...assembly.resources('AWS::StepFunctions::StateMachine')].map(({ stack, logicalId, resource }) => {
    const text = assembly.resolve(stack, resource.Properties?.['DefinitionString']);
    if (typeof text !== 'string') throw new Error(`${stack}/${logicalId}: DefinitionString did not resolve to a string: ${JSON.stringify(text).slice(0, 200)}`);
    return { name: `${stack}/${String(resource.Properties?.['StateMachineName'] ?? logicalId)}`, definition: JSON.parse(text) as Record<string, unknown> };
  });
}

describe('every synthesized state machine is valid Amazon States Language (asl-validator)', () => {
  let all: Machine[];
  beforeAll(() => {
    all = machines();
  });

  it('finds the scoring machine and one machine per play', () => {
    const names = all.map((m) => m.name);
    expect(names.filter((n) => n.startsWith(`Tend/${STACK_NAME.app}-`)).sort()).toEqual(
      ['adoption', 'advocacy', 'expansion', 'onboarding', 'reengagement', 'renewal', 'save'].map((p) => `Tend/${STACK_NAME.app}-${p}`),
    );
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  it('resolves every intrinsic: no Ref or Fn:: is left, every Lambda is a full ARN', () => {
    for (const { name, definition } of all) {
      const text = JSON.stringify(definition);
      expect(text, name).not.toMatch(/"Ref"|Fn::|\$\{Token/);
      for (const fn of text.match(/"FunctionName":"[^"]*"/g) ?? [])
        expect(fn, name).toMatch(/^"FunctionName":"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+"$/);
    }
  });

  it("validates each definition, listing the validator's errors otherwise", () => {
    const invalid = all.map(({ name, definition }) => ({ name, result: validate(definition) })).filter((m) => !m.result.isValid);
    expect(invalid.map(({ name, result }) => `${name}:\n  ${result.errorsText('\n  ')}`).join('\n')).toBe('');
  });

  it('self-check: the validator refuses a broken play definition, with the reasons', () => {
    const play = all.find((m) => m.name === `Tend/${STACK_NAME.app}-save`)!;
    const broken = structuredClone(play.definition) as { States: Record<string, Record<string, unknown>> };
    broken.States['Wait for review']!['Next'] = 'Run revue';
    delete broken.States['Hold review']!['TimestampPath'];
    const result = validate(broken);
    expect(result.isValid).toBe(false);
    expect(result.errorsText()).toMatch(/Run revue/);
    expect(result.errors.map((e) => e['Error code'])).toEqual(expect.arrayContaining(['MISSING_TRANSITION_TARGET']));
    expect(validate({ StartAt: 'A', States: { A: { Type: 'Wait', Next: 'B' }, B: { Type: 'Succeed' } } }).errors.map((e) => e['Error code'])).toContain(
      'WAIT_DURATION',
    );
    expect(validate(play.definition).isValid).toBe(true);
  });
});
