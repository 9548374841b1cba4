// dbt's structured log (`--log-format json`: one JSON object per line) turned into what the run
// page shows: a readable line, and progress (nodes done of total) from the start/result events.

export interface DbtLogEntry {
  /** When dbt wrote it (ISO 8601). */
  ts: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  /** The human message, as dbt prints it in text mode. */
  message: string;
  /** dbt's event name, e.g. LogModelResult. */
  event: string;
  /** Set on the events that finish a node: how far the run is. */
  progress?: { done: number; total: number };
  /** Set on node events. */
  node?: { uniqueId: string; status?: string };
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);
const RESULT_EVENTS = new Set([
  'LogModelResult',
  'LogTestResult',
  'LogSnapshotResult',
  'LogSeedResult',
  'LogNodeNoOpResult',
  'LogSkipBecauseError',
]);

interface RawLine {
  info?: { name?: string; level?: string; msg?: string; ts?: string };
  data?: {
    index?: number;
    total?: number;
    num_models?: number;
    node_info?: { unique_id?: string; node_status?: string };
  };
}

/** One line of dbt's stdout; a line that is not dbt JSON is kept as plain text. */
export function parseDbtLogLine(line: string, now = () => new Date().toISOString()): DbtLogEntry {
  let raw: RawLine;
  try {
    raw = JSON.parse(line) as RawLine;
  } catch {
    return { ts: now(), level: 'info', message: line, event: 'Text' };
  }
  const info = raw.info ?? {};
  const data = raw.data ?? {};
  const event = info.name ?? 'Unknown';
  const entry: DbtLogEntry = {
    ts: info.ts ?? now(),
    level: LEVELS.has(info.level ?? '') ? (info.level as DbtLogEntry['level']) : 'info',
    message: info.msg ?? '',
    event,
  };
  const nodeId = data.node_info?.unique_id;
  if (nodeId) entry.node = { uniqueId: nodeId, status: data.node_info?.node_status };
  const total = data.total ?? data.num_models;
  if (RESULT_EVENTS.has(event) && typeof data.index === 'number' && typeof total === 'number')
    entry.progress = { done: data.index, total };
  return entry;
}

/**
 * Progress over a whole run. dbt's `index` is the order nodes started in, and with more than one
 * thread they finish in another order, so the last result seen can say 150 of 151 when every
 * node is done. This counts the distinct nodes that finished instead.
 */
export class RunProgress {
  private readonly finished = new Set<string>();
  private anonymous = 0;
  private total = 0;

  /** Takes one log entry; returns the progress after it, or undefined if it finished no node. */
  add(entry: DbtLogEntry): { done: number; total: number } | undefined {
    if (!entry.progress) return undefined;
    this.total = Math.max(this.total, entry.progress.total);
    if (entry.node) this.finished.add(entry.node.uniqueId);
    else this.anonymous++;
    return { done: Math.min(this.finished.size + this.anonymous, this.total), total: this.total };
  }
}
