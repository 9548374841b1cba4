// Workspace administration: members and roles, invitations, ingestion keys, audit log.
// Every procedure needs the admin role of the request's workspace.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import {
  ZAuditListRequestSchema,
  ZCreateApiKeyRequestSchema,
  ZCreateApiKeyResponseSchema,
  ZCreateInvitationRequestSchema,
  ZCreateInvitationResponseSchema,
  ZIdRequestSchema,
  ZMemberSchema,
  ZUpdateRoleRequestSchema,
  ZUserIdRequestSchema,
} from '../schemas';
import { listMembers, removeMember, updateMemberRole } from '../../auth/members';
import { createInvitation, listInvitations, revokeInvitation } from '../../auth/invitations';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys';
import { listAuditEntries } from '../../audit/audit-query';

const adminProcedure = workspaceProcedure('admin');
const actorOf = (ctx: { user: { id: string; email: string }; clientIp: string | null }) => ({
  id: ctx.user.id,
  email: ctx.user.email,
  ip: ctx.clientIp,
});

export const adminRouter = createTRPCRouter({
  members: createTRPCRouter({
    list: adminProcedure
      .output(z.array(ZMemberSchema))
      .query(({ ctx }) => listMembers(ctx.runtime.prisma, ctx.workspace.id)),
    updateRole: adminProcedure
      .input(ZUpdateRoleRequestSchema)
      .mutation(({ ctx, input }) =>
        updateMemberRole(
          ctx.runtime.prisma,
          ctx.workspace.id,
          actorOf(ctx),
          input.userId,
          input.role,
        ),
      ),
    remove: adminProcedure
      .input(ZUserIdRequestSchema)
      .mutation(({ ctx, input }) =>
        removeMember(ctx.runtime.prisma, ctx.workspace.id, actorOf(ctx), input.userId),
      ),
  }),
  invitations: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listInvitations(ctx.runtime.prisma, ctx.workspace.id)),
    create: adminProcedure
      .input(ZCreateInvitationRequestSchema)
      .output(ZCreateInvitationResponseSchema)
      .mutation(({ ctx, input }) =>
        createInvitation(
          ctx.runtime.prisma,
          ctx.workspace.id,
          actorOf(ctx),
          input,
          ctx.runtime.config.baseUrl,
        ),
      ),
    revoke: adminProcedure
      .input(ZIdRequestSchema)
      .mutation(({ ctx, input }) =>
        revokeInvitation(ctx.runtime.prisma, ctx.workspace.id, actorOf(ctx), input.id),
      ),
  }),
  apiKeys: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listApiKeys(ctx.runtime.prisma, ctx.workspace.id)),
    create: adminProcedure
      .input(ZCreateApiKeyRequestSchema)
      .output(ZCreateApiKeyResponseSchema)
      .mutation(({ ctx, input }) =>
        createApiKey(ctx.runtime.prisma, ctx.workspace.id, actorOf(ctx), input.name),
      ),
    revoke: adminProcedure
      .input(ZIdRequestSchema)
      .mutation(({ ctx, input }) =>
        revokeApiKey(ctx.runtime.prisma, ctx.workspace.id, actorOf(ctx), input.id),
      ),
  }),
  audit: createTRPCRouter({
    list: adminProcedure
      .input(ZAuditListRequestSchema)
      .query(({ ctx, input }) => listAuditEntries(ctx.runtime.prisma, ctx.workspace.id, input)),
  }),
});
