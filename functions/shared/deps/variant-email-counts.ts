import { documentClient } from '../../data/client.ts';
import { variantCounts } from '../../data/variant-counts.ts';
import { lazy, table } from '../deps-base.ts';

export const variantEmailCounts = /* @__PURE__ */ lazy(() => variantCounts(documentClient, table()));
