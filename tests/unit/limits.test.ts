import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../functions/core/limits.ts';
import { idSchema } from '../../functions/core/schemas.ts';

describe('ID_PATTERN (ids checked without zod, e.g. in a cursor)', () => {
  const idLike = fc.stringMatching(/^[A-Za-z0-9._:@ -]{0,140}$/);
  it('accepts exactly what idSchema accepts', () => {
    fc.assert(
      fc.property(fc.oneof(idLike, fc.string({ maxLength: 140 })), (s) => {
        expect(ID_PATTERN.test(s)).toBe(idSchema.safeParse(s).success);
      }),
    );
  });

  it.each([
    ['a', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['-a', false],
    ['', false],
    ['acct:1@x.io', true],
  ])('%s: %s', (id, ok) => expect(ID_PATTERN.test(id)).toBe(ok));
});
