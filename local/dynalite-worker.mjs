// The local DynamoDB's thread: loader hooks are per thread, so it registers tsx itself (as bin/tend-cli.js does), then runs the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./dynalite-thread.ts');
