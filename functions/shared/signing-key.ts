import * as z from '../core/zod.ts';
import { signingKey as signingKeyReader } from '../adapters/signing-key.ts';
import { lazy } from './deps-base.ts';
import { parseEnv } from './env.ts';

/*
 * Part of the composition root (deps.ts), in a module of its own: the reader imports the SSM
 * client lazily, and esbuild makes a chunk of a dynamic import even in a bundle whose handler never
 * calls it. Only the functions that sign unsubscribe links import this.
 */

const signingKeyEnv = { UNSUBSCRIBE_SECRET_NAME: z.optional(z.string().check(z.minLength(1))), UNSUBSCRIBE_KEY: z.optional(z.string().check(z.minLength(16))) };

/** The unsubscribe-token key: read on the first use, then kept for the container's life. */
export const signingKey = /* @__PURE__ */ lazy(() => signingKeyReader(parseEnv(signingKeyEnv)));
