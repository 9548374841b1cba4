// Named request/response schemas of the data.* procedures (the schema registry). They live with
// the registry rather than in server/api/schemas.ts so the registry is one folder.
import { z } from 'zod';

const ZEventName = z.string().min(1).max(200).describe('Event name as sent, e.g. "feature_used"');
const ZPropertyName = z.string().min(1).max(1000).describe('Property key inside `properties`');
const ZDescription = z
  .string()
  .trim()
  .max(2000, 'Keep the description under 2,000 characters')
  .describe('What it means, for the people who analyse it; empty clears it');
const ZJsonType = z
  .enum(['string', 'number', 'boolean', 'object', 'array', 'null'])
  .describe('JSON type of the value');

export const ZEventListRequestSchema = z.object({
  search: z
    .string()
    .trim()
    .max(200)
    .default('')
    .describe('Only events whose name contains this (case-insensitive)'),
  sort: z
    .enum(['volume', 'lastSeen', 'name'])
    .default('volume')
    .describe('volume and lastSeen sort descending, name ascending'),
  limit: z.number().int().min(1).max(1000).default(500),
});
export type TEventListRequest = z.infer<typeof ZEventListRequestSchema>;

export const ZEventSummarySchema = z.object({
  name: ZEventName,
  description: z.string().nullable(),
  firstSeen: z.date().describe('Earliest event time seen'),
  lastSeen: z.date().describe('Latest event time seen'),
  volume: z.number().describe('Events received (a replay after a crash may count twice)'),
  propertyCount: z.number().int().describe('Distinct property keys seen'),
  hasTypeChange: z.boolean().describe('Some property was seen with more than one JSON type'),
});
export const ZEventListResponseSchema = z.array(ZEventSummarySchema);
export type TEventListResponse = z.infer<typeof ZEventListResponseSchema>;

export const ZEventGetRequestSchema = z.object({ name: ZEventName });
export type TEventGetRequest = z.infer<typeof ZEventGetRequestSchema>;

export const ZPropertySchema = z.object({
  name: ZPropertyName,
  type: ZJsonType.describe('Type of the latest value seen'),
  seenTypes: z.array(ZJsonType).describe('Every type seen, sorted'),
  flagged: z.boolean().describe('The property changed type (more than one seen type)'),
  examples: z.array(z.unknown()).describe('Up to 5 distinct short example values'),
  volume: z.number().describe('Events that carried the property'),
  firstSeen: z.date(),
  lastSeen: z.date(),
  description: z.string().nullable(),
});
export const ZEventGetResponseSchema = ZEventSummarySchema.omit({
  propertyCount: true,
  hasTypeChange: true,
}).extend({
  properties: z.array(ZPropertySchema).describe('Sorted by name'),
});
export type TEventGetResponse = z.infer<typeof ZEventGetResponseSchema>;

export const ZUpdateEventDescriptionRequestSchema = z.object({
  name: ZEventName,
  description: ZDescription,
});
export type TUpdateEventDescriptionRequest = z.infer<typeof ZUpdateEventDescriptionRequestSchema>;

export const ZUpdatePropertyDescriptionRequestSchema = z.object({
  eventName: ZEventName,
  name: ZPropertyName,
  description: ZDescription,
});
export type TUpdatePropertyDescriptionRequest = z.infer<
  typeof ZUpdatePropertyDescriptionRequestSchema
>;

export const ZDescriptionResponseSchema = z.object({
  description: z.string().nullable().describe('The stored description; null when cleared'),
});
export type TDescriptionResponse = z.infer<typeof ZDescriptionResponseSchema>;
