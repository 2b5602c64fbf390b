import * as z from '../core/zod.ts';

/** Parses the function's environment once, at cold start, and fails fast naming the missing variable. */
export function parseEnv<T extends Record<string, z.ZodMiniType>>(shape: T): z.infer<z.ZodMiniObject<T>> {
  // Parsed once: `jitless` skips compiling a fast parser (`new Function`) that would never run again.
  const result = z.object(shape).safeParse(process.env, { jitless: true });
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}
