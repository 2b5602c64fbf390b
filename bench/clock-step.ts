import { resolve } from 'node:path';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';

/** A Monday at midnight UTC. */
const START = new Date('2026-03-02T00:00:00Z');
const DAY = 86_400_000;

/**
 * `tend clock step` (local/clock-control.ts): the real time a stepped week takes on the local
 * runtime, with every schedule (daily scoring, hourly rescoring and sweeps) firing at its moment
 * and the onboarding plays' waits and emails on the way, for a few accounts and for 100.
 */
export async function clockStepBench() {
  const assemblyDir = resolve('.tend/cdk.out');
  await synthesize(assemblyDir);
  console.log('\nClock step (tend clock step 7d): real seconds per stepped day, schedules and waits included');
  for (const accounts of [2, 100]) {
    const rt = await startLocalRuntime({ assemblyDir, start: START, paused: true });
    try {
      const key = await rt.createKey(['admin'], 'bench');
      for (let i = 0; i < accounts; i++) {
        const res = await fetch(`${rt.url}/v1/accounts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: `a${i}`,
            name: `A${i}`,
            seats: 10,
            arr: 6000,
            startDate: START.toISOString(),
            primaryContact: { email: `ana@a${i}.example` },
          }),
        });
        if (res.status !== 201) throw new Error(`account a${i}: ${res.status} ${await res.text()}`);
      }
      await rt.idle();
      const began = performance.now();
      const step = await rt.clockControl.stepTo(START.getTime() + 7 * DAY, 'step');
      const seconds = (performance.now() - began) / 1000;
      const fired = Object.values(step.fired).reduce((a, b) => a + b, 0);
      console.log(
        `  ${String(accounts).padStart(4)} accounts: ${seconds.toFixed(1)} s for 7 days (${(seconds / 7).toFixed(2)} s a day), ${step.moments} due moments, ${fired} schedule runs, ${rt.ses.sentTotal} emails`,
      );
    } finally {
      await rt.stop();
    }
  }
}
