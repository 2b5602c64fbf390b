import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../functions/core/email/token.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { templateIds } from '../../functions/core/templates/catalogue.ts';
import { accountRepo } from '../../functions/data/accounts.ts';
import { contactRepo } from '../../functions/data/contacts.ts';
import { usageRepo } from '../../functions/data/usage.ts';
import { sendLedger } from '../../functions/data/sends.ts';
import { engagementRepo } from '../../functions/data/email.ts';
import { recordReply } from '../../functions/core/email/replies.ts';
import userConfig from '../../tend.config.ts';
import { previewEmail } from '../../cli/preview.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

// Monday 5 January 2026, 10:00 UTC: inside the default send window. The clock stays paused,
// so every send below happens at this instant and nothing is scheduled behind the test's back.
const NOW = new Date('2026-01-05T10:00:00Z');

describe('tech-touch email on the local runtime (bundled handlers, local SES, local EventBridge)', () => {
  let rt: TestRuntime;
  let send: (accountId: string, step: string, template?: string) => Promise<Record<string, unknown>>;

  const account = (id: string, email: string, extra: Record<string, unknown> = {}) =>
    rt.request('POST', '/v1/accounts', {
      id,
      name: `${id} Inc`,
      seats: 8,
      arr: 5000,
      startDate: NOW.toISOString(),
      primaryContact: { email, name: 'Pat Doe' },
      ...extra,
    });
  const outboxTo = (email: string) => rt.ses.outbox().filter((e) => e.destination.to.includes(email));
  const until = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await what()); i++) await new Promise((r) => setTimeout(r, 10));
    return what();
  };
  const unsubscribeLink = (email: string) => {
    const header = outboxTo(email)[0]?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    return header.match(/^<(https?:[^>]+)>/)?.[1] ?? '';
  };

  beforeAll(async () => {
    rt = await testRuntime({ start: NOW, paused: true });
    const steps = rt.lambdas.byLogicalId('PlaysSteps');
    // A step of the account's onboarding run, invoked as its state machine would (and as its Retry
    // would, again); the outcome is the step's email as the run record has it.
    send = async (accountId, step) => {
      await rt.idle();
      const exec = [...rt.sfn.executions.values()].find((e) => e.name.startsWith(`onboarding-${accountId}-`));
      if (!exec) throw new Error(`no onboarding run for ${accountId}`);
      const { cycle } = JSON.parse(exec.input) as { cycle: string };
      const route = (await rt.lambdas.invoke(steps.arn, { action: 'step', play: 'onboarding', accountId, cycle, executionName: exec.name, step })) as {
        route: string;
        until?: string;
      };
      if (route.route === 'wait') return { outcome: 'deferred', until: route.until };
      const [run] = await rt.items(accountId, 'RUN#onboarding#');
      const done = (run?.steps as Record<string, { outcome: string; actions?: { kind: string; outcome: string; detail?: string }[] }>)[step];
      const email = done?.actions?.find((x) => x.kind === 'email');
      return { outcome: email?.outcome ?? done?.outcome, detail: email?.detail ?? (done as { detail?: string } | undefined)?.detail };
    };
  });
  afterAll(() => rt?.stop());

  it('sends once with List-Unsubscribe (https first) and List-Unsubscribe-Post, visible in /local/outbox', async () => {
    expect((await account('globex', 'ana@globex.example')).status).toBe(201);
    await rt.idle();
    expect(await send('globex', 'welcome')).toMatchObject({ outcome: 'sent' });
    // A retried task, or a second start of the same run, finds the step done and the ledger claim: nothing more is sent.
    expect(await send('globex', 'welcome')).toMatchObject({ outcome: 'sent' });
    const outbox = (await (await fetch(`${rt.url}/local/outbox`)).json()) as {
      time: string;
      emails: { destination: { to: string[] }; headers?: { name: string; value: string }[]; subject: string; at: string; accountId?: string }[];
    };
    const mine = outbox.emails.filter((e) => e.destination.to.includes('ana@globex.example'));
    expect(mine).toHaveLength(1);
    // At the local clock's time (paused at NOW), for its account.
    expect(outbox.time).toBe(NOW.toISOString());
    expect(mine[0]).toMatchObject({ at: NOW.toISOString(), accountId: 'globex' });
    const headers = mine[0]!.headers ?? [];
    expect(headers.map((h) => h.name)).toEqual(['List-Unsubscribe', 'List-Unsubscribe-Post']);
    expect(headers[0]!.value).toMatch(new RegExp(`^<${rt.url}/v1/unsubscribe\\?token=[\\w-]+\\.[\\w-]+>$`));
    expect(headers[1]!.value).toBe('List-Unsubscribe=One-Click');
    expect(mine[0]!.subject).toBe('Welcome to Acme Analytics, globex Inc');
  });

  it('refuses a forged, a tampered and an expired token with a 4xx and changes nothing', async () => {
    const link = new URL(unsubscribeLink('ana@globex.example'));
    const token = link.searchParams.get('token')!;
    const post = (t: string) =>
      fetch(`${rt.url}/v1/unsubscribe?token=${encodeURIComponent(t)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    const forged = signToken('not-the-deployment-key-at-all', {
      contact: 'ana@globex.example',
      accountId: 'globex',
      category: 'onboarding',
      expires: NOW.getTime() / 1000 + 3600,
    });
    const tampered = `${Buffer.from(JSON.stringify({ c: 'boss@globex.example', a: 'globex', k: 'onboarding', e: NOW.getTime() / 1000 + 3600 })).toString('base64url')}.${token.split('.')[1]}`;
    const expired = signToken(rt.unsubscribeKey, {
      contact: 'ana@globex.example',
      accountId: 'globex',
      category: 'onboarding',
      expires: NOW.getTime() / 1000 - 60,
    });
    const answers = await Promise.all([post(forged), post(tampered), post(expired), post('')]);
    expect(answers.map((r) => r.status)).toEqual([403, 403, 410, 400]);
    expect(await answers[2]!.text()).toContain('expired');
    expect(await rt.items('globex', 'PREFS#')).toEqual([]);
  });

  it('GET shows a confirmation that POSTs; the one-click POST unsubscribes, and the next send to that contact is skipped', async () => {
    const link = unsubscribeLink('ana@globex.example');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post" action="\?token=[\w.-]+">/);
    expect(await rt.items('globex', 'PREFS#')).toEqual([]); // looking is not unsubscribing

    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    expect(await send('globex', 'day-7', 'checkin-active')).toMatchObject({ outcome: 'skipped' });
    expect(outboxTo('ana@globex.example')).toHaveLength(1);
    const [run] = await rt.items('globex', 'RUN#onboarding');
    // The step ran; its email was skipped, and the run record says why.
    expect(run?.steps?.['day-7']).toMatchObject({ outcome: 'done', actions: [{ kind: 'email', outcome: 'skipped', detail: 'unsubscribed from onboarding' }] });
  });

  it('an SES bounce through the local EventBridge suppresses the address; an open counts towards engagement', async () => {
    await account('initech', 'bob@initech.example');
    await rt.idle();
    expect(await send('initech', 'welcome')).toMatchObject({ outcome: 'sent' });
    const messageId = outboxTo('bob@initech.example')[0]!.messageId;
    const mail = {
      timestamp: NOW.toISOString(),
      source: 'success@acme.example',
      messageId,
      destination: ['bob@initech.example'],
      tags: { account: ['initech'], play: ['onboarding'] },
    };
    rt.events.put([
      {
        Source: 'aws.ses',
        DetailType: 'Email Opened',
        Detail: JSON.stringify({ eventType: 'Open', mail, open: { timestamp: NOW.toISOString(), userAgent: 'x', ipAddress: '192.0.2.1' } }),
      },
      {
        Source: 'aws.ses',
        DetailType: 'Email Bounced',
        Detail: JSON.stringify({
          eventType: 'Bounce',
          mail,
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: 'bob@initech.example', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
            timestamp: NOW.toISOString(),
          },
        }),
      },
    ]);
    const suppressed = async () =>
      (
        await rt.db.send(
          new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: rt.tableName, Key: { pk: 'SUPPRESSED#bob@initech.example', sk: 'SUPPRESSED' } }),
        )
      ).Item;
    expect(await until(async () => !!(await suppressed()))).toBe(true);
    expect(await suppressed()).toMatchObject({ source: 'ses-bounce', reason: expect.stringContaining('550 5.1.1') });
    expect(await until(async () => (await rt.items('initech', 'S#DAY#2026-01-05'))[0]?.emailsOpened !== undefined)).toBe(true);
    const [day] = await rt.items('initech', 'S#DAY#2026-01-05');
    expect([...(day!.emailsSent as Set<string>)]).toEqual([messageId]);
    expect([...(day!.emailsOpened as Set<string>)]).toEqual([messageId]);

    expect(await send('initech', 'day-7', 'checkin-active')).toMatchObject({ outcome: 'skipped' });
    const [run] = await rt.items('initech', 'RUN#onboarding');
    // The step ran; its email was skipped, and the run record says why.
    expect(run?.steps?.['day-7']).toMatchObject({ outcome: 'done', actions: [{ kind: 'email', outcome: 'skipped', detail: 'suppressed' }] });
    expect(outboxTo('bob@initech.example')).toHaveLength(1);
  });

  it('a reply to a sent email (In-Reply-To) counts towards engagement once, through the send ledger on the local table', async () => {
    await account('piedpiper', 'richard@piedpiper.example');
    await rt.idle();
    expect(await send('piedpiper', 'welcome')).toMatchObject({ outcome: 'sent' });
    const messageId = outboxTo('richard@piedpiper.example')[0]!.messageId;
    const deps = { ledger: sendLedger(rt.db, rt.tableName), engagement: engagementRepo(rt.db, rt.tableName) };
    // As a mail client writes it: the SES Message-ID in In-Reply-To, the thread in References.
    const headers = [
      { name: 'From', value: 'Richard <richard@piedpiper.example>' },
      { name: 'In-Reply-To', value: `<${messageId}@email.amazonses.com>` },
      { name: 'References', value: `<CAF=older@mail.gmail.com> <${messageId}@email.amazonses.com>` },
    ];
    expect(await recordReply(deps, headers)).toEqual({ accountId: 'piedpiper', messageId });
    expect(await recordReply(deps, headers)).toEqual({ accountId: 'piedpiper', messageId });
    const [day] = await rt.items('piedpiper', 'S#DAY#2026-01-05');
    expect([...(day!.emailsReplied as Set<string>)]).toEqual([messageId]);
    expect(await recordReply(deps, [{ name: 'In-Reply-To', value: '<unknown-id@email.amazonses.com>' }])).toBeUndefined();
    expect(await recordReply(deps, [{ name: 'Subject', value: 'hello' }])).toBeUndefined();
  });

  it('a send SES keeps throttling waits 1 to 5 minutes with nothing claimed, then sends once', async () => {
    await account('wayne', 'bruce@wayne.example');
    await rt.idle();
    // Refused as when a burst exceeds the send rate (the SES client makes one attempt: docs/email.md).
    rt.ses.throttleNext(1);
    const throttled = await send('wayne', 'welcome');
    expect(throttled.outcome).toBe('deferred');
    const wait = Date.parse(String(throttled.until)) - NOW.getTime();
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThan(300_000);
    expect(await rt.items('wayne', 'SEND#')).toEqual([]);
    expect(outboxTo('bruce@wayne.example')).toHaveLength(0);
    expect(await send('wayne', 'welcome')).toMatchObject({ outcome: 'sent' });
    expect(outboxTo('bruce@wayne.example')).toHaveLength(1);
  });

  it('holds the frequency cap: a fourth email in 7 days is skipped and recorded', async () => {
    await account('umbrella', 'cy@umbrella.example');
    await rt.idle();
    for (const step of ['welcome', 'day-7', 'day-14']) expect(await send('umbrella', step, 'checkin-active'), step).toMatchObject({ outcome: 'sent' });
    expect(await send('umbrella', 'day-30', 'checkin-active')).toMatchObject({ outcome: 'skipped' });
    const [run] = await rt.items('umbrella', 'RUN#onboarding');
    // The step ran; its email was skipped, and the run record says why.
    expect(run?.steps?.['day-30']).toMatchObject({
      outcome: 'done',
      actions: [
        { kind: 'email', outcome: 'skipped', detail: expect.stringMatching(/^frequency cap/) },
        { kind: 'task', outcome: 'created' },
      ],
    });
    expect(outboxTo('cy@umbrella.example')).toHaveLength(3);
    const [capped] = (await rt.items('umbrella', 'SEND#')).filter((s) => s.step === 'day-30');
    expect(capped).toMatchObject({ status: 'skipped' });
  });

  it('holds the frequency cap when two steps race for its last slot (invoked at once: no stepped-clock ordering between them)', async () => {
    await account('vandelay', 'pm@vandelay.example');
    for (const step of ['welcome', 'day-7']) expect(await send('vandelay', step), step).toMatchObject({ outcome: 'sent' });
    const steps = rt.lambdas.byLogicalId('PlaysSteps');
    const exec = [...rt.sfn.executions.values()].find((e) => e.name.startsWith('onboarding-vandelay-'))!;
    const { cycle } = JSON.parse(exec.input) as { cycle: string };
    const invoke = (step: string) =>
      rt.lambdas.invoke(steps.arn, { action: 'step', play: 'onboarding', accountId: 'vandelay', cycle, executionName: exec.name, step });
    await Promise.all([invoke('day-14'), invoke('day-30')]);
    const [run] = await rt.items('vandelay', 'RUN#onboarding#');
    const outcomes = ['day-14', 'day-30'].map(
      (step) => (run?.steps as Record<string, { actions?: { kind: string; outcome: string }[] }>)[step]?.actions?.find((a) => a.kind === 'email')?.outcome,
    );
    expect(outcomes.sort()).toEqual(['sent', 'skipped']);
    expect(outboxTo('pm@vandelay.example')).toHaveLength(3);
  });

  it('every built-in template renders for a realistic account from the local table (tend preview), with no empty field', async () => {
    const config = parseConfig(userConfig);
    await account('wayne', 'bruce@wayne.example', {
      arr: 90_000,
      seats: 25,
      renewalDate: '2026-03-01',
      csm: { name: 'Maya Chen', email: 'maya@acme.example' },
    });
    await rt.request('POST', '/v1/contacts', { contacts: [{ accountId: 'wayne', email: 'lucius@wayne.example', name: 'Lucius Fox', role: 'champion' }] });
    const events = Array.from({ length: 40 }, (_, i) => ({
      id: `w-${i}`,
      accountId: 'wayne',
      userId: `u${i % 9}`,
      name: 'feature_used',
      timestamp: new Date(NOW.getTime() - (i % 50) * 86_400_000 - 3_600_000).toISOString(),
      properties: { feature: config.product.features[i % 3] },
    }));
    expect((await rt.request('POST', '/v1/events', { events })).status).toBe(202);
    await rt.idle();
    const deps = {
      config,
      accounts: accountRepo(rt.db, rt.tableName),
      usage: usageRepo(rt.db, rt.tableName),
      contacts: contactRepo(rt.db, rt.tableName),
      now: NOW,
      key: rt.unsubscribeKey,
      baseUrl: rt.url,
    };
    for (const id of templateIds) {
      const email = await previewEmail(deps, id, 'wayne', { contactRole: id === 'save-outreach' ? 'champion' : undefined });
      for (const part of [email.subject, email.html, email.text]) {
        expect(part, id).not.toMatch(/undefined|NaN|null|\[object Object\]|\{\{/);
        expect(part, id).not.toMatch(/<strong>\s*<\/strong>|<li>\s*<\/li>|:\s*\.|\(\s*\)/);
      }
      expect(email.from, id).toBe('Maya Chen <success@acme.example>');
      expect(email.text, id).toContain(`${rt.url}/v1/unsubscribe?token=`);
    }
    const notice = await previewEmail(deps, 'renewal-notice', 'wayne');
    expect(notice.subject).toBe('Your Acme Analytics plan renews in 55 days');
    expect(notice.text).toContain('9 people working in Acme Analytics');
    expect((await previewEmail(deps, 'save-outreach', 'wayne', { contactRole: 'champion' })).to).toBe('lucius@wayne.example');
    await expect(previewEmail(deps, 'no-such-template', 'wayne')).rejects.toThrow(/unknown template/);
  });

  it("holds the send window in the contact's time zone, and refuses an invalid one at ingest naming the field", async () => {
    const bad = await rt.request('POST', '/v1/contacts', { contacts: [{ accountId: 'globex', email: 'x@globex.example', timezone: 'Mars/Olympus' }] });
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toContain('contacts[0].timezone');
    const badAccount = await account('hooli', 'dee@hooli.example', { timezone: 'Europe/Atlantis' });
    expect(badAccount.status).toBe(400);
    expect(badAccount.body?.message).toContain('timezone');

    await account('hooli', 'dee@hooli.example');
    expect((await rt.request('POST', '/v1/contacts', { contacts: [{ accountId: 'hooli', email: 'dee@hooli.example', timezone: 'Asia/Tokyo' }] })).status).toBe(
      202,
    );
    await rt.idle();
    // 10:00 UTC on Monday is 19:00 in Tokyo: deferred to 09:00 Tuesday there, and nothing claimed.
    expect(await send('hooli', 'welcome')).toMatchObject({ outcome: 'deferred', until: '2026-01-06T00:00:00.000Z' });
    expect(await rt.items('hooli', 'SEND#')).toEqual([]);
    expect(outboxTo('dee@hooli.example')).toHaveLength(0);
  });
});
