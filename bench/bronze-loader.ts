// The benches' direct loader for data sets too large for the import path (100M events would
// spend ~2.5 h in validation, the WAL and per-segment commits before the first measurement).
// The data set is generated in parts of at most `partEvents` events (each part continues with
// the next simulated user, so the parts together are one population: server/ingest/generator),
// and each part goes into bronze in one Delta commit per table by bench/load_bronze.py, then into
// the schema registry from the Parquet files that commit added — what the collector's commit
// hook does per segment. A part's NDJSON is deleted once loaded, so the disk holds one at a time.
// bench/bronze-loader.integration.test.ts checks that bronze and the registry end up as the
// import path leaves them.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { SegmentAggregator } from '../server/catalog/schema-registry/aggregate-segment';
import { upsertRegistry } from '../server/catalog/schema-registry/update-registry';
import { generateDataset } from '../server/ingest/generator/generate';
import { refreshBronzeViews } from '../server/lake/lake';
import type { Runtime } from '../server/runtime';

const run = promisify(execFile);

export const LOADER_PART_EVENTS = 10_000_000;

export interface DirectLoadOptions {
  workspaceId: string;
  events: number;
  seed: number;
  days: number;
  endDate: string;
  /** Where each part is generated (and deleted after loading). */
  workDir: string;
  partEvents?: number;
  /** Keep the generated parts (tests compare them with the import path). */
  keepParts?: boolean;
  log?: (line: string) => void;
}

export interface LoadedPart {
  dir: string;
  events: number;
  identifies: number;
  seconds: number;
}

interface LoaderAnswer {
  events: number;
  identifies: number;
  events_files: string[];
  seconds: number;
}

/** Generates and loads `events` events into the runtime's bronze tables and schema registry. */
export async function loadBronzeDirect(
  runtime: Runtime,
  opts: DirectLoadOptions,
): Promise<LoadedPart[]> {
  const partEvents = opts.partEvents ?? LOADER_PART_EVENTS;
  const parts = Math.ceil(opts.events / partEvents);
  // A part's registry aggregation (millions of rows; 1 GB is too little) runs while the next
  // part is generated.
  const aggregator = await SegmentAggregator.open([runtime.lake.events], {
    threads: 2,
    memoryLimit: '8GB',
  });
  const loaded: LoadedPart[] = [];
  let registering: Promise<void> = Promise.resolve();
  try {
    let firstUser = 0;
    for (let part = 0; part < parts; part++) {
      const events = Math.min(partEvents, opts.events - part * partEvents);
      const dir = path.join(opts.workDir, `part-${part}`);
      const started = performance.now();
      opts.log?.(`part ${part + 1}/${parts}: generating ${events.toLocaleString('en-US')} events…`);
      const generated = await generateDataset({
        events,
        seed: opts.seed,
        days: opts.days,
        endDate: opts.endDate,
        firstUser,
        outDir: dir,
      });
      firstUser = generated.nextUser;
      await registering;
      opts.log?.(`part ${part + 1}/${parts}: writing bronze…`);
      const request = {
        events: path.join(dir, 'events.ndjson'),
        identifies: path.join(dir, 'identifies.ndjson'),
        events_table: runtime.lake.events,
        identifies_table: runtime.lake.identifies,
        workspace_id: opts.workspaceId,
        batch_id: uuidv7(),
        received_at: new Date().toISOString(),
        part,
      };
      const { stdout } = await run(
        path.join(runtime.config.projectRoot, '.venv', 'bin', 'python'),
        [path.join(runtime.config.projectRoot, 'bench', 'load_bronze.py'), JSON.stringify(request)],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      const answer = JSON.parse(stdout) as LoaderAnswer;
      if (answer.events !== generated.events || answer.identifies !== generated.identifies) {
        throw new Error(
          `part ${part}: bronze got ${answer.events} events and ${answer.identifies} identifies, ` +
            `the generator wrote ${generated.events} and ${generated.identifies}`,
        );
      }
      loaded.push({
        dir,
        events: answer.events,
        identifies: answer.identifies,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      });
      const files = answer.events_files.map((f) => path.join(runtime.lake.events, f));
      registering = (async () => {
        await upsertRegistry(
          runtime.prisma,
          await aggregator.aggregate({ kind: 'parquet', files }),
        );
        if (!opts.keepParts) await rm(dir, { recursive: true, force: true });
        opts.log?.(`part ${part + 1}/${parts}: in the schema registry`);
      })();
      // Reported when awaited; unhandled until then otherwise.
      registering.catch(() => undefined);
    }
    await registering;
  } finally {
    await registering.catch(() => undefined);
    aggregator.close();
  }
  await refreshBronzeViews(runtime.engine, runtime.lake);
  return loaded;
}
