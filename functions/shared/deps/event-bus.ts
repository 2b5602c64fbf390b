import { eventBridgePublisher } from '../../adapters/eventbridge-publisher.ts';
import { envVar, lazy } from '../deps-base.ts';

/** Tend's events, on the bus in EVENT_BUS_NAME. */
export const eventBus = /* @__PURE__ */ lazy(() => eventBridgePublisher(envVar('EVENT_BUS_NAME')));
