// Ask: plain-English questions about the workspace's data, answered by the offline planner with
// the plan, the SQL it compiled to, the rows, an explanation and the marts used; each member's
// conversations (only they see them) and their feedback. Every member may ask (the answer's SQL
// runs with the SQL editor's guardrails, scoped to the workspace's marts).
// Thin: the work is in server/ask/.
import { z } from 'zod';
import { ZAskPlan } from '../../ask/ask-plan';
import { MAX_QUESTION_CHARS } from '../../ask/ask-service';
import { createTRPCRouter, workspaceProcedure } from '../trpc';

const ZQuestion = z
  .string()
  .trim()
  .min(1, 'Type a question.')
  .max(MAX_QUESTION_CHARS, `A question has at most ${MAX_QUESTION_CHARS} characters.`);
const ZId = z.string().min(1).max(100);

export const ZAskInput = z.object({
  question: ZQuestion,
  /** The previous answer's plan, for a follow-up ("now only enterprise"). */
  context: ZAskPlan.optional(),
  /** The conversation to append to (the asker's own); a new one when absent. */
  conversationId: ZId.optional(),
});

export const ZAskFeedbackInput = z.object({
  messageId: ZId,
  rating: z.enum(['up', 'down']),
  /** With a thumbs down: the question as it should have been understood. */
  correction: z
    .string()
    .trim()
    .max(MAX_QUESTION_CHARS, `A correction has at most ${MAX_QUESTION_CHARS} characters.`)
    .optional(),
});

export const askRouter = createTRPCRouter({
  ask: workspaceProcedure('viewer')
    .input(ZAskInput)
    .mutation(({ ctx, input }) =>
      ctx.runtime.ask.askAndRecord(ctx.workspace.id, ctx.user.id, input.question, {
        context: input.context,
        conversationId: input.conversationId,
      }),
    ),
  feedback: workspaceProcedure('viewer')
    .input(ZAskFeedbackInput)
    .mutation(({ ctx, input }) => ctx.runtime.ask.feedback(ctx.workspace.id, ctx.user.id, input)),
  /** Saved insights and shared queries near a question (retrieval), shown beside its answer. */
  related: workspaceProcedure('viewer')
    .input(z.object({ question: ZQuestion }))
    .query(({ ctx, input }) => ctx.runtime.ask.related(ctx.workspace.id, input.question)),
  /** The planner and the retrieval in use (embedder, store, documents indexed). */
  status: workspaceProcedure('viewer').query(({ ctx }) => ctx.runtime.ask.status(ctx.workspace.id)),
  conversations: workspaceProcedure('viewer').query(({ ctx }) =>
    ctx.runtime.askHistory.list(ctx.workspace.id, ctx.user.id),
  ),
  conversation: workspaceProcedure('viewer')
    .input(z.object({ id: ZId }))
    .query(({ ctx, input }) => ctx.runtime.askHistory.get(ctx.workspace.id, ctx.user.id, input.id)),
  deleteConversation: workspaceProcedure('viewer')
    .input(z.object({ id: ZId }))
    .mutation(({ ctx, input }) =>
      ctx.runtime.askHistory.delete(ctx.workspace.id, ctx.user.id, input.id),
    ),
});
