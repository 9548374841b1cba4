// Named request/response schemas for the tRPC routers (Z…RequestSchema / Z…ResponseSchema).
import { z } from 'zod';
import { ZRole } from '../auth/roles';

export const ZWorkspaceSummarySchema = z.object({
  id: z.string(),
  slug: z.string().describe('URL slug of the workspace'),
  name: z.string(),
  role: ZRole,
});

export const ZMeResponseSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  workspaces: z
    .array(ZWorkspaceSummarySchema)
    .describe('Workspaces the user belongs to, oldest first'),
});

export const ZHealthResponseSchema = z.object({
  ok: z.boolean(),
  metadata: z.enum(['pglite', 'postgres']).describe('Which metadata store runs'),
  queryEngine: z.enum(['duckdb', 'trino']).describe('Which query engine runs the marts queries'),
  intake: z
    .enum(['wal', 'kafka'])
    .describe('Where acknowledged events wait for the lake: the write-ahead log or Kafka'),
  engine: z.object({ ok: z.boolean(), detail: z.string() }),
  startedAt: z.date(),
});

export const ZSystemPartsResponseSchema = z.array(
  z.object({
    part: z.string(),
    implementation: z.string(),
    mode: z.enum(['embedded', 'distributed', 'not available']),
    state: z.enum(['ok', 'degraded', 'down', 'off']),
    detail: z.string(),
    switch: z.string().nullable().describe('The environment variable that switches this part'),
  }),
);

export const ZUserIdRequestSchema = z.object({
  userId: z.string().min(1).max(100).describe('Id of the member'),
});
export const ZUpdateRoleRequestSchema = ZUserIdRequestSchema.extend({
  role: ZRole.describe('New role'),
});

export const ZMemberSchema = z.object({
  membershipId: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: ZRole,
  joinedAt: z.date(),
});

export const ZCreateInvitationRequestSchema = z.object({
  email: z.email('Enter a valid email address').max(320).describe('Who to invite'),
  role: ZRole.default('viewer').describe('Role they get on accepting'),
});
export const ZCreateInvitationResponseSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  expiresAt: z.date(),
  url: z.string().describe('Invitation link; shown once'),
});
export const ZIdRequestSchema = z.object({ id: z.string().min(1).max(100) });

export const ZInvitationTokenRequestSchema = z.object({
  token: z.string().min(20).max(200).describe('Token from the invitation link'),
});
export const ZAcceptInvitationRequestSchema = ZInvitationTokenRequestSchema.extend({
  name: z.string().trim().min(1, 'Enter your name').max(100),
  password: z.string().min(10, 'Use at least 10 characters').max(256),
});

export const ZCreateApiKeyRequestSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the key a name')
    .max(100)
    .describe('What the key is for, e.g. "web app"'),
});
export const ZCreateApiKeyResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  secret: z.string().describe('The key itself; shown once, stored only as a hash'),
  createdAt: z.date(),
});

export const ZAuditListRequestSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional().describe('Id of the last entry of the previous page'),
  action: z.string().max(100).optional().describe('Only actions starting with this, e.g. "auth."'),
});

export const ZCreateWorkspaceRequestSchema = z.object({
  name: z.string().trim().min(1, 'Give the workspace a name').max(100).describe('Display name'),
  slug: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
      'Use 1–40 lowercase letters, digits and dashes',
    )
    .describe('URL slug, e.g. "mobile-app"'),
});
