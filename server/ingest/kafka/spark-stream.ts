// The Spark Structured Streaming lake writer (pipelines/spark) as the app runs it: a child process
// `python -m tl_spark.job` on the project's .venv, in Spark's local mode or on the cluster named
// by SPARK_MASTER. It reads the same topic and writes the same Delta tables as the app's own
// Kafka lake writer, and commits to the same consumer group, so the two hand over: the runtime
// suspends its own writer before the job starts and resumes it when the job ends (stopped,
// finished or crashed — nothing is lost either way; the job's Delta writes are idempotent).
//
// The job appends a JSON line per state change and per micro-batch to
// <lake>/_spark/checkpoint/tl-progress.jsonl; this class tails it for Admin → Pipelines and
// Admin → System and hands each batch's commit to the same commit hooks (schema registry,
// bronze views) the app's writers run.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { childProcessEnv } from '../../config';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { FlushedSegment } from '../flusher';
import type { KafkaSettings } from './kafka-log';

const run = promisify(execFile);

export interface SparkBatch {
  batch_id: number;
  at: string;
  messages: number;
  skipped: number;
  events: number;
  identifies: number;
  dead_letters: number;
  replayed: boolean;
  offsets: Record<string, number>;
  delta_version: number | null;
  events_files: string[];
  duration_ms: number;
  events_per_s: number | null;
}

export interface SparkState {
  state: 'starting' | 'running' | 'stopped' | 'finished' | 'failed';
  at: string;
  error?: string;
  master?: string;
}

export interface SparkJobStatus {
  /** Installed here (PySpark in .venv, the jars in .tools): infra/local/spark.sh status. */
  installed: boolean;
  running: boolean;
  pid: number | null;
  master: string;
  startedAt: string | null;
  state: SparkState | null;
  lastBatch: SparkBatch | null;
  /** Batches and events since this app started the job. */
  batches: number;
  events: number;
  deadLetters: number;
  /** The last lines the job printed, for a failure. */
  logTail: string[];
  /** The latest micro-batches (oldest first), for a throughput sparkline. */
  recent: Pick<SparkBatch, 'batch_id' | 'at' | 'events' | 'duration_ms'>[];
}

export interface SparkStreamOptions {
  settings: KafkaSettings;
  projectRoot: string;
  lakeDir: string;
  dataDir: string;
  /** SPARK_MASTER; local[2] by default. */
  master: string;
  /** Micro-batch interval (Spark processing-time trigger), e.g. "5s". */
  trigger: string;
  logger: Logger;
}

export const progressFileOf = (lakeDir: string) =>
  path.join(lakeDir, '_spark', 'checkpoint', 'tl-progress.jsonl');

/** The batch and state lines of a progress file's text (pure; exported for tests). */
export function parseProgress(text: string): { batches: SparkBatch[]; states: SparkState[] } {
  const batches: SparkBatch[] = [];
  const states: SparkState[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed: { type?: string } & Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      continue; // a line being written
    }
    if (parsed.type === 'batch') batches.push(parsed as unknown as SparkBatch);
    else if (parsed.type === 'state') states.push(parsed as unknown as SparkState);
  }
  return { batches, states };
}

