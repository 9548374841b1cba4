// tRPC initialisation and the procedure variants. Authorisation happens here, inside every
// procedure, not in Next.js middleware (cf. CVE-2025-29927):
//   publicProcedure            anyone
//   protectedProcedure         a signed-in user
//   workspaceProcedure(role)   a member of the request's workspace with at least `role`
// AppError thrown by services is mapped to a tRPC code once, in `appErrors`; the error formatter
// keeps zod issues structured for forms and the AppError code for the UI.
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { isAppError, type AppErrorCode } from '../errors';
import { hasRole, type Role } from '../auth/roles';
import type { Context } from './context';

export interface Meta {
  /** Documented minimum access for the authorisation matrix test. */
  access?: 'public' | 'authenticated' | Role;
}

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  TIMEOUT: 'TIMEOUT',
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  QUERY_REJECTED: 'BAD_REQUEST',
  QUERY_FAILED: 'UNPROCESSABLE_CONTENT',
  ENGINE_BUSY: 'SERVICE_UNAVAILABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CONFIG_INVALID: 'INTERNAL_SERVER_ERROR',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (isAppError(error))
    return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Something went wrong on the server. It has been logged.',
    cause: error,
  });
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const zodIssues =
        cause instanceof ZodError
          ? cause.issues.map((i) => ({
              path: i.path.map(String),
              message: i.message,
              code: i.code,
            }))
          : undefined;
      const app = isAppError(cause) ? { code: cause.code, details: cause.details } : undefined;
      let message = shape.message;
      if (zodIssues)
        message = `Invalid input: ${zodIssues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
      if (error.code === 'INTERNAL_SERVER_ERROR' && !app)
        message = 'Something went wrong on the server. It has been logged.';
      return {
        ...shape,
        message,
        data: {
          ...shape.data,
          stack: undefined,
          zodIssues,
          appCode: app?.code,
          details: app?.details,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

const appErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    // tRPC's own errors (input validation, auth) keep their code; AppErrors and unexpected
    // errors thrown by services arrive wrapped as INTERNAL_SERVER_ERROR with the original as cause.
    const wrapped = result.error.code === 'INTERNAL_SERVER_ERROR' || isAppError(result.error.cause);
    const mapped = wrapped ? toTRPCError(result.error.cause ?? result.error) : result.error;
    if (mapped.code === 'INTERNAL_SERVER_ERROR')
      ctx.runtime.logger.error(
        { err: result.error.cause ?? result.error, path },
        'procedure failed',
      );
    return { ...result, error: mapped };
  }
  return result;
});

export const publicProcedure = t.procedure.use(appErrors).meta({ access: 'public' });

export const protectedProcedure = publicProcedure
  .meta({ access: 'authenticated' })
  .use(({ ctx, next }) => {
    if (!ctx.user)
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: 'Sign in to continue. Your session may have expired.',
      });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });

export function workspaceProcedure(minRole: Role) {
  return protectedProcedure.meta({ access: minRole }).use(async ({ ctx, next }) => {
    if (!ctx.workspaceSlug)
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: 'No workspace selected. Open a workspace and try again.',
      });
    const membership = await ctx.runtime.prisma.membership.findFirst({
      where: { userId: ctx.user.id, workspace: { slug: ctx.workspaceSlug } },
      select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
    });
    // Not a member and a missing workspace look the same, so slugs cannot be probed.
    if (!membership)
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `You are not a member of workspace "${ctx.workspaceSlug}". Ask one of its admins for an invitation.`,
      });
    if (!hasRole(membership.role, minRole)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This needs the ${minRole} role in "${membership.workspace.name}"; you are ${membership.role}. Ask a workspace admin to change your role.`,
      });
    }
    return next({ ctx: { ...ctx, workspace: membership.workspace, role: membership.role } });
  });
}
