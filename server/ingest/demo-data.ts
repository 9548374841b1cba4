// Loads the demo workspace with a generated Orbit dataset on the first start, in the background:
// the server answers while it runs, and getDemoDataStatus() tells the UI how far it is. Done once
// per data directory: <dataDir>/demo-data.json records the arguments and counts and is written
// only after the import finished. Not obvious — how a crash mid-import stays clean:
// - The arguments are fixed in <dataDir>/demo/arguments.json before generating, so a retry (even
//   on a later day) regenerates byte-identical files (the generator is deterministic, event ids
//   included) or reuses them when ground_truth.json, written last, says they are complete.
// - Batch ids are deterministic (`demo-<file>-<batch>`, batches never span files). A retry first
//   flushes what the log still holds (segments acknowledged before the crash), then skips every
//   batch id already in bronze, so each batch lands once — events and identifies alike.
// - If bronze is not queryable (no delta extension) nothing can be skipped; duplicates then share
//   event ids, and staging deduplicates by event_id.
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Runtime } from '../runtime';
import { EVENT_DESCRIPTIONS } from './generator/catalog';
import { generateDataset, OUTPUT_FILES } from './generator/generate';
import { GENERATE_DEFAULTS } from './generator/generate-options';
import { flushEverything, importFiles } from './import/import-files';

export type DemoDataState = 'idle' | 'generating' | 'importing' | 'done' | 'failed';

export interface DemoDataStatus {
  state: DemoDataState;
  /** 0..1 within the current state (generating, importing). */
  progress?: number;
  /** Events in the demo workspace once done. */
  events?: number;
  error?: string;
}

export interface DemoDataArguments {
  events: number;
  seed: number;
  days: number;
  endDate: string;
  /** ISO instant on endDate where the window stops: the moment of the first start. */
  endAt?: string;
}

export interface DemoDataMarker {
  workspaceId: string;
  workspaceSlug: string;
  arguments: DemoDataArguments;
  events: number;
  identifies: number;
  rejected: number;
  generateSeconds: number;
  importSeconds: number;
  loadedAt: string;
}

export const MARKER_FILE = 'demo-data.json';
export const DEMO_DIR = 'demo';
const ARGUMENTS_FILE = 'arguments.json';
export const DEMO_BATCH_PREFIX = 'demo';

// On globalThis: the Next.js route handlers that read the status run in another module graph.
const SLOT = Symbol.for('telemetry-lakehouse.demo-data');
interface Slot {
  status: DemoDataStatus;
  /** Test hook: a smaller dataset than the 200,000 events of a real first start. */
  events?: number;
}
function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  g[SLOT] ??= { status: { state: 'idle' } };
  return g[SLOT];
}

export function getDemoDataStatus(): DemoDataStatus {
  return { ...slot().status };
}

function setStatus(status: DemoDataStatus): void {
  slot().status = status;
}

/** For tests: how many events the next demo load generates (undefined = the default). */
export function setDemoDataEventCount(events: number | undefined): void {
  slot().events = events;
}

export interface DemoDataLoad {
  /** Settles when the load finished, failed or was stopped; never rejects. */
  done: Promise<DemoDataStatus>;
  /** Cancels a running load (server shutdown) and waits for it to let go of the log. */
  stop(): Promise<void>;
}

/** Starts the demo-data load in the background. */
export function startDemoData(runtime: Runtime, today = utcToday()): DemoDataLoad {
  const controller = new AbortController();
  const done = loadDemoData(runtime, today, controller.signal).then(
    () => getDemoDataStatus(),
    (error: unknown) => {
      if (controller.signal.aborted) {
        runtime.logger.info('demo data: stopped by shutdown; it resumes at the next start');
        setStatus({ state: 'idle' });
      } else {
        const message = error instanceof Error ? error.message : String(error);
        runtime.logger.error(
          { err: error },
          'demo data: loading failed; it is retried at the next start',
        );
        setStatus({ state: 'failed', error: message });
      }
      return getDemoDataStatus();
    },
  );
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Write-then-rename, so a crash never leaves a half-written file. */
async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}

export async function readDemoDataMarker(dataDir: string): Promise<DemoDataMarker | undefined> {
  return readJson<DemoDataMarker>(path.join(dataDir, MARKER_FILE));
}

/** Now, when `today` is the current UTC day (else the window keeps its whole last day). */
function todayEndsAt(today: string): string | undefined {
  const now = new Date();
  const midnight = Date.parse(`${today}T00:00:00Z`);
  return now.getTime() > midnight && now.getTime() < midnight + 86_400_000
    ? now.toISOString()
    : undefined;
}

