// dbt's run_results.json (schema v6) summarised for run history: one row per node with its
// status, time and message; failing nodes keep their compiled SQL so the run page can show
// what failed and why.

export type NodeStatus =
  'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'runtime error' | 'no-op';

export interface NodeResult {
  uniqueId: string;
  /** model | test | snapshot | seed | … (from the unique id). */
  resourceType: string;
  name: string;
  status: string;
  seconds: number;
  message: string | null;
  /** Failing rows of a test. */
  failures: number | null;
  /** Rows written (filled in by the runner for marts). */
  rows?: number | null;
  /** Only for failed nodes: the SQL dbt ran. */
  compiledSql?: string | null;
}

const FAILED = new Set(['error', 'fail', 'runtime error']);

export function isFailedStatus(status: string): boolean {
  return FAILED.has(status);
}

interface RawRunResults {
  results?: {
    unique_id: string;
    status: string;
    execution_time?: number;
    message?: string | null;
    failures?: number | null;
    compiled_code?: string | null;
  }[];
  elapsed_time?: number;
}

export function summariseRunResults(json: unknown): { nodes: NodeResult[]; elapsed: number } {
  const raw = (json ?? {}) as RawRunResults;
  const nodes = (raw.results ?? []).map((r): NodeResult => {
    const parts = r.unique_id.split('.');
    const resourceType = parts[0] ?? 'node';
    // model.project.name; test.project.name.hash; snapshot.project.name
    const name =
      resourceType === 'test' ? (parts[2] ?? r.unique_id) : (parts.at(-1) ?? r.unique_id);
    const failed = isFailedStatus(r.status);
    return {
      uniqueId: r.unique_id,
      resourceType,
      name,
      status: r.status,
      seconds: Math.round((r.execution_time ?? 0) * 1000) / 1000,
      message: r.message ?? null,
      failures: r.failures ?? null,
      ...(failed ? { compiledSql: r.compiled_code ?? null } : {}),
    };
  });
  return { nodes, elapsed: raw.elapsed_time ?? 0 };
}
