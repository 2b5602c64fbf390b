import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher } from '../core/ports.ts';

export const EVENT_SOURCE = 'tend';

/** Publishes Tend's events on its bus, 10 to a call (the PutEvents limit); a partial failure throws. */
export function eventBridgePublisher(busName: string): EventPublisher {
  // Made here, not at module scope, so a bundle that imports this module without calling it drops the client.
  const eventBridge = new EventBridgeClient({});
  return {
    async publish(events) {
      for (let i = 0; i < events.length; i += 10) {
        const out = await eventBridge.send(
          new PutEventsCommand({
            Entries: events.slice(i, i + 10).map((e) => ({
              EventBusName: busName,
              Source: EVENT_SOURCE,
              DetailType: e.type,
              Time: new Date(e.at),
              Resources: [],
              Detail: JSON.stringify({ accountId: e.accountId, at: e.at, ...e.detail }),
            })),
          }),
        );
        if (out.FailedEntryCount) throw new Error(`EventBridge refused ${out.FailedEntryCount} events: ${out.Entries?.find((x) => x.ErrorCode)?.ErrorMessage}`);
      }
    },
  };
}
