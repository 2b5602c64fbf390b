import { resolve } from 'node:path';
import { localAssembly } from '../../../cli/assembly.ts';
import { demoRuntime } from './demo-runtime.ts';
import { ensureWebApp, WEB_DIST } from '../../../web/build.ts';

/**
 * The browser tests' demo (runDemo on a small book), served until Ctrl-C: `npx tsx tests/browser/support/serve-demo.ts [port]`
 * (to look at the app as the tests see it). Prints the address, an admin key and the passwords of the people who sign in.
 */
const assemblyDir = await localAssembly(resolve('.tend'), (l) => console.error(l));
await ensureWebApp((l) => console.error(l));
const demo = await demoRuntime({ assemblyDir, port: Number(process.argv[2] ?? 0), webDir: WEB_DIST });
demo.rt.clock.resume();
console.log(JSON.stringify({ url: demo.url, adminKey: demo.adminKey, readKey: demo.readKey, passwords: demo.passwords }));
process.once('SIGINT', () => void demo.stop().then(() => process.exit(0)));
