// docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs on these
// machines, environment.md): the Compose file against the Compose Specification's JSON schema
// (dclint), its cross-references (services, volumes, bind-mounted folders), the app service's
// environment against the app's own config schema, and every file the Dockerfile copies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DCLinter } from 'dclint';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseEnv } from '@/server/config';

const ROOT = path.resolve(import.meta.dirname, '..');
const COMPOSE = path.join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { disable?: boolean; test?: string[] };
  profiles?: string[];
}

const compose = parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/** dclint's errors for a Compose file (style rules off: key and service order are ours). */
function lint(file: string) {
  const linter = new DCLinter({
    rules: {
      'service-keys-order': 0,
      'services-alphabetical-order': 0,
      'service-dependencies-alphabetical-order': 0,
      'top-level-properties-order': 0,
      // The app is the one service published on every interface (the others on 127.0.0.1).
      'no-unbound-port-interfaces': 0,
    },
    quiet: true,
    debug: false,
    exclude: [],
  });
  return linter
    .lintFiles([file], false)
    .flatMap((r) => r.messages)
    .filter((m) => m.type === 'error')
    .map((m) => `${m.rule}: ${m.message}`);
}

/** `${VAR:-default}` → default (what Compose substitutes when VAR is unset). */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-((?:[^{}]|\$\{[^}]*\})*)\}/g, (_m, d: string) =>
    withDefaults(d),
  );
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification', () => {
    expect(lint(COMPOSE)).toEqual([]);
  });

  it('has a schema check that fails on a misspelt key', () => {
    const bad = path.join(ROOT, 'infra', 'fixtures', 'bad-compose.yml');
    expect(lint(bad).join('\n')).toMatch(/invalid-schema/);
  });

  it('depends only on services and volumes it declares, and mounts folders that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const dep of Object.keys(service.depends_on ?? {}))
        expect(Object.keys(compose.services), `${name} depends on ${dep}`).toContain(dep);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.'))
          expect(existsSync(path.join(ROOT, source)), `${name} mounts ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name} mounts ${source}`).toContain(source);
      }
      // A service others wait for as healthy has a health check.
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {}))
        if (condition === 'service_healthy')
          expect(compose.services[dep]!.healthcheck?.test, `${dep}'s health check`).toBeDefined();
    }
    // The distributed parts the README names are all there.
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'kafka', 'trino', 'qdrant', 'app', 'spark-master']),
    );
  });

  it("sets only variables the app's config reads, and values it accepts", () => {
    const env = Object.fromEntries(
      Object.entries(compose.services.app!.environment!).map(([k, v]) => [
        k,
        withDefaults(String(v)),
      ]),
    );
    const parsed = parseEnv(env) as Record<string, unknown>;
    expect(Object.keys(env).filter((k) => !(k in parsed))).toEqual([]);
    // The distributed parts, switched on by the variables the README documents.
    expect(parsed).toMatchObject({
      KAFKA_BROKERS: 'kafka:9092',
      TRINO_URL: 'http://trino:8080',
      QDRANT_URL: 'http://qdrant:6333',
    });
    expect(String(parsed.DATABASE_URL)).toMatch(/^postgresql:\/\/tl:.+@postgres:5432\//);
  });
});

describe('Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));

  it('copies only files that exist in the repository', () => {
    const copies = dockerfile.getCOPYs().filter((c) => c.getFromFlag() === null);
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      const args = copy.getArguments().map((a) => a.getValue());
      for (const source of args.slice(0, -1))
        expect(existsSync(path.join(ROOT, source)), `COPY ${source}`).toBe(true);
    }
  });

  it('builds the image the Compose file runs', () => {
    const build = compose.services.app!.build!;
    expect(existsSync(path.join(ROOT, build.context, build.dockerfile))).toBe(true);
    const stages = dockerfile
      .getFROMs()
      .map((f) => f.getBuildStage())
      .filter(Boolean);
    expect(stages).toEqual(expect.arrayContaining(['base', 'build']));
  });
});
