#!/usr/bin/env node
// The `tend` command. Tend's code is TypeScript run through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

// The functions run on Node 22 in Lambda; locally the SDK's Node 20 notice would repeat at every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../cli/main.ts');
