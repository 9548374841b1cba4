import { protectedProcedure, createTRPCRouter, workspaceProcedure } from '../trpc';
import {
  ZCreateWorkspaceRequestSchema,
  ZMeResponseSchema,
  ZWorkspaceSummarySchema,
} from '../schemas';
import { listWorkspacesForUser } from '../../auth/members';
import { createWorkspace } from '../../auth/workspaces';

export const meRouter = createTRPCRouter({
  get: protectedProcedure.output(ZMeResponseSchema).query(async ({ ctx }) => ({
    user: ctx.user,
    workspaces: await listWorkspacesForUser(ctx.runtime.prisma, ctx.user.id),
  })),
  workspace: workspaceProcedure('viewer')
    .output(ZWorkspaceSummarySchema)
    .query(({ ctx }) => ({ ...ctx.workspace, role: ctx.role })),
  createWorkspace: protectedProcedure
    .input(ZCreateWorkspaceRequestSchema)
    .output(ZWorkspaceSummarySchema)
    .mutation(({ ctx, input }) =>
      createWorkspace(
        ctx.runtime.prisma,
        { id: ctx.user.id, email: ctx.user.email, ip: ctx.clientIp },
        input,
      ),
    ),
});
