import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher } from '../core/ports.ts';
import { correlationId } from '../shared/correlation.ts';
import { traced } from '../shared/tracer.ts';

export const EVENT_SOURCE = 'tend';

/**
 * Publishes Tend's events on its bus, 10 to a call (the PutEvents limit); a partial failure throws.
 * Each carries the correlation id of the request or run that caused it (`detail.correlationId`),
 * which the play trigger hands on to the runs it starts.
 */
export function eventBridgePublisher(busName: string): EventPublisher {
  // Made here, not at module scope, so a bundle that imports this module without calling it drops the client.
  const eventBridge = traced(new EventBridgeClient({}));
  return {
    async publish(events) {
      const correlation = correlationId();
      for (let i = 0; i < events.length; i += 10) {
        const out = await eventBridge.send(
          new PutEventsCommand({
            Entries: events.slice(i, i + 10).map((e) => ({
              EventBusName: busName,
              Source: EVENT_SOURCE,
              DetailType: e.type,
              Time: new Date(e.at),
              Resources: [],
              Detail: JSON.stringify({ accountId: e.accountId, at: e.at, ...e.detail, ...(correlation ? { correlationId: correlation } : {}) }),
            })),
          }),
        );
        if (out.FailedEntryCount) throw new Error(`EventBridge refused ${out.FailedEntryCount} events: ${out.Entries?.find((x) => x.ErrorCode)?.ErrorMessage}`);
      }
    },
  };
}
