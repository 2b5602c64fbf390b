import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { CloudAssembly } from './assembly.ts';
import type { VirtualClock } from './clock.ts';
import type { LambdaHost } from './lambdas.ts';
import type { LocalStepFunctions } from './stepfunctions/runner.ts';

export interface BusEvent {
  id: string;
  bus: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: Record<string, unknown>;
}

interface LocalRule {
  name: string;
  bus: string;
  pattern: Record<string, unknown>;
  targets: string[];
}

/**
 * EventBridge's content filtering, for the forms rules here use: every key of the pattern must
 * match; a list matches any of its values; an object matches the event's object at that key;
 * `{ prefix }`, `{ "anything-but" }` and `{ exists }` are understood. Other operators are refused
 * when the rule is loaded rather than matched wrongly.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      return expected.some((alt) => {
        if (alt && typeof alt === 'object') {
          const op = alt as Record<string, unknown>;
          if ('prefix' in op) return typeof actual === 'string' && actual.startsWith(String(op.prefix));
          if ('anything-but' in op) return ![op['anything-but']].flat().includes(actual);
          if ('exists' in op) return (actual !== undefined) === op.exists;
          throw new Error(`event pattern operator ${Object.keys(op).join(',')} is not supported locally`);
        }
        return Array.isArray(actual) ? actual.includes(alt) : actual === alt;
      });
    }
    if (expected && typeof expected === 'object')
      return !!actual && typeof actual === 'object' && matchesPattern(expected as Record<string, unknown>, actual as Record<string, unknown>);
    throw new Error(`event pattern value for "${key}" must be a list or an object`);
  });
}

/** Events `log` keeps at least (it is trimmed to these once it holds twice as many). */
export const LOG_KEEP = 10_000;

/** EventBridge on this machine: PutEvents from the handlers' SDK, the rules of the template, their targets. */
export class LocalEventBridge {
  /**
   * The events put so far, oldest first: the newest LOG_KEEP at least (older ones are dropped, so a
   * simulated year does not keep every event in memory); `logged` counts them all, `observe` sees each.
   */
  readonly log: BusEvent[] = [];
  /** Events put since the start, dropped ones included. */
  logged = 0;
  private readonly observers = new Set<(event: BusEvent) => void>();
  readonly rules: LocalRule[] = [];

  constructor(
    assembly: CloudAssembly,
    private readonly lambdas: LambdaHost,
    private readonly sfn: LocalStepFunctions,
    private readonly clock: VirtualClock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    for (const { stack, logicalId, resource } of assembly.resources('AWS::Events::Rule')) {
      const p = assembly.resolve(stack, resource.Properties) as {
        EventBusName?: string;
        EventPattern?: Record<string, unknown>;
        State?: string;
        Targets?: { Arn: string }[];
      };
      if (p.State === 'DISABLED' || !p.EventPattern) continue;
      matchesPattern(p.EventPattern, {});
      this.rules.push({ name: logicalId, bus: p.EventBusName ?? 'default', pattern: p.EventPattern, targets: (p.Targets ?? []).map((t) => t.Arn) });
    }
  }

  put(entries: { EventBusName?: string; Source: string; DetailType: string; Detail: string }[]) {
    return entries.map((e) => {
      const event: BusEvent = {
        id: randomUUID(),
        bus: e.EventBusName ?? 'default',
        source: e.Source,
        'detail-type': e.DetailType,
        time: this.clock.now().toISOString(),
        detail: JSON.parse(e.Detail) as Record<string, unknown>,
      };
      this.log.push(event);
      this.logged++;
      if (this.log.length >= 2 * LOG_KEEP) this.log.splice(0, this.log.length - LOG_KEEP);
      for (const observe of this.observers) observe(event);
      for (const rule of this.rules) {
        if (rule.bus !== event.bus && !event.bus.endsWith(rule.bus)) continue;
        if (!matchesPattern(rule.pattern, event as unknown as Record<string, unknown>)) continue;
        for (const target of rule.targets) void this.deliver(target, event);
      }
      return { EventId: event.id };
    });
  }

  /** Calls `fn` with every event put from now on (a count over a long run, which `log` may no longer hold); returns the unsubscribe. */
  observe(fn: (event: BusEvent) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  private async deliver(target: string, event: BusEvent) {
    try {
      if (target.startsWith('arn:aws:lambda:')) await this.lambdas.invoke(target, event);
      else if (target.startsWith('arn:aws:states:')) this.sfn.start(target, randomUUID(), JSON.stringify(event));
      else throw new Error(`event target ${target} is not supported locally`);
    } catch (err) {
      this.onError(err);
    }
  }

  /** The EventBridge API (JSON 1.1): PutEvents. */
  api() {
    return async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (op !== 'PutEvents') {
        res.writeHead(400);
        return res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `${op} is not supported locally` }));
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: Parameters<LocalEventBridge['put']>[0] };
      res.writeHead(200);
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: this.put(body.Entries) }));
    };
  }
}
