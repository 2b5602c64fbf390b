import { recordingTimeline } from '../../core/timeline.ts';
import { lazy } from '../deps-base.ts';
import { eventBus } from './event-bus.ts';
import { timeline } from './timeline.ts';

export const events = /* @__PURE__ */ lazy(() => recordingTimeline(eventBus(), timeline()));
