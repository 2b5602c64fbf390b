import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidatedDefinitions } from '../../local/stepfunctions/validated-definitions.ts';

describe('ValidatedDefinitions', () => {
  const definition = { StartAt: 'A', States: { A: { Type: 'Succeed' } } };

  it('remembers a validated definition across starts, and only that definition', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-validated-'));
    const first = new ValidatedDefinitions(dir);
    expect(first.has(first.keyOf(definition))).toBe(false);
    first.add(first.keyOf(definition));
    const next = new ValidatedDefinitions(dir);
    expect(next.has(next.keyOf(structuredClone(definition)))).toBe(true);
    expect(next.has(next.keyOf({ ...definition, StartAt: 'B' }))).toBe(false);
    expect(next.has(next.keyOf({ StartAt: 'A', States: { A: { Type: 'Fail' } } }))).toBe(false);
  });

  it('works without a writable folder (validates again next time)', () => {
    const validated = new ValidatedDefinitions(join(tmpdir(), 'tend-no-such-folder', 'cdk.out'));
    validated.add(validated.keyOf(definition));
    expect(validated.has(validated.keyOf(definition))).toBe(true);
    const next = new ValidatedDefinitions(join(tmpdir(), 'tend-no-such-folder', 'cdk.out'));
    expect(next.has(next.keyOf(definition))).toBe(false);
  });
});
