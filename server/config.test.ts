import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadConfig } from './config';
import { AppError } from './errors';

function error(env: Record<string, string>): AppError {
  try {
    loadConfig(env, '/srv/app');
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  // The embedded default needs no variable at all.
  it('defaults to the embedded mode under ./.data', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.dataDir).toBe(path.resolve('/srv/app/.data'));
    expect(c.lakeDir).toBe(path.resolve('/srv/app/.data/lake'));
    expect(c.databaseUrl).toBeUndefined();
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.query).toEqual({ timeoutMs: 30_000, maxRows: 10_000, poolSize: 2, queueMax: 64 });
  });

  // A wrong value must name the variable so the user knows what to fix.
  it('names every invalid variable', () => {
    const e = error({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TL_QUERY_MAX_ROWS: '0' });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(/PORT/);
    expect(e.message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(e.message).toMatch(/TL_QUERY_MAX_ROWS/);
    expect(e.details?.variables).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_URL', 'TL_QUERY_MAX_ROWS']),
    );
  });

  // Empty strings (common in .env files) mean "unset", not "invalid".
  it('treats empty strings as unset', () => {
    expect(
      loadConfig({ DATABASE_URL: '', TL_ADMIN_PASSWORD: '' }, '/srv/app').databaseUrl,
    ).toBeUndefined();
  });

  // SPARK_MASTER runs the Spark job as the lake writer; it streams the Kafka topic, so it means
  // nothing without KAFKA_BROKERS and must not be silently ignored.
  it('reads SPARK_MASTER, and refuses it without Kafka or when it is not a master URL', () => {
    const e = error({ SPARK_MASTER: 'spark://spark:7077' });
    expect(e.message).toMatch(/SPARK_MASTER is set without KAFKA_BROKERS/);
    expect(e.details?.variables).toEqual(['SPARK_MASTER', 'KAFKA_BROKERS']);
    expect(error({ SPARK_MASTER: 'mesos://x', KAFKA_BROKERS: 'k:9092' }).message).toMatch(
      /SPARK_MASTER must be a Spark master URL/,
    );
    expect(loadConfig({}, '/').ingest.spark).toEqual({
      master: 'local[2]',
      atStart: false,
      trigger: '5s',
    });
    expect(
      loadConfig({ SPARK_MASTER: 'spark://a:7077,b:7077', KAFKA_BROKERS: 'k:9092' }, '/').ingest
        .spark,
    ).toEqual({ master: 'spark://a:7077,b:7077', atStart: true, trigger: '5s' });
    expect(error({ TL_SPARK_TRIGGER: 'often' }).message).toMatch(/TL_SPARK_TRIGGER must be/);
  });

  // TRINO_URL switches queries and dbt builds to Trino; the users default to the ones
  // infra/local/trino.sh's access rules know (tl-app read-only, tl-admin writes the marts).
  it('reads the Trino settings from TRINO_URL', () => {
    expect(loadConfig({}, '/').trino).toBeUndefined();
    expect(loadConfig({ TRINO_URL: 'http://trino:8080/' }, '/').trino).toEqual({
      url: 'http://trino:8080',
      catalog: 'lake',
      user: 'tl-app',
      adminUser: 'tl-admin',
    });
    expect(error({ TRINO_URL: 'trino:8080' }).message).toMatch(/TRINO_URL/);
  });

  // KAFKA_BROKERS switches intake to Kafka; a malformed list is refused by name, not at connect.
  it('reads the Kafka settings from KAFKA_BROKERS', () => {
    expect(loadConfig({}, '/').ingest.kafka).toBeUndefined();
    const c = loadConfig({ KAFKA_BROKERS: 'k1:9092, k2:9093', KAFKA_PARTITIONS: '12' }, '/');
    expect(c.ingest.kafka).toMatchObject({
      brokers: ['k1:9092', 'k2:9093'],
      topic: 'tl.events',
      partitions: 12,
      groupId: 'tl-lake-writer',
      retentionMs: 168 * 3_600_000,
    });
    const e = error({ KAFKA_BROKERS: 'http://k1', KAFKA_TOPIC: 'a topic' });
    expect(e.message).toMatch(/KAFKA_BROKERS must be host:port/);
    expect(e.details?.variables).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'KAFKA_TOPIC']));
  });

  it('derives the base URL from HOST and PORT unless TL_BASE_URL is set', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }, '/').baseUrl).toBe('http://0.0.0.0:8080');
    expect(loadConfig({ TL_BASE_URL: 'https://analytics.example.com/' }, '/').baseUrl).toBe(
      'https://analytics.example.com',
    );
  });
});
