// Workspace ingestion keys: 32 random bytes, shown once, stored as SHA-256 with a short
// display prefix. Verification (used by the ingestion API) compares hashes in constant time.
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/audit-log';
import type { Actor } from './members';
import { generateToken, safeEqualHex, sha256 } from './secrets';

export const API_KEY_PREFIX = 'tlk_';

export async function createApiKey(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  name: string,
) {
  const secret = `${API_KEY_PREFIX}${generateToken(32)}`;
  const prefix = secret.slice(0, API_KEY_PREFIX.length + 6);
  const key = await db.$transaction(async (tx) => {
    const k = await tx.apiKey.create({
      data: {
        workspaceId,
        name: name.trim(),
        prefix,
        keyHash: sha256(secret),
        createdById: actor.id,
      },
    });
    await recordAudit(tx, {
      action: 'api_key.created',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'api_key',
      targetId: k.id,
      details: { name: k.name, prefix },
    });
    return k;
  });
  return { id: key.id, name: key.name, prefix, secret, createdAt: key.createdAt };
}

export async function listApiKeys(db: PrismaClient, workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeApiKey(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  id: string,
) {
  const key = await db.apiKey.findFirst({ where: { id, workspaceId } });
  if (!key) throw new AppError('NOT_FOUND', 'No ingestion key with that id in this workspace.');
  if (key.revokedAt) return { id };
  await db.$transaction(async (tx) => {
    await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      action: 'api_key.revoked',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'api_key',
      targetId: id,
      details: { name: key.name, prefix: key.prefix },
    });
  });
  // After the commit: from here on every lookup reads the revocation.
  clearApiKeyCache();
  return { id };
}

type KeyLookup = { workspaceId: string; keyId: string } | undefined;

/**
 * Lookups by key hash, for KEY_CACHE_MS. The collector checks the key of every request, and on
 * the embedded database (one connection, queries in line with everything else) that lookup was
 * the slowest step of an acknowledgement under load. A revocation in this process clears the
 * cache at once; another server process sharing a PostgreSQL notices within KEY_CACHE_MS.
 * Unknown keys are cached too, so a flood of bad keys does not reach the database. On
 * globalThis: route handlers live in their own module graphs.
 */
export const KEY_CACHE_MS = 5_000;
const KEY_CACHE_MAX = 10_000;
const CACHE_SLOT = Symbol.for('telemetry-lakehouse.api-key-cache');
interface KeyCache {
  entries: Map<string, { value: KeyLookup; until: number }>;
  /** Bumped by every clear: a lookup that started before a clear does not store its answer. */
  generation: number;
}
function keyCache(): KeyCache {
  const g = globalThis as unknown as Record<symbol, KeyCache>;
  g[CACHE_SLOT] ??= { entries: new Map(), generation: 0 };
  return g[CACHE_SLOT];
}

/** Forget cached lookups (after a key is revoked here). */
export function clearApiKeyCache(): void {
  const cache = keyCache();
  cache.entries.clear();
  cache.generation++;
}

/** Resolves a presented key to its workspace; undefined when unknown or revoked. */
export async function findWorkspaceByApiKey(
  db: PrismaClient,
  presented: string,
): Promise<KeyLookup> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) return undefined;
  const hash = sha256(presented);
  const cache = keyCache();
  const now = Date.now();
  const hit = cache.entries.get(hash);
  if (hit && hit.until > now) return hit.value;
  const generation = cache.generation;
  const key = await db.apiKey.findUnique({
    where: { keyHash: hash },
    select: { id: true, workspaceId: true, keyHash: true, revokedAt: true },
  });
  const value =
    !key || key.revokedAt || !safeEqualHex(key.keyHash, hash)
      ? undefined
      : { workspaceId: key.workspaceId, keyId: key.id };
  if (generation === cache.generation) {
    if (cache.entries.size >= KEY_CACHE_MAX) cache.entries.clear();
    cache.entries.set(hash, { value, until: now + KEY_CACHE_MS });
  }
  return value;
}
