// Rejected events: stored with their reason (off the request path) so an admin can see what
// clients send wrong, fix it, and replay it through the same validation and durable path.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { Logger } from '../../logger';
import { AppError } from '../../errors';
import { recordAudit } from '../../audit/audit-log';
import type { IngestBus } from '../ingest-bus';
import type { IntakeLog } from '../intake';
import { normalizeBatch } from '../collector/normalize';

const MAX_PAYLOAD_CHARS = 32 * 1024;

function storable(payload: unknown): Prisma.InputJsonValue {
  let text: string;
  try {
    text = JSON.stringify(payload ?? null) ?? 'null';
  } catch {
    // Nested too deeply to serialise (the collector rejected it for that): keep the reason.
    return { truncated: true, preview: '(nested too deeply to store)' };
  }
  if (text.length <= MAX_PAYLOAD_CHARS) return (payload ?? null) as Prisma.InputJsonValue;
  return { truncated: true, preview: text.slice(0, MAX_PAYLOAD_CHARS) };
}

export function storeDeadLetters(bus: IngestBus, db: PrismaClient, logger: Logger): void {
  bus.on('rejected', (batch) => {
    void db.deadLetter
      .createMany({
        data: batch.items.map((item) => ({
          workspaceId: batch.workspaceId,
          source: batch.source,
          batchId: batch.batchId,
          itemIndex: item.index,
          reason: item.reason.slice(0, 2000),
          payload: storable(item.payload),
          receivedAt: batch.receivedAt,
        })),
      })
      .catch((error: unknown) => logger.error({ err: error }, 'could not store dead letters'));
  });
}

export async function listDeadLetters(
  db: PrismaClient,
  workspaceId: string,
  opts: { limit: number; cursor?: string; includeReplayed: boolean },
) {
  const rows = await db.deadLetter.findMany({
    where: { workspaceId, ...(opts.includeReplayed ? {} : { replayedAt: null }) },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: opts.limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
  });
  const total = await db.deadLetter.count({ where: { workspaceId, replayedAt: null } });
  return {
    entries: rows.slice(0, opts.limit),
    nextCursor: rows.length > opts.limit ? rows[opts.limit - 1]?.id : undefined,
    pending: total,
  };
}

/**
 * Re-validates a dead letter (optionally with a corrected payload); when it now passes, it is
 * appended to the write-ahead log like any accepted event and marked replayed.
 */
export async function replayDeadLetter(
  deps: { db: PrismaClient; wal: IntakeLog; bus: IngestBus },
  workspaceId: string,
  actor: { id: string; email: string; ip: string | null },
  input: { id: string; payload?: unknown },
): Promise<{ replayed: boolean; reason?: string }> {
  const letter = await deps.db.deadLetter.findFirst({ where: { id: input.id, workspaceId } });
  if (!letter) throw new AppError('NOT_FOUND', 'No dead letter with that id in this workspace.');
  if (letter.replayedAt) throw new AppError('CONFLICT', 'This event was already replayed.');
  const payload = input.payload ?? letter.payload;
  const batchId = randomUUID();
  const batch = normalizeBatch(
    { batch: [payload] },
    {
      workspaceId,
      receivedAt: new Date(),
      source: letter.source === 'batch' ? 'batch' : 'api',
      batchId,
    },
  );
  if (batch.rejected.length) return { replayed: false, reason: batch.rejected[0]?.reason };
  await deps.wal.append({ id: batchId, events: batch.events, identifies: batch.identifies });
  deps.bus.emit('accepted', {
    workspaceId,
    source: letter.source === 'batch' ? 'batch' : 'api',
    batchId,
    events: batch.events,
    identifies: batch.identifies,
  });
  await deps.db.deadLetter.update({
    where: { id: letter.id },
    data: { replayedAt: new Date(), payload: payload as Prisma.InputJsonValue },
  });
  await recordAudit(deps.db, {
    action: 'dead_letter.replayed',
    workspaceId,
    actorId: actor.id,
    actorEmail: actor.email,
    ipAddress: actor.ip,
    targetType: 'dead_letter',
    targetId: letter.id,
    details: { edited: input.payload !== undefined },
  });
  return { replayed: true };
}
