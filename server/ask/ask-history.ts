// Ask history and feedback, stored in the app database: each member's conversations (only they
// see them), every question with the answer it got, thumbs up/down with an optional correction,
// and the examples feedback teaches (AskExample). Scoped by workspace and user on every read and
// write: another member's conversation, or one in another workspace, is NOT_FOUND, exactly like
// an id that does not exist.
import type { PrismaClient } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { AskResult } from './ask-service';

/** Rows of an answer kept in history (the table shows 50, the chart uses what is kept). */
export const HISTORY_MAX_ROWS = 1_000;
/** Conversations listed at most. */
export const HISTORY_LIST_LIMIT = 100;
const TITLE_CHARS = 80;

export interface AskConversationSummary {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  messageCount: number;
}

export interface AskHistoryMessage {
  id: string;
  question: string;
  result: AskResult;
  rating: 'up' | 'down' | null;
  correction: string | null;
  createdAt: Date;
}

export interface AskConversationView extends AskConversationSummary {
  messages: AskHistoryMessage[];
}

export interface AskExampleRow {
  id: string;
  question: string;
  answerAs: string;
  kind: 'up' | 'correction';
}

const conversationNotFound = () =>
  new AppError(
    'NOT_FOUND',
    'No such conversation in your Ask history. It may have been deleted; start a new one.',
  );
const messageNotFound = () =>
  new AppError('NOT_FOUND', 'No such answer in your Ask history. It may have been deleted.');

/** The first question, on one line and at most 80 characters. */
export function conversationTitle(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length <= TITLE_CHARS ? line : `${line.slice(0, TITLE_CHARS - 1).trimEnd()}…`;
}

/** The answer as stored: rows capped, everything else as the asker saw it. */
export function storedResult(result: AskResult): AskResult {
  if (result.refused || result.rows.length <= HISTORY_MAX_ROWS) return result;
  return { ...result, rows: result.rows.slice(0, HISTORY_MAX_ROWS), truncated: true };
}

/** JSON-safe: bigint cells (DuckDB's hugeint/ubigint) become numbers or strings. */
function jsonSafe(result: AskResult): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify(storedResult(result), (_k, v: unknown) =>
      typeof v === 'bigint'
        ? Number.isSafeInteger(Number(v))
          ? Number(v)
          : v.toString()
        : v instanceof Date
          ? v.toISOString()
          : v,
    ),
  ) as Prisma.InputJsonValue;
}

export class AskHistory {
  constructor(private readonly prisma: PrismaClient) {}

  /** Append a question and its answer to a conversation (a new one when none is given). */
  async record(
    workspaceId: string,
    userId: string,
    conversationId: string | undefined,
    result: AskResult,
  ): Promise<{ conversationId: string; messageId: string }> {
    // No interactive transaction: on embedded PGlite (one connection) one waiting behind the
    // retrieval indexer's reads timed out (P2028, "Unable to start a transaction in the given
    // time"). A new conversation and its first message are one nested write; appending checks
    // ownership with a scoped update first.
    const message = {
      question: result.question,
      refused: result.refused,
      result: jsonSafe(result),
    };
    if (!conversationId) {
      const created = await this.prisma.askConversation.create({
        data: {
          workspaceId,
          userId,
          title: conversationTitle(result.question),
          messages: { create: message },
        },
        select: { id: true, messages: { select: { id: true } } },
      });
      return { conversationId: created.id, messageId: created.messages[0]!.id };
    }
    const own = await this.prisma.askConversation.updateMany({
      where: { id: conversationId, workspaceId, userId },
      data: { updatedAt: new Date() },
    });
    if (own.count === 0) throw conversationNotFound();
    const created = await this.prisma.askMessage.create({
      data: { conversationId, ...message },
      select: { id: true },
    });
    return { conversationId, messageId: created.id };
  }

