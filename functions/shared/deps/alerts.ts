import { alertClaims } from '../../data/alerts.ts';
import { documentClient } from '../../data/client.ts';
import { lazy, table } from '../deps-base.ts';

/** Alerts: claims (one post per alert and destination) and the digest's reads. */
export const alerts = /* @__PURE__ */ lazy(() => alertClaims(documentClient, table()));
