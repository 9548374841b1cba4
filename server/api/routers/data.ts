// Data → Events: the schema registry (event names and their properties as received). Reading
// needs viewer; describing events and properties needs admin and is audited.
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import {
  ZDescriptionResponseSchema,
  ZEventGetRequestSchema,
  ZEventGetResponseSchema,
  ZEventListRequestSchema,
  ZEventListResponseSchema,
  ZUpdateEventDescriptionRequestSchema,
  ZUpdatePropertyDescriptionRequestSchema,
} from '../../catalog/schema-registry/registry-schemas';
import {
  getEvent,
  listEvents,
  updateEventDescription,
  updatePropertyDescription,
} from '../../catalog/schema-registry/registry-service';

const viewerProcedure = workspaceProcedure('viewer');
const adminProcedure = workspaceProcedure('admin');
const actorOf = (ctx: { user: { id: string; email: string }; clientIp: string | null }) => ({
  id: ctx.user.id,
  email: ctx.user.email,
  ip: ctx.clientIp,
});

export const dataRouter = createTRPCRouter({
  events: createTRPCRouter({
    list: viewerProcedure
      .input(ZEventListRequestSchema)
      .output(ZEventListResponseSchema)
      .query(({ ctx, input }) => listEvents(ctx.runtime.prisma, ctx.workspace.id, input)),
    get: viewerProcedure
      .input(ZEventGetRequestSchema)
      .output(ZEventGetResponseSchema)
      .query(({ ctx, input }) => getEvent(ctx.runtime.prisma, ctx.workspace.id, input.name)),
    updateDescription: adminProcedure
      .input(ZUpdateEventDescriptionRequestSchema)
      .output(ZDescriptionResponseSchema)
      .mutation(async ({ ctx, input }) => {
        const result = await updateEventDescription(
          ctx.runtime.prisma,
          ctx.workspace.id,
          actorOf(ctx),
          input,
        );
        ctx.runtime.ask.vocabularyChanged(ctx.workspace.id); // synonyms (ask-synonyms.ts)
        return result;
      }),
  }),
  properties: createTRPCRouter({
    updateDescription: adminProcedure
      .input(ZUpdatePropertyDescriptionRequestSchema)
      .output(ZDescriptionResponseSchema)
      .mutation(async ({ ctx, input }) => {
        const result = await updatePropertyDescription(
          ctx.runtime.prisma,
          ctx.workspace.id,
          actorOf(ctx),
          input,
        );
        ctx.runtime.ask.vocabularyChanged(ctx.workspace.id);
        return result;
      }),
  }),
});
