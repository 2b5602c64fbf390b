/** Column names a CSV export usually has, normalised (lower case, letters and digits only), per field. */
const ACCOUNT_ALIASES: Record<string, string[]> = {
  id: ['id', 'accountid', 'externalid', 'customerid'],
  name: ['name', 'accountname', 'company', 'companyname', 'customer', 'customername'],
  plan: ['plan', 'tier', 'planname'],
  arr: ['arr', 'annualrecurringrevenue', 'annualrevenue'],
  seats: ['seats', 'licenses', 'licences', 'seatcount'],
  startDate: ['startdate', 'start', 'contractstart', 'customersince'],
  renewalDate: ['renewaldate', 'renewal', 'contractend', 'renewsat', 'renewson'],
  status: ['status'],
  effectiveDate: ['effectivedate', 'effective', 'effectiveon', 'asof', 'changedate'],
  paymentStatus: ['paymentstatus', 'payment'],
  strategicImportance: ['strategicimportance', 'importance'],
  segment: ['segment', 'touchmodel', 'coveragemodel'],
  'csm.name': ['csm', 'csmname', 'ownername', 'accountowner'],
  'csm.email': ['csmemail', 'owneremail'],
  /** A CSM id (or email) of tend.config.ts `csms`: the account's owner. */
  owner: ['owner', 'ownerid', 'csmid'],
  'primaryContact.email': ['email', 'contactemail', 'primarycontactemail', 'primaryemail'],
  'primaryContact.name': ['contactname', 'primarycontactname', 'primarycontact'],
  'primaryContact.role': ['contactrole', 'primarycontactrole'],
  'primaryContact.timezone': ['contacttimezone', 'timezone', 'tz'],
};
const CONTACT_ALIASES: Record<string, string[]> = {
  accountId: ['accountid', 'account', 'companyid', 'customerid', 'customer', 'company'],
  email: ['email', 'emailaddress', 'contactemail'],
  name: ['name', 'fullname', 'contactname'],
  role: ['role', 'contactrole'],
  timezone: ['timezone', 'tz'],
  left: ['left', 'hasleft'],
};

export type ImportKind = 'accounts' | 'contacts';
const NUMBERS = new Set(['arr', 'seats']);
const BOOLEANS = new Set(['left']);
const normalise = (column: string) => column.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `--map csvColumn=field` pairs, checked against the fields of the kind. */
export function parseMappings(kind: ImportKind, pairs: string[]): Record<string, string> {
  const fields = Object.keys(kind === 'accounts' ? ACCOUNT_ALIASES : CONTACT_ALIASES);
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw new Error(`--map ${pair}: expected csvColumn=field`);
    const field = pair.slice(at + 1).trim();
    if (!fields.includes(field)) throw new Error(`--map ${pair}: "${field}" is not a field of ${kind}; fields: ${fields.join(', ')}`);
    out[pair.slice(0, at).trim()] = field;
  }
  return out;
}

/** Which field each CSV column fills: explicit mappings first, then the aliases; unknown columns are ignored. */
export function columnFields(kind: ImportKind, header: string[], explicit: Record<string, string>): { fields: Map<string, string>; ignored: string[] } {
  const aliases = kind === 'accounts' ? ACCOUNT_ALIASES : CONTACT_ALIASES;
  const fields = new Map<string, string>();
  const ignored: string[] = [];
  const taken = new Set(Object.values(explicit));
  for (const column of header) {
    if (explicit[column]) {
      fields.set(column, explicit[column]);
      continue;
    }
    const field = Object.entries(aliases).find(([f, names]) => !taken.has(f) && names.includes(normalise(column)))?.[0];
    if (field) {
      fields.set(column, field);
      taken.add(field);
    } else ignored.push(column);
  }
  return { fields, ignored };
}

/** A CSV row as the API's JSON: empty cells left out, numbers and booleans converted, dotted fields nested. */
export function rowToInput(row: Record<string, string>, fields: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, field] of fields) {
    const raw = row[column]?.trim();
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (NUMBERS.has(field)) {
      const n = Number(raw.replace(/[$€£,\s]/g, ''));
      value = Number.isNaN(n) ? raw : n;
    } else if (BOOLEANS.has(field)) value = /^(true|yes|y|1)$/i.test(raw) ? true : /^(false|no|n|0)$/i.test(raw) ? false : raw;
    const [head, tail] = field.split('.') as [string, string | undefined];
    if (tail) out[head] = { ...((out[head] as object) ?? {}), [tail]: value };
    else out[head] = value;
  }
  return out;
}