export class SparkStreamJob extends EventEmitter<{
  batch: [SparkBatch, FlushedSegment];
  exit: [number | null];
}> {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private startedAt: Date | undefined;
  private offset = 0;
  private poller: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastState: SparkState | null = null;
  private lastBatch: SparkBatch | null = null;
  private recent: SparkJobStatus['recent'] = [];
  private totals = { batches: 0, events: 0, deadLetters: 0 };
  private logTail: string[] = [];
  private installedCache: boolean | undefined;

  constructor(private readonly opts: SparkStreamOptions) {
    super();
  }

  get progressFile(): string {
    return progressFileOf(this.opts.lakeDir);
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async installed(): Promise<boolean> {
    if (this.installedCache) return true;
    const script = path.join(this.opts.projectRoot, 'infra', 'local', 'spark.sh');
    this.installedCache = await run(script, ['status'], { timeout: 60_000 }).then(
      () => true,
      () => false,
    );
    return this.installedCache;
  }

  async start(): Promise<void> {
    if (this.child) throw new AppError('CONFLICT', 'The Spark job is already running.');
    if (!(await this.installed()))
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'Spark is not installed here: run infra/local/spark.sh install (PySpark from PyPI, the Kafka and Delta jars from Maven Central), then start the job again.',
      );
    const { settings, projectRoot, lakeDir, dataDir } = this.opts;
    await mkdir(path.dirname(this.progressFile), { recursive: true });
    // Only this run's lines count: start reading at the file's current end.
    this.offset = existsSync(this.progressFile)
      ? (await readFile(this.progressFile)).byteLength
      : 0;
    this.totals = { batches: 0, events: 0, deadLetters: 0 };
    this.recent = [];
    this.lastState = null;
    this.logTail = [];
    await mkdir(path.join(dataDir, 'spark'), { recursive: true });
    const log = createWriteStream(path.join(dataDir, 'spark', 'job.log'), { flags: 'a' });
    const child = spawn(
      path.join(projectRoot, '.venv', 'bin', 'python'),
      [
        '-m',
        'tl_spark.job',
        '--brokers',
        settings.brokers.join(','),
        '--topic',
        settings.topic,
        '--group',
        settings.groupId,
        '--lake',
        lakeDir,
        '--master',
        this.opts.master,
        '--trigger',
        this.opts.trigger,
      ],
      {
        cwd: path.join(projectRoot, 'pipelines', 'spark'),
        // Only PATH, HOME, JAVA_HOME and the like: no secret of the server's reaches the job.
        env: childProcessEnv({
          PYTHONPATH: path.join(projectRoot, 'pipelines', 'spark'),
          // The job stops when this process dies, even by kill -9 (job.py: die_with_parent).
          TL_SPARK_DIE_WITH_PARENT: '1',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.startedAt = new Date();
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() && !line.startsWith('{"type"')) this.logTail.push(line.slice(0, 500));
      if (this.logTail.length > 40) this.logTail.splice(0, this.logTail.length - 40);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        void this.poll().finally(() => {
          clearInterval(this.poller);
          this.poller = undefined;
          this.child = undefined;
          log.end();
          if (code !== 0 && this.lastState?.state !== 'failed')
            this.lastState = {
              state: 'failed',
              at: new Date().toISOString(),
              error: `the job exited with code ${code}: ${this.logTail.slice(-3).join(' | ')}`,
            };
          this.opts.logger.info({ code }, 'spark job exited');
          this.emit('exit', code);
          resolve();
        });
      });
    });
    this.poller = setInterval(() => void this.poll(), 1000);
    this.opts.logger.info({ pid: child.pid, master: this.opts.master }, 'spark job started');
  }

  /** Reads the progress lines appended since the last poll (one poll at a time). */
  poll(): Promise<void> {
    this.polling ??= this.readNew().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async readNew(): Promise<void> {
    if (!existsSync(this.progressFile)) return;
    const fh = await open(this.progressFile, 'r');
    let text: string;
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      text = buf.toString('utf8');
      // Only whole lines: a line being written is read at the next poll.
      const end = text.lastIndexOf('\n') + 1;
      text = text.slice(0, end);
      this.offset += Buffer.byteLength(text);
    } finally {
      await fh.close();
    }
    const { batches, states } = parseProgress(text);
    if (states.length) this.lastState = states[states.length - 1]!;
    for (const b of batches) {
      this.lastBatch = b;
      this.recent.push({
        batch_id: b.batch_id,
        at: b.at,
        events: b.events,
        duration_ms: b.duration_ms,
      });
      if (this.recent.length > 30) this.recent.shift();
      this.totals.batches++;
      this.totals.events += b.replayed ? 0 : b.events;
      this.totals.deadLetters += b.dead_letters;
      const flushed: FlushedSegment = {
        segment: b.batch_id,
        events: b.events,
        identifies: b.identifies,
        events_status: b.replayed ? 'skipped' : 'written',
        events_files: b.events_files,
        seconds: b.duration_ms / 1000,
      };
      this.emit('batch', b, flushed);
    }
  }

  /** SIGTERM: the job stops its query and exits; SIGKILL after `graceMs`. */
  async stop(graceMs = 60_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async status(): Promise<SparkJobStatus> {
    await this.poll();
    return {
      installed: await this.installed(),
      running: this.running,
      pid: this.child?.pid ?? null,
      master: this.opts.master,
      startedAt: this.startedAt?.toISOString() ?? null,
      state: this.lastState,
      lastBatch: this.lastBatch,
      batches: this.totals.batches,
      events: this.totals.events,
      deadLetters: this.totals.deadLetters,
      logTail: this.logTail.slice(-10),
      recent: [...this.recent],
    };
  }
}