  async list(workspaceId: string, userId: string): Promise<AskConversationSummary[]> {
    const rows = await this.prisma.askConversation.findMany({
      where: { workspaceId, userId },
      orderBy: { updatedAt: 'desc' },
      take: HISTORY_LIST_LIMIT,
      select: {
        id: true,
        title: true,
        createdAt: true,
        updatedAt: true,
        _count: { select: { messages: true } },
      },
    });
    return rows.map(({ _count, ...r }) => ({ ...r, messageCount: _count.messages }));
  }

  async get(workspaceId: string, userId: string, id: string): Promise<AskConversationView> {
    const row = await this.prisma.askConversation.findFirst({
      where: { id, workspaceId, userId },
      select: {
        id: true,
        title: true,
        createdAt: true,
        updatedAt: true,
        messages: {
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            question: true,
            result: true,
            rating: true,
            correction: true,
            createdAt: true,
          },
        },
      },
    });
    if (!row) throw conversationNotFound();
    return {
      id: row.id,
      title: row.title,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      messageCount: row.messages.length,
      messages: row.messages.map((m) => ({
        ...m,
        // Written by record() from a validated AskResult.
        result: m.result as unknown as AskResult,
        rating: m.rating === 'up' || m.rating === 'down' ? m.rating : null,
      })),
    };
  }

  async delete(workspaceId: string, userId: string, id: string): Promise<void> {
    const gone = await this.prisma.askConversation.deleteMany({
      where: { id, workspaceId, userId },
    });
    if (gone.count === 0) throw conversationNotFound();
  }

  /** The asker's own message (NOT_FOUND for anyone else's). */
  async message(
    workspaceId: string,
    userId: string,
    messageId: string,
  ): Promise<{ id: string; question: string; refused: boolean }> {
    const row = await this.prisma.askMessage.findFirst({
      where: { id: messageId, conversation: { workspaceId, userId } },
      select: { id: true, question: true, refused: true },
    });
    if (!row) throw messageNotFound();
    return row;
  }

  /**
   * Store a rating. Thumbs up on an answer makes its question an example of a good answer;
   * thumbs down removes that, and with a correction (already checked to be answerable) makes the
   * question an example answered as the correction. The latest feedback on a question wins.
   */
  async rate(
    workspaceId: string,
    userId: string,
    messageId: string,
    rating: 'up' | 'down',
    correction?: string,
  ): Promise<void> {
    const message = await this.message(workspaceId, userId, messageId);
    const key = { workspaceId_question: { workspaceId, question: message.question } };
    const example = { messageId, createdById: userId };
    // A batch (one round trip, atomic), not an interactive transaction (see record()).
    const writes: Prisma.PrismaPromise<unknown>[] = [
      this.prisma.askMessage.update({
        where: { id: message.id },
        data: { rating, correction: correction ?? null, ratedAt: new Date() },
      }),
      ...(rating === 'up' && !message.refused
        ? [
            this.prisma.askExample.upsert({
              where: key,
              create: {
                workspaceId,
                question: message.question,
                answerAs: message.question,
                kind: 'up',
                ...example,
              },
              update: { answerAs: message.question, kind: 'up', ...example },
            }),
          ]
        : rating === 'down' && correction
          ? [
              this.prisma.askExample.upsert({
                where: key,
                create: {
                  workspaceId,
                  question: message.question,
                  answerAs: correction,
                  kind: 'correction',
                  ...example,
                },
                update: { answerAs: correction, kind: 'correction', ...example },
              }),
            ]
          : rating === 'down'
            ? [
                this.prisma.askExample.deleteMany({
                  where: { workspaceId, question: message.question },
                }),
              ]
            : []),
    ];
    await this.prisma.$transaction(writes);
  }

  /** The workspace's examples, newest first. */
  async examples(workspaceId: string): Promise<AskExampleRow[]> {
    const rows = await this.prisma.askExample.findMany({
      where: { workspaceId },
      orderBy: { createdAt: 'desc' },
      take: 5_000,
      select: { id: true, question: true, answerAs: true, kind: true },
    });
    return rows.map((r) => ({ ...r, kind: r.kind === 'correction' ? 'correction' : 'up' }));
  }
}
