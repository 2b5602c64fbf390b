#!/usr/bin/env node
import { ConfigError } from '../functions/core/config.ts';
import { buildApp } from '../lib/app.ts';

// The CDK app. `npx cdk synth` runs this; a bad tend.config.ts stops it with the field named.
try {
  buildApp().synth();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
