import { describe, expect, it } from 'vitest';
import { parseDbtLogLine, RunProgress } from './dbt-log';
import { summariseRunResults } from './run-results';

// Lines as dbt 1.11 writes them with --log-format json (trimmed to the fields that matter).
const line = (name: string, data: object, level = 'info', msg = 'm') =>
  JSON.stringify({ data, info: { name, level, msg, ts: '2026-11-26T05:19:50.000Z' } });

describe('RunProgress', () => {
  // dbt numbers results by start order; with two threads the last node to finish can be the one
  // that started second to last, and the page then showed "150 / 151" for a finished run.
  it('counts finished nodes, so results out of order still end at total / total', () => {
    const progress = new RunProgress();
    const result = (index: number, id: string) =>
      parseDbtLogLine(line('LogModelResult', { index, total: 3, node_info: { unique_id: id } }));
    expect(progress.add(parseDbtLogLine(line('LogStartLine', { index: 1, total: 3 })))).toBe(
      undefined,
    );
    expect(progress.add(result(1, 'model.p.a'))).toEqual({ done: 1, total: 3 });
    expect(progress.add(result(3, 'model.p.c'))).toEqual({ done: 2, total: 3 });
    expect(progress.add(result(2, 'model.p.b'))).toEqual({ done: 3, total: 3 });
    // A node reported twice counts once.
    expect(progress.add(result(2, 'model.p.b'))).toEqual({ done: 3, total: 3 });
  });
});

describe('parseDbtLogLine', () => {
  it('reads progress from model and test results', () => {
    const model = parseDbtLogLine(
      line('LogModelResult', {
        index: 2,
        total: 7,
        status: 'OK',
        node_info: { unique_id: 'model.p.fact_events', node_status: 'success' },
      }),
    );
    expect(model).toMatchObject({
      event: 'LogModelResult',
      progress: { done: 2, total: 7 },
      node: { uniqueId: 'model.p.fact_events', status: 'success' },
    });
    const test = parseDbtLogLine(
      line('LogTestResult', {
        index: 5,
        num_models: 7,
        status: 'fail',
        node_info: { unique_id: 't' },
      }),
    );
    expect(test.progress).toEqual({ done: 5, total: 7 });
  });

  it('has no progress on a start line, keeps levels, and passes plain text through', () => {
    expect(parseDbtLogLine(line('LogStartLine', { index: 1, total: 7 })).progress).toBeUndefined();
    expect(parseDbtLogLine(line('RunResultError', {}, 'error', 'boom'))).toMatchObject({
      level: 'error',
      message: 'boom',
    });
    expect(parseDbtLogLine('Traceback (most recent call last):', () => 'T')).toEqual({
      ts: 'T',
      level: 'info',
      message: 'Traceback (most recent call last):',
      event: 'Text',
    });
  });
});

describe('summariseRunResults', () => {
  it('names nodes and keeps the compiled SQL of failures only', () => {
    const { nodes, elapsed } = summariseRunResults({
      elapsed_time: 1.5,
      results: [
        {
          unique_id: 'model.p.fact_events',
          status: 'success',
          execution_time: 0.1234,
          message: 'OK',
          compiled_code: 'select 1',
        },
        {
          unique_id: 'test.p.accepted_range_fact_events_session_duration.ab12',
          status: 'fail',
          execution_time: 0.05,
          failures: 3,
          message: 'Got 3 results, configured to fail if != 0',
          compiled_code: 'select * from x where session_duration > 86400',
        },
      ],
    });
    expect(elapsed).toBe(1.5);
    expect(nodes).toEqual([
      {
        uniqueId: 'model.p.fact_events',
        resourceType: 'model',
        name: 'fact_events',
        status: 'success',
        seconds: 0.123,
        message: 'OK',
        failures: null,
      },
      {
        uniqueId: 'test.p.accepted_range_fact_events_session_duration.ab12',
        resourceType: 'test',
        name: 'accepted_range_fact_events_session_duration',
        status: 'fail',
        seconds: 0.05,
        message: 'Got 3 results, configured to fail if != 0',
        failures: 3,
        compiledSql: 'select * from x where session_duration > 86400',
      },
    ]);
  });
});
