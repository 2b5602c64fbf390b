import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod's tree-shakable "mini" build, with English messages only. The classic build is ~450 KB of
 * every bundle and ~50 ms of every cold start. Import it as `import * as z from './zod.ts'` so
 * the bundler keeps only what is used (re-exporting a namespace object would keep everything).
 */
config(en());

export * from 'zod/mini';
