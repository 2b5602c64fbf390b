import { z } from 'zod';

/** Identifiers the API accepts: safe in keys, URLs and (hashed) execution names. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'letters, digits and . _ : @ - only, starting with a letter or digit');

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const contactSchema = z.object({
  id: idSchema.optional(),
  email: z.email(),
  name: z.string().min(1).max(200).optional(),
  role: z.enum(['champion', 'admin', 'executive-sponsor', 'user']).optional(),
  timezone: z.string().max(64).optional(),
});

export const accountUpsertSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  plan: z.string().min(1).max(64).optional(),
  arr: z.number().nonnegative().optional(),
  seats: z.number().int().positive().optional(),
  startDate: isoDate.optional(),
  renewalDate: isoDate.optional(),
  status: z.enum(['trial', 'active', 'churned']).optional(),
  paymentStatus: z.enum(['current', 'late', 'failed']).optional(),
  strategicImportance: z.enum(['low', 'medium', 'high']).optional(),
  csm: z.object({ name: z.string().min(1), email: z.email() }).optional(),
  primaryContact: contactSchema,
});

export const usageEventSchema = z.object({
  id: idSchema,
  accountId: idSchema,
  userId: idSchema,
  name: z.string().min(1).max(128),
  timestamp: z.iso.datetime({ offset: true }),
  /** `feature` names the product feature used; other properties are kept for later signals. */
  properties: z.record(z.string(), z.unknown()).optional(),
});

export const MAX_EVENTS_PER_BATCH = 500;
export const eventBatchSchema = z.object({
  events: z.array(usageEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});
