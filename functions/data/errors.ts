/** True for DynamoDB's ConditionalCheckFailedException, however the SDK bundle shaped it. */
export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** True for DynamoDB's refusal of an item over 400 KB (a ValidationException, told by its message). */
export function isItemTooLarge(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | undefined;
  return e?.name === 'ValidationException' && /exceeded the maximum allowed size/i.test(e.message ?? '');
}
