// Cohorts: saved, named user groups (behaviour and properties) that filter or break down any
// insight. Members read them and their sizes; analysts create, change and delete them. Thin: the
// work is in server/insights/cohort-service.ts.
import { z } from 'zod';
import { createTRPCRouter, workspaceProcedure } from '../trpc';
import {
  ZCohortFieldsSchema,
  ZCohortSchema,
  ZCohortSizeOverTimeOptions,
  ZCohortSizeOverTimeResponseSchema,
  ZCohortSizeResponseSchema,
} from '../../insights/cohort-service';

const viewerProcedure = workspaceProcedure('viewer');
const analystProcedure = workspaceProcedure('analyst');

const ZCohortId = z.string().min(1).max(100).describe('Id of the cohort');

export const ZCohortRequestSchema = z.object({ id: ZCohortId });
export type TCohortRequest = z.infer<typeof ZCohortRequestSchema>;
export const ZCohortCreateRequestSchema = ZCohortFieldsSchema;
export type TCohortCreateRequest = z.infer<typeof ZCohortCreateRequestSchema>;
export const ZCohortUpdateRequestSchema = ZCohortFieldsSchema.extend({ id: ZCohortId });
export type TCohortUpdateRequest = z.infer<typeof ZCohortUpdateRequestSchema>;
export const ZCohortSizeOverTimeRequestSchema = ZCohortSizeOverTimeOptions.and(
  z.object({ id: ZCohortId }),
);
export type TCohortSizeOverTimeRequest = z.infer<typeof ZCohortSizeOverTimeRequestSchema>;
export const ZCohortResponseSchema = ZCohortSchema;
export type TCohortResponse = z.infer<typeof ZCohortResponseSchema>;
export const ZCohortListResponseSchema = z.array(ZCohortSchema).describe('By name');
export const ZCohortDeleteResponseSchema = z.object({ id: z.string() });

export const cohortsRouter = createTRPCRouter({
  list: viewerProcedure
    .output(ZCohortListResponseSchema)
    .query(({ ctx }) => ctx.runtime.cohorts.list(ctx.workspace.id)),
  get: viewerProcedure
    .input(ZCohortRequestSchema)
    .output(ZCohortResponseSchema)
    .query(({ ctx, input }) => ctx.runtime.cohorts.get(ctx.workspace.id, input.id)),
  size: viewerProcedure
    .input(ZCohortRequestSchema)
    .output(ZCohortSizeResponseSchema)
    .query(({ ctx, input }) => ctx.runtime.cohorts.size(ctx.workspace.id, input.id)),
  sizeOverTime: viewerProcedure
    .input(ZCohortSizeOverTimeRequestSchema)
    .output(ZCohortSizeOverTimeResponseSchema)
    .query(({ ctx, input }) => ctx.runtime.cohorts.sizeOverTime(ctx.workspace.id, input.id, input)),
  create: analystProcedure
    .input(ZCohortCreateRequestSchema)
    .output(ZCohortResponseSchema)
    .mutation(({ ctx, input }) => ctx.runtime.cohorts.create(ctx.workspace.id, ctx.user.id, input)),
  update: analystProcedure
    .input(ZCohortUpdateRequestSchema)
    .output(ZCohortResponseSchema)
    .mutation(({ ctx, input: { id, ...fields } }) =>
      ctx.runtime.cohorts.update(ctx.workspace.id, id, fields),
    ),
  delete: analystProcedure
    .input(ZCohortRequestSchema)
    .output(ZCohortDeleteResponseSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.runtime.cohorts.delete(ctx.workspace.id, input.id);
      return { id: input.id };
    }),
});
