import userConfig from '../../tend.config.ts';
import { parseConfig } from '../core/config.ts';

/** The user's tend.config.ts, bundled into every function and validated once at cold start. */
export const config = parseConfig(userConfig);