async function loadDemoData(runtime: Runtime, today: string, signal: AbortSignal): Promise<void> {
  const { config, logger, prisma } = runtime;
  const workspace = await prisma.workspace.findUnique({
    where: { slug: config.demoWorkspaceSlug },
  });
  if (!workspace) {
    logger.info(
      { workspace: config.demoWorkspaceSlug },
      'demo data: the demo workspace does not exist; nothing to load',
    );
    setStatus({ state: 'idle' });
    return;
  }
  const marker = await readDemoDataMarker(config.dataDir);
  if (marker?.workspaceId === workspace.id) {
    setStatus({ state: 'done', progress: 1, events: marker.events });
    return;
  }

  const outDir = path.join(config.dataDir, DEMO_DIR);
  await mkdir(outDir, { recursive: true });
  const argumentsFile = path.join(outDir, ARGUMENTS_FILE);
  const args: DemoDataArguments = (await readJson<DemoDataArguments>(argumentsFile)) ?? {
    events: slot().events ?? GENERATE_DEFAULTS.events,
    seed: GENERATE_DEFAULTS.seed,
    days: GENERATE_DEFAULTS.days,
    endDate: today,
    endAt: todayEndsAt(today),
  };
  await writeJsonAtomic(argumentsFile, args);

  setStatus({ state: 'generating', progress: 0 });
  logger.info({ ...args, outDir }, 'demo data: generating…');
  const generateStarted = performance.now();
  const truth = await readJson<{ arguments?: Record<string, unknown> }>(
    path.join(outDir, OUTPUT_FILES.groundTruth),
  );
  const complete =
    truth?.arguments?.events === args.events &&
    truth.arguments.seed === args.seed &&
    truth.arguments.days === args.days &&
    truth.arguments.end_date === args.endDate &&
    truth.arguments.end_at === args.endAt;
  if (!complete) {
    await generateDataset(
      { ...args, endAtMs: args.endAt ? Date.parse(args.endAt) : undefined, outDir },
      {
        onProgress: (written, total) =>
          setStatus({ state: 'generating', progress: written / total }),
      },
    );
  }
  const generateSeconds = (performance.now() - generateStarted) / 1000;
  if (signal.aborted) throw new Error('stopped');

  setStatus({ state: 'importing', progress: 0 });
  // Segments acknowledged before a crash are replayed first, so bronze says what is already in.
  await flushEverything(runtime);
  const skipBatchIds = await demoBatchesInBronze(runtime, workspace.id);
  if (skipBatchIds.size)
    logger.info({ batches: skipBatchIds.size }, 'demo data: resuming an interrupted import');
  const result = await importFiles(runtime, {
    workspaceId: workspace.id,
    paths: [path.join(outDir, OUTPUT_FILES.events), path.join(outDir, OUTPUT_FILES.identifies)],
    batchIdPrefix: DEMO_BATCH_PREFIX,
    skipBatchIds,
    signal,
    onProgress: (p) => setStatus({ state: 'importing', progress: p.bytesRead / p.bytesTotal }),
  });

  await describeDemoEvents(runtime, workspace.id);

  // Totals from the generator: a resumed import only counts the batches it added.
  const counts = (
    await readJson<{ counts?: { events?: number; identifies?: number } }>(
      path.join(outDir, OUTPUT_FILES.groundTruth),
    )
  )?.counts;
  const done: DemoDataMarker = {
    workspaceId: workspace.id,
    workspaceSlug: workspace.slug,
    arguments: args,
    events: counts?.events ?? result.events,
    identifies: counts?.identifies ?? result.identifies,
    rejected: result.rejected,
    generateSeconds: round(generateSeconds),
    importSeconds: round(result.seconds),
    loadedAt: new Date().toISOString(),
  };
  await writeJsonAtomic(path.join(config.dataDir, MARKER_FILE), done);
  setStatus({ state: 'done', progress: 1, events: done.events });
  logger.info(
    {
      events: done.events,
      identifies: done.identifies,
      rejected: result.rejected,
      generateSeconds: done.generateSeconds,
      importSeconds: done.importSeconds,
      eventsPerSecond: result.eventsPerSecond,
    },
    `demo data: imported ${done.events} events in ${round(generateSeconds + result.seconds)} s`,
  );
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;

/**
 * Gives the demo's events their descriptions in the schema registry (flushing first, so every
 * event has its registry row); a description someone already wrote is kept.
 */
async function describeDemoEvents(runtime: Runtime, workspaceId: string): Promise<void> {
  await flushEverything(runtime);
  for (const [name, description] of Object.entries(EVENT_DESCRIPTIONS))
    await runtime.prisma.eventDefinition.updateMany({
      where: { workspaceId, name, description: null },
      data: { description },
    });
}

/** Demo batch ids already committed to bronze for this workspace (empty when not queryable). */
async function demoBatchesInBronze(runtime: Runtime, workspaceId: string): Promise<Set<string>> {
  const tables = await runtime.engine.execute(
    `select table_name from information_schema.tables where table_schema = 'bronze' and table_name in ('events', 'identifies')`,
  );
  const ids = new Set<string>();
  for (const [table] of tables.rows) {
    const found = await runtime.engine.execute(
      `select distinct ingest_batch_id from bronze.${table === 'events' ? 'events' : 'identifies'} where workspace_id = ? and starts_with(ingest_batch_id, ?)`,
      { params: [workspaceId, `${DEMO_BATCH_PREFIX}-`], maxRows: 10_000_000, timeoutMs: 600_000 },
    );
    for (const [id] of found.rows) ids.add(String(id));
  }
  return ids;
}
