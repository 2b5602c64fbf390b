import { eventBridgePublisher } from '../adapters/eventbridge-publisher.ts';
import { recordingTimeline } from '../core/timeline.ts';
import { alertClaims, digestStore } from '../data/alerts.ts';
import { documentClient } from '../data/client.ts';
import { timelineRepo } from '../data/timeline.ts';
import { envVar, lazy, table } from './deps-base.ts';

// The composition root's events part (functions/shared/deps.ts): the bus, the timeline, alerts.

/** Tend's events, on the bus in EVENT_BUS_NAME. */
export const eventBus = /* @__PURE__ */ lazy(() => eventBridgePublisher(envVar('EVENT_BUS_NAME')));
/** Accounts' timelines (entries written by the repositories and the publisher below). */
export const timeline = /* @__PURE__ */ lazy(() => timelineRepo(documentClient, table()));
export const events = /* @__PURE__ */ lazy(() => recordingTimeline(eventBus(), timeline()));
/** Alerts: claims (one post per alert and destination) and the digest's reads. */
export const alerts = /* @__PURE__ */ lazy(() => alertClaims(documentClient, table()));
export const digest = /* @__PURE__ */ lazy(() => digestStore(documentClient, table()));
