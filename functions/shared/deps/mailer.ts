import { sesMailer } from '../../adapters/ses-mailer.ts';
import { envVar, lazy } from '../deps-base.ts';

/** SES, through the configuration set in CONFIGURATION_SET. */
export const mailer = /* @__PURE__ */ lazy(() => sesMailer(envVar('CONFIGURATION_SET')));
