// Ask: plain-English questions about the workspace's data, answered by the offline planner with
// the plan, the SQL it compiled to, the rows, an explanation and the marts used. Every member may
// ask (the answer's SQL runs with the SQL editor's guardrails, scoped to the workspace's marts).
// Thin: the work is in server/ask/.
import { z } from 'zod';
import { ZAskPlan } from '../../ask/ask-plan';
import { MAX_QUESTION_CHARS } from '../../ask/ask-service';
import { createTRPCRouter, workspaceProcedure } from '../trpc';

export const ZAskInput = z.object({
  question: z
    .string()
    .trim()
    .min(1, 'Type a question.')
    .max(MAX_QUESTION_CHARS, `A question has at most ${MAX_QUESTION_CHARS} characters.`),
  /** The previous answer's plan, for a follow-up ("now only enterprise"). */
  context: ZAskPlan.optional(),
});

export const askRouter = createTRPCRouter({
  ask: workspaceProcedure('viewer')
    .input(ZAskInput)
    .mutation(({ ctx, input }) =>
      ctx.runtime.ask.ask(ctx.workspace.id, input.question, { context: input.context }),
    ),
});
