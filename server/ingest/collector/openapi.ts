// The capture API as an OpenAPI 3.1 document, built from the same zod schemas the collector
// validates with (so the file cannot drift from the code: openapi.test.ts compares the committed
// docs/openapi.json with this). `npm run tl -- openapi` rewrites the file.
import { z } from 'zod';
import { APP_ERROR_CODES } from '../../errors';
import {
  LIMITS,
  ZBatchRequest,
  ZEnvelopeEvent,
  ZEnvelopeIdentify,
  ZSegmentIdentify,
  ZSegmentPage,
  ZSegmentTrack,
} from './envelope';

type JsonSchema = Record<string, unknown>;

/** Input-side JSON Schema (unknown keys allowed, as the collector ignores them), no $schema. */
function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const ZError = z.object({
  error: z.object({
    code: z.enum(APP_ERROR_CODES),
    message: z.string().describe('What went wrong and what to do, for a human.'),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const ZRejection = z.object({
  index: z.int().min(0).describe('Position of the item in `batch` (0 for /capture, /identify).'),
  reason: z.string().describe('Which field is wrong and why, e.g. "timestamp: must be ISO 8601…".'),
});

const ZAccepted = z.object({
  accepted: z.int().min(0).describe('Items written to the durable log before this response.'),
  rejected: z.array(ZRejection).describe('Items that were not stored, each with its reason.'),
});

const ZAllRejected = ZError.extend({
  accepted: z.literal(0),
  rejected: z.array(ZRejection),
});

function errorResponse(description: string, retryAfter = false) {
  return {
    description,
    ...(retryAfter
      ? {
          headers: {
            'Retry-After': {
              description: 'Seconds to wait before retrying the same request.',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: { 'application/json': { schema: ref('Error') } },
  };
}

const COMMON_RESPONSES = {
  '200': {
    description:
      'At least one item was valid. Every accepted item is fsync’ed to the write-ahead log before this answer, so it will reach the lake even if the server is killed right after. Items in `rejected` were not stored.',
    content: { 'application/json': { schema: ref('Accepted') } },
  },
  '400': {
    description:
      'The body is not JSON, not a valid request, or no item in it is valid (then `rejected` lists every item with its reason). Nothing was stored.',
    content: {
      'application/json': { schema: { oneOf: [ref('Error'), ref('AllRejected')] } },
    },
  },
  '401': errorResponse('No ingestion key was sent.'),
  '403': errorResponse('The ingestion key is unknown or revoked.'),
  '413': errorResponse(
    `The body is larger than ${LIMITS.batchBytes / 1024 / 1024} MiB. Nothing was stored; send smaller batches.`,
  ),
  '429': errorResponse(
    'The workspace sends more events per second than its limit (TL_INGEST_RATE_LIMIT). Nothing was stored; retry after Retry-After.',
    true,
  ),
  '500': errorResponse('An unexpected server error. Nothing was stored; retry later.'),
  '503': errorResponse(
    'The server cannot accept data now (still starting, or the write-ahead log is over its limit because the lake writer is behind). Nothing was stored; retry after Retry-After.',
    true,
  ),
};

const SECURITY = [{ bearer: [] }, { segmentBasic: [] }];

export function buildOpenApiDocument(): JsonSchema {
  const batchRequest = schemaOf(ZBatchRequest);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telemetry Lakehouse capture API',
      version: '1',
      description: [
        'Send product events to a workspace. Authenticate with a workspace ingestion key (Admin → Ingestion keys): `Authorization: Bearer <key>`, or HTTP Basic with the key as the user name as Segment SDKs send their write key (an `api_key` / `writeKey` field in the body works too).',
        '',
        'Two payload shapes are accepted, item by item: the Telemetry Lakehouse envelope (snake_case, docs/ingestion.md) and Segment’s HTTP tracking API (camelCase track / page / identify), so Segment and RudderStack SDKs can send here by changing the endpoint. A `page` call becomes the event `page_viewed`.',
        '',
        `Limits: ${LIMITS.eventsPerBatch} items per batch, ${LIMITS.batchBytes / 1024 / 1024} MiB per request, ${LIMITS.propertiesBytes / 1024} KiB of properties per item. When \`sent_at\` (or \`sentAt\`) is given, event times are corrected for the client clock: ts = received_at − (sent_at − timestamp). Missing \`event_id\`s are assigned as UUIDv7.`,
      ].join('\n'),
    },
    servers: [{ url: 'http://localhost:3000', description: 'npm start (embedded mode)' }],
    security: SECURITY,
    paths: {
      '/api/v1/batch': {
        post: {
          operationId: 'batch',
          summary: 'Send up to 1,000 events and identifies in one request',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('BatchRequest') } },
          },
          responses: COMMON_RESPONSES,
        },
      },
      '/api/v1/capture': {
        post: {
          operationId: 'capture',
          summary: 'Send one event (our envelope, or a Segment track/page call)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [ref('EnvelopeEvent'), ref('SegmentTrack'), ref('SegmentPage')],
                },
              },
            },
          },
          responses: COMMON_RESPONSES,
        },
      },
      '/api/v1/identify': {
        post: {
          operationId: 'identify',
          summary: 'Attach traits to a user and link an anonymous id to them',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [ref('EnvelopeIdentify'), ref('SegmentIdentify')] },
              },
            },
          },
          responses: COMMON_RESPONSES,
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A workspace ingestion key.' },
        segmentBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'The ingestion key as the user name and an empty password (Segment SDKs).',
        },
      },
      schemas: {
        BatchRequest: {
          ...batchRequest,
          properties: {
            ...(batchRequest.properties as JsonSchema),
            batch: {
              type: 'array',
              minItems: 1,
              maxItems: LIMITS.eventsPerBatch,
              items: {
                oneOf: [
                  ref('EnvelopeEvent'),
                  ref('EnvelopeIdentify'),
                  ref('SegmentTrack'),
                  ref('SegmentPage'),
                  ref('SegmentIdentify'),
                ],
              },
            },
          },
        },
        EnvelopeEvent: {
          ...schemaOf(ZEnvelopeEvent),
          description: 'One event in our envelope. `user_id` or `anonymous_id` is required.',
        },
        EnvelopeIdentify: schemaOf(ZEnvelopeIdentify),
        SegmentTrack: schemaOf(ZSegmentTrack),
        SegmentPage: schemaOf(ZSegmentPage),
        SegmentIdentify: schemaOf(ZSegmentIdentify),
        Accepted: schemaOf(ZAccepted),
        AllRejected: schemaOf(ZAllRejected),
        Error: schemaOf(ZError),
      },
    },
  };
}

export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
