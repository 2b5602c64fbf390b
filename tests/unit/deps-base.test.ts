import { afterEach, describe, expect, it } from 'vitest';
import { envVar } from '../../functions/shared/deps-base.ts';

describe('envVar: a variable the functions need, checked when first read', () => {
  afterEach(() => {
    delete process.env.TEND_TEST_VARIABLE;
  });

  it.each([
    ['missing', undefined, 'Invalid environment: TEND_TEST_VARIABLE: required'],
    ['empty', '', 'Invalid environment: TEND_TEST_VARIABLE: empty'],
  ])('fails naming a %s one', (_, value, message) => {
    if (value !== undefined) process.env.TEND_TEST_VARIABLE = value;
    expect(() => envVar('TEND_TEST_VARIABLE')).toThrow(message);
  });

  it('answers the value when set', () => {
    process.env.TEND_TEST_VARIABLE = 'tend-table';
    expect(envVar('TEND_TEST_VARIABLE')).toBe('tend-table');
  });
});
