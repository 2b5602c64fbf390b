import { existsSync, mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { clockTimeSchema, type ClockState, type StepReport } from '../local/clock-control.ts';
import { saveClock, savedClock } from '../local/clock-file.ts';
import { devSession } from './local-state.ts';

/**
 * One request to the running tend dev's /local/clock. node:http rather than fetch: a long step
 * (a year of hourly schedules) answers after minutes, past fetch's five-minute header timeout.
 */
function call(url: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((done, fail) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(url, { method: payload ? 'POST' : 'GET', headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, any> }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

const describe = (c: ClockState) => `${c.time} at ${c.speed}x${c.paused ? ', paused' : ''}`;

/** `tend clock [show|set|pause|resume|step|speed]`: through the running tend dev; with none, the clock saved with the data. */
export async function clockCommand(request: Record<string, unknown> | undefined, options: { data: string; json?: boolean }) {
  const dataDir = resolve(options.data);
  const session = devSession(dataDir);
  if (!session) return offline(request, dataDir, options);
  const answer = await call(`${session.url}/local/clock`, request).catch(() => {
    throw new Error(`the tend dev at ${session.url} does not answer (pid ${session.pid}): stop it and start it again`);
  });
  if (answer.status !== 200) throw new Error(String(answer.body.message ?? JSON.stringify(answer.body)));
  const state = answer.body as ClockState & { stepped?: StepReport };
  if (options.json) return console.log(JSON.stringify(state));
  if (state.stepped) {
    const fired = Object.entries(state.stepped.fired).map(([name, n]) => `${name} ${n}x`);
    console.log(`Stepped from ${state.stepped.from} to ${state.stepped.to}; schedules fired: ${fired.length ? fired.join(', ') : 'none'}.`);
  }
  console.log(`Clock ${describe(state)} (${session.url}/local/clock)`);
}

/** tend dev is not running: show or set the clock saved with the data; anything else needs the running clock. */
function offline(request: Record<string, unknown> | undefined, dataDir: string, options: { json?: boolean }) {
  const stateDir = join(dataDir, 'state');
  if (request?.set !== undefined) {
    const checked = clockTimeSchema.safeParse(request.set);
    if (!checked.success) throw new Error(`<time>: ${checked.error.issues[0]!.message}`);
    mkdirSync(stateDir, { recursive: true });
    saveClock(stateDir, new Date(checked.data));
    if (options.json) return console.log(JSON.stringify({ time: new Date(checked.data).toISOString(), running: false }));
    return console.log(`Saved: the next tend dev on ${dataDir} starts its clock at ${new Date(checked.data).toISOString()}.`);
  }
  if (request) throw new Error(`no tend dev runs on ${dataDir}: start it (tend dev --data ${dataDir}) to ${Object.keys(request)[0]} its clock`);
  const saved = existsSync(stateDir) ? savedClock(stateDir) : undefined;
  if (options.json) return console.log(JSON.stringify({ time: saved?.toISOString() ?? null, running: false }));
  console.log(
    saved
      ? `tend dev is not running; its clock was saved at ${saved.toISOString()} and goes on from there at the next start (tend dev --from <day> starts elsewhere).`
      : `tend dev is not running and no clock is saved in ${dataDir}: the next tend dev starts at the current time (or --from <day>).`,
  );
}
