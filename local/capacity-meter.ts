/**
 * Capacity metering of the local DynamoDB: every metered request asks dynalite for
 * `ReturnConsumedCapacity: TOTAL`, and the units are taken off the answer again when the caller
 * did not ask, so callers see what DynamoDB would have sent them.
 *
 * Units are dynalite's reckoning (item size in 1 KB write / 4 KB read steps, eventually consistent
 * reads at half): base-table units only, no GSI write units; a write refused by its condition
 * counts 1 WRU (DynamoDB charges at least that, and answers without a figure).
 */
export const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
export const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export interface Units {
  read: number;
  write: number;
}

/** The request body with `ReturnConsumedCapacity: TOTAL`, and whether the caller's answer must lose it. */
export function askForCapacity(body: string): { body: string; strip: boolean } {
  // The common case, without parsing: the SDK's body is a JSON object that did not ask.
  if (!body.includes('"ReturnConsumedCapacity"')) {
    const open = body.indexOf('{');
    const rest = body.slice(open + 1).trimStart();
    if (open >= 0 && rest.length > 0 && !rest.startsWith('}')) return { body: `{"ReturnConsumedCapacity":"TOTAL",${rest}`, strip: true };
  }
  const input = JSON.parse(body) as { ReturnConsumedCapacity?: string };
  if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') return { body, strip: false };
  return { body: JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }), strip: true };
}

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
const sum = (c: Consumed) => (Array.isArray(c) ? c : c ? [c] : []).reduce((n, x) => n + (x.CapacityUnits ?? 0), 0);

/**
 * The capacity units in a successful answer, and the answer as the caller asked for it. dynalite
 * puts ConsumedCapacity last: the tail is read without parsing the items before it (with a full
 * parse when the tail is not that).
 */
export function takeCapacity(body: string, strip: boolean): { units: number; body: string } {
  const at = body.lastIndexOf('"ConsumedCapacity":');
  if (at > 0 && (body[at - 1] === ',' || body[at - 1] === '{') && body.endsWith('}')) {
    try {
      const units = sum(JSON.parse(body.slice(at + '"ConsumedCapacity":'.length, -1)) as Consumed);
      if (!strip) return { units, body };
      return { units, body: body[at - 1] === ',' ? `${body.slice(0, at - 1)}}` : `${body.slice(0, at)}}` };
    } catch {
      // not the tail: parse it all below
    }
  }
  const output = JSON.parse(body) as { ConsumedCapacity?: Consumed };
  const units = sum(output.ConsumedCapacity);
  if (!strip || output.ConsumedCapacity === undefined) return { units, body };
  delete output.ConsumedCapacity;
  return { units, body: JSON.stringify(output) };
}
