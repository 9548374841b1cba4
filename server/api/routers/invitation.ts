// Public side of invitations: look at a link, accept it with a new or the signed-in account.
import { z } from 'zod';
import { createTRPCRouter, protectedProcedure, publicProcedure } from '../trpc';
import { ZAcceptInvitationRequestSchema, ZInvitationTokenRequestSchema } from '../schemas';
import { ZRole } from '../../auth/roles';
import {
  acceptInvitationAsUser,
  acceptInvitationWithNewAccount,
  inspectInvitation,
} from '../../auth/invitations';

const ZAcceptResponseSchema = z.object({ email: z.string(), workspaceSlug: z.string() });

export const invitationRouter = createTRPCRouter({
  inspect: publicProcedure
    .input(ZInvitationTokenRequestSchema)
    .output(
      z.object({
        email: z.string(),
        role: ZRole,
        workspaceName: z.string(),
        workspaceSlug: z.string(),
        expiresAt: z.date(),
        accountExists: z.boolean(),
      }),
    )
    .query(({ ctx, input }) => inspectInvitation(ctx.runtime.prisma, input.token)),
  accept: publicProcedure
    .input(ZAcceptInvitationRequestSchema)
    .output(ZAcceptResponseSchema)
    .mutation(({ ctx, input }) =>
      acceptInvitationWithNewAccount(ctx.runtime.prisma, ctx.runtime.auth, input, ctx.clientIp),
    ),
  acceptAsCurrentUser: protectedProcedure
    .input(ZInvitationTokenRequestSchema)
    .output(ZAcceptResponseSchema)
    .mutation(({ ctx, input }) =>
      acceptInvitationAsUser(ctx.runtime.prisma, input.token, ctx.user, ctx.clientIp),
    ),
});
