// Admin → Ingestion overview: throughput per source, lag of the lake writer, events in bronze.
import type { Runtime } from '../../runtime';
import { getDemoDataStatus } from '../demo-data';

export async function ingestionOverview(runtime: Runtime, workspace: { id: string; slug: string }) {
  const workspaceId = workspace.id;
  const wal = runtime.wal.stats;
  let lakeEvents: number | null = null;
  let lastEventInLake: string | null = null;
  if (runtime.deltaAvailable) {
    try {
      const r = await runtime.engine.execute(
        'SELECT count(*) AS n, max(received_at) AS last FROM bronze.events WHERE workspace_id = $ws',
        { params: { ws: workspaceId }, timeoutMs: 10_000 },
      );
      lakeEvents = Number(r.rows[0]?.[0] ?? 0);
      lastEventInLake = (r.rows[0]?.[1] as string | null) ?? null;
    } catch {
      lakeEvents = 0; // no bronze table yet
    }
  }
  // From compaction_runs, so they survive restarts.
  const [lastCompaction, lastMerge, kafka] = await Promise.all([
    runtime.compactor.lastRun(),
    runtime.compactor.lastRunWithChanges(),
    kafkaState(runtime),
  ]);
  return {
    sources: runtime.ingestStats.snapshot(workspaceId),
    lag: {
      pendingSegments: wal.sealed + (wal.activeBytes > 0 ? 1 : 0),
      pendingBytes: wal.pendingBytes,
      lastFlushAt: runtime.flusher.lastFlushAt ?? null,
      lastError: runtime.flusher.lastError ?? null,
      flushIntervalMs: runtime.config.ingest.flushIntervalMs,
    },
    compaction: {
      enabled: runtime.config.compaction.intervalMs > 0,
      lastRunAt: lastCompaction?.finishedAt ?? null,
      lastError: lastCompaction?.error ?? null,
      lastMerge: lastMerge
        ? {
            at: lastMerge.finishedAt,
            filesRemoved: lastMerge.filesRemoved,
            filesAdded: lastMerge.filesAdded,
          }
        : null,
    },
    lake: {
      available: runtime.deltaAvailable,
      events: lakeEvents,
      lastReceivedAt: lastEventInLake,
    },
    /** Kafka mode only: the topic, the lake writer's consumer group and its lag per partition. */
    kafka,
    liveSubscribers: runtime.liveHub.subscriberCount,
    /** The first-start demo load, for the demo workspace only. */
    demoData:
      workspace.slug === runtime.config.demoWorkspaceSlug && runtime.config.demoData
        ? getDemoDataStatus()
        : null,
  };
}

async function kafkaState(runtime: Runtime) {
  const settings = runtime.config.ingest.kafka;
  if (!settings || !runtime.kafka) return null;
  const base = { brokers: settings.brokers, topic: settings.topic, groupId: settings.groupId };
  try {
    const partitions = await runtime.kafka.lag();
    return {
      ...base,
      ok: true as const,
      lag: partitions.reduce((sum, p) => sum + p.lag, 0),
      partitions,
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      ok: false as const,
      lag: null,
      partitions: [],
      error: (error as Error).message,
    };
  }
}
