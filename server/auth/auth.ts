// Better Auth: email + password, sessions in Postgres (via Prisma), sign-in rate limiting.
// Public sign-up is off: accounts are created by the first-start seed and by invitations
// (server/auth/users.ts). The client IP comes from x-tl-client-ip, which server/main.ts sets
// from the socket and overwrites on every request, so a client cannot spoof its way around
// the rate limit.
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { createAuthMiddleware } from 'better-auth/api';
import type { PrismaClient } from '../db/client';
import type { Logger } from '../logger';
import { recordAudit } from '../audit/audit-log';

export const CLIENT_IP_HEADER = 'x-tl-client-ip';
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7;
export const MIN_PASSWORD_LENGTH = 10;

export interface CreateAuthOptions {
  prisma: PrismaClient;
  secret: string;
  baseUrl: string;
  trustedOrigins: string[];
  loginRateLimitPerMinute: number;
  logger: Logger;
}

export function createAuth(opts: CreateAuthOptions) {
  const { prisma, logger } = opts;
  return betterAuth({
    appName: 'Telemetry Lakehouse',
    secret: opts.secret,
    baseURL: opts.baseUrl,
    basePath: '/api/auth',
    trustedOrigins: opts.trustedOrigins,
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 256,
    },
    session: {
      expiresIn: SESSION_TTL_SECONDS,
      updateAge: 60 * 60 * 24,
    },
    rateLimit: {
      enabled: true,
      storage: 'memory',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: opts.loginRateLimitPerMinute },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: opts.baseUrl.startsWith('https://'),
      cookiePrefix: 'tl',
    },
    logger: {
      log: (level, message) => {
        logger[level]({ component: 'auth' }, message);
      },
    },
    databaseHooks: {
      session: {
        create: {
          after: async (session) => {
            const user = await prisma.user.findUnique({
              where: { id: session.userId },
              select: { email: true },
            });
            await recordAudit(prisma, {
              action: 'auth.login',
              actorId: session.userId,
              actorEmail: user?.email ?? null,
              ipAddress: session.ipAddress ?? null,
            });
          },
        },
      },
    },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned;
        const failed = returned instanceof Error || (returned instanceof Response && !returned.ok);
        const ipAddress = ctx.request?.headers.get(CLIENT_IP_HEADER) ?? null;
        if (ctx.path === '/sign-in/email' && failed) {
          const body = (ctx.body ?? {}) as { email?: unknown };
          await recordAudit(prisma, {
            action: 'auth.login_failed',
            actorEmail:
              typeof body.email === 'string' ? body.email.slice(0, 320).toLowerCase() : null,
            ipAddress,
          });
        }
        const session = ctx.context.session;
        if (ctx.path === '/change-password' && session) {
          await recordAudit(prisma, {
            action: failed ? 'auth.password_change_failed' : 'auth.password_changed',
            actorId: session.user.id,
            actorEmail: session.user.email,
            ipAddress,
          });
        }
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
