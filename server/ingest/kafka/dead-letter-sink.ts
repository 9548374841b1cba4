// Kafka mode: what the lake writers put on the dead-letter topic reaches Admin → Ingestion's
// dead-letter list too. The collector's own rejections are stored there when they happen (and
// also sent to the topic); the rows a lake writer could not write — the Spark job's invalid rows,
// and messages that are not intake records at all — exist only on the topic. This consumer (its
// own group, `<KAFKA_GROUP_ID>.dead-letters`) stores those with their reason, in the workspace
// the row names, as an envelope the admin can correct and replay. A message that names no known
// workspace cannot be shown to anyone's admin: it is counted and logged, and stays on the topic.
import type { Consumer, EachBatchPayload, IHeaders } from 'kafkajs';
import type { PrismaClient } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { Logger } from '../../logger';
import { CONTEXT_FIELDS } from '../collector/envelope';
import { deadLetterTopic, kafkaClient, type KafkaSettings } from './kafka-log';

export interface LakeDeadLetter {
  workspaceId: string | null;
  reason: string;
  /** The row as the collector's envelope (track or identify), or the raw value. */
  payload: Prisma.InputJsonValue;
  /** topic:partition:offset of the message on the events topic. */
  batchId: string;
  receivedAt: Date;
}

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const v = headers?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : one.toString();
};

function jsonObjectOr(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : text;
  } catch {
    return text;
  }
}

/** A bronze row (all fields text) back into the collector's envelope, for a replay. */
export function envelopeOf(row: Record<string, unknown>): Record<string, unknown> {
  const keep = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
  if (row.event === undefined && row.traits !== undefined)
    return keep({
      type: 'identify',
      user_id: row.user_id,
      anonymous_id: row.anonymous_id,
      timestamp: row.ts,
      traits: jsonObjectOr(row.traits),
    });
  const context = keep(Object.fromEntries(CONTEXT_FIELDS.map((k) => [k, row[k]])));
  return keep({
    event_id: row.event_id,
    event: row.event,
    user_id: row.user_id,
    anonymous_id: row.anonymous_id,
    session_id: row.session_id,
    timestamp: row.ts,
    properties: jsonObjectOr(row.properties),
    context: Object.keys(context).length ? context : undefined,
  });
}

/**
 * A dead-letter message → what to store (pure; exported for tests), or null for the collector's
 * own rejections (stored when they happened; they carry no source offset).
 */
export function lakeDeadLetter(
  topic: string,
  message: { value: Buffer | null; headers?: IHeaders; timestamp: string },
): LakeDeadLetter | null {
  const partition = header(message.headers, 'source_partition');
  const offset = header(message.headers, 'source_offset');
  if (partition === undefined || offset === undefined) return null;
  const text = message.value?.toString('utf8') ?? '';
  const reason =
    header(message.headers, 'reason') ??
    'not an intake record: the value must be JSON {id, events: [...], identifies: [...]}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const row =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  const workspaceId = typeof row?.workspace_id === 'string' ? row.workspace_id : null;
  return {
    workspaceId,
    reason: reason.slice(0, 2000),
    payload: (row && workspaceId
      ? envelopeOf(row)
      : { raw: text.slice(0, 32 * 1024) }) as Prisma.InputJsonValue,
    batchId: `${topic}:${partition}:${offset}`,
    receivedAt: new Date(Number(message.timestamp) || Date.now()),
  };
}

export class DeadLetterSink {
  private consumer: Consumer | undefined;
  readonly stats = { stored: 0, unattributed: 0 };

  constructor(
    private readonly opts: { settings: KafkaSettings; prisma: PrismaClient; logger: Logger },
  ) {}

  async start(): Promise<void> {
    const { settings, logger } = this.opts;
    const consumer = kafkaClient(settings, logger, '-dead-letters').consumer({
      groupId: `${settings.groupId}.dead-letters`,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, retries: 1_000_000, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(settings), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload, consumer),
    });
  }

  private async onBatch({ batch, resolveOffset }: EachBatchPayload, consumer: Consumer) {
    if (batch.messages.length === 0) return;
    const letters = batch.messages
      .map((m) => lakeDeadLetter(this.opts.settings.topic, m))
      .filter((l): l is LakeDeadLetter => l !== null);
    const named = [...new Set(letters.map((l) => l.workspaceId).filter((w) => w !== null))];
    const known = new Set(
      (
        await this.opts.prisma.workspace.findMany({
          where: { id: { in: named } },
          select: { id: true },
        })
      ).map((w) => w.id),
    );
    const stored = letters.filter((l) => l.workspaceId !== null && known.has(l.workspaceId));
    if (stored.length)
      await this.opts.prisma.deadLetter.createMany({
        data: stored.map((l) => ({
          workspaceId: l.workspaceId!,
          source: 'kafka',
          batchId: l.batchId,
          itemIndex: null,
          reason: l.reason,
          payload: l.payload,
          receivedAt: l.receivedAt,
        })),
      });
    const unattributed = letters.length - stored.length;
    if (unattributed)
      this.opts.logger.warn(
        { count: unattributed, examples: letters.filter((l) => !stored.includes(l)).slice(0, 3) },
        'dead letters that name no workspace: left on the dead-letter topic only',
      );
    this.stats.stored += stored.length;
    this.stats.unattributed += unattributed;
    const last = batch.lastOffset();
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: String(Number(last) + 1) },
    ]);
    resolveOffset(last);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }
}
