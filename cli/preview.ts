import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DAY_MS, dayOf } from '../functions/core/clock.ts';
import { parseConfig, type TendConfig } from '../functions/core/config.ts';
import { CONTEXT_DAYS, templateContext, YEAR_DAYS } from '../functions/core/email/context.ts';
import { unsubscribeLinks } from '../functions/core/email/links.ts';
import { NotFoundError } from '../functions/core/errors.ts';
import type { AccountRepo, ContactRepo, UsageRepo } from '../functions/core/ports.ts';
import { assertTemplates } from '../functions/core/templates/check.ts';
import { templateSource, templateSources } from '../functions/core/templates/catalogue.ts';
import { render } from '../functions/core/templates/compile.ts';
import type { RenderedEmail } from '../functions/core/templates/render.ts';
import { accountRepo } from '../functions/data/accounts.ts';
import { contactRepo } from '../functions/data/contacts.ts';
import { usageRepo } from '../functions/data/usage.ts';
import { localSigningKey } from '../local/signing-key.ts';
import userConfig from '../tend.config.ts';
import { openTable } from './local-state.ts';

/** Where `tend dev` serves by default: the links of a preview made while it is stopped. */
const LOCAL_API_DEFAULT = 'http://127.0.0.1:4010';

export interface PreviewDeps {
  config: TendConfig;
  accounts: Pick<AccountRepo, 'get'>;
  usage: Pick<UsageRepo, 'days'>;
  contacts: Pick<ContactRepo, 'list'>;
  now: Date;
  key: string;
  baseUrl: string;
}

export interface Preview extends RenderedEmail {
  template: string;
  to: string;
  from: string;
}

/** A template rendered for an account as `deliver` would render it (same context, same figures), without sending. */
export async function previewEmail(
  deps: PreviewDeps,
  template: string,
  accountId: string,
  options: { contactRole?: string; step?: string; day?: number } = {},
): Promise<Preview> {
  const source = templateSource(deps.config.templates, template);
  if (!source) throw new Error(`unknown template "${template}"; known: ${Object.keys(templateSources(deps.config.templates)).join(', ')}`);
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  const people = await deps.contacts.list(account.id);
  const contact = (options.contactRole ? people.find((c) => c.role === options.contactRole && !c.leftAt) : undefined) ?? account.primaryContact;
  const withYear = (source.needs ?? []).includes('year');
  const days = await deps.usage.days(account.id, dayOf(deps.now.getTime() - ((withYear ? YEAR_DAYS : CONTEXT_DAYS) - 1) * DAY_MS), dayOf(deps.now));
  const links = await unsubscribeLinks({ key: async () => deps.key, baseUrl: deps.baseUrl, tokenDays: deps.config.email.unsubscribe.tokenDays }).linksFor(
    { contact: contact.email, accountId: account.id, category: 'preview' },
    deps.now,
  );
  const csm = account.segment === 'high-touch' ? account.csm : undefined;
  const senderName = csm?.name ?? deps.config.sender.name;
  const startDays = Math.floor((deps.now.getTime() - new Date(account.startDate).getTime()) / DAY_MS);
  const email = render(
    source,
    templateContext({
      config: deps.config,
      account,
      contact,
      days,
      now: deps.now,
      step: { id: options.step ?? 'preview', day: options.day ?? startDays },
      senderName,
      unsubscribeUrl: links.url,
      withYear,
    }),
  );
  return { template, to: contact.email, from: `${senderName} <${deps.config.sender.from}>`, ...email };
}

interface PreviewOptions {
  account: string;
  data: string;
  table?: string;
  region?: string;
  out?: string;
  role?: string;
  json?: boolean;
}

/** `tend preview <template> --account <id>`: the HTML to a file, the text to stdout (or everything as JSON). */
export async function previewCommand(template: string, options: PreviewOptions) {
  const config = parseConfig(userConfig);
  assertTemplates(config);
  const dataDir = resolve(options.data);
  // The running tend dev's table and clock when there is one (links to its port), else the data on disk at its saved clock.
  const t = await openTable({ ...options, mustExist: true });
  try {
    const db = DynamoDBDocumentClient.from(t.client, { marshallOptions: { removeUndefinedValues: true } });
    const now = await t.now();
    const preview = await previewEmail(
      {
        config,
        accounts: accountRepo(db, t.table),
        usage: usageRepo(db, t.table),
        contacts: contactRepo(db, t.table),
        now,
        key: options.table ? 'preview-only-links-do-not-work' : localSigningKey(join(dataDir, 'state')),
        baseUrl: config.email.unsubscribe.baseUrl ?? t.apiUrl ?? LOCAL_API_DEFAULT,
      },
      template,
      options.account,
      { contactRole: options.role },
    );
    const file = resolve(options.out ?? join(dataDir, 'preview', `${preview.template}-${options.account.replace(/[^\w.-]/g, '_')}.html`));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, preview.html);
    if (options.json) console.log(JSON.stringify({ ...preview, htmlFile: file, at: now.toISOString(), source: t.where }));
    else
      console.log(
        `From:    ${preview.from}\nTo:      ${preview.to}\nSubject: ${preview.subject}\nAs of:   ${now.toISOString()} (${t.clock})\nHTML:    ${file}\n\n${preview.text}`,
      );
  } finally {
    await t.close();
  }
}
