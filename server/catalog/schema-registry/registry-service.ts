// Reading the schema registry and describing its events and properties. Every function takes
// the workspace id from the caller's membership; names from input are looked up within that
// workspace only (the unique keys include workspace_id), so another workspace's rows are
// unreachable. Description changes are audited like other admin actions.
import { Prisma } from '../../db/generated/client';
import type { PrismaClient } from '../../db/client';
import { AppError } from '../../errors';
import { recordAudit } from '../../audit/audit-log';
import type { Actor } from '../../auth/members';
import type { JsonType } from './aggregate-segment';
import type {
  TDescriptionResponse,
  TEventGetResponse,
  TEventListRequest,
  TEventListResponse,
  TUpdateEventDescriptionRequest,
  TUpdatePropertyDescriptionRequest,
} from './registry-schemas';

const ORDER_BY: Record<TEventListRequest['sort'], Prisma.Sql> = {
  volume: Prisma.sql`e."volume" DESC, e."name" ASC`,
  lastSeen: Prisma.sql`e."last_seen" DESC, e."name" ASC`,
  name: Prisma.sql`e."name" ASC`,
};

/** `%`, `_` and `\` match themselves in the ILIKE pattern. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface EventListRow {
  name: string;
  description: string | null;
  first_seen: Date;
  last_seen: Date;
  volume: bigint;
  property_count: number;
  has_type_change: boolean;
}

export async function listEvents(
  db: PrismaClient,
  workspaceId: string,
  input: TEventListRequest,
): Promise<TEventListResponse> {
  const search = input.search
    ? Prisma.sql`AND e."name" ILIKE ${likeContains(input.search)} ESCAPE '\\'`
    : Prisma.empty;
  const rows = await db.$queryRaw<EventListRow[]>`
    SELECT e."name", e."description", e."first_seen", e."last_seen", e."volume",
           COUNT(p."id")::int AS property_count,
           COALESCE(BOOL_OR(cardinality(p."seen_types") > 1), false) AS has_type_change
    FROM "event_definitions" e
    LEFT JOIN "property_definitions" p
      ON p."workspace_id" = e."workspace_id" AND p."event_name" = e."name"
    WHERE e."workspace_id" = ${workspaceId} ${search}
    GROUP BY e."id"
    ORDER BY ${ORDER_BY[input.sort]}
    LIMIT ${input.limit}`;
  return rows.map((r) => ({
    name: r.name,
    description: r.description,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    volume: Number(r.volume),
    propertyCount: Number(r.property_count),
    hasTypeChange: r.has_type_change,
  }));
}

async function getEventDefinitionOrThrow(db: PrismaClient, workspaceId: string, name: string) {
  const event = await db.eventDefinition.findUnique({
    where: { workspaceId_name: { workspaceId, name } },
  });
  if (!event)
    throw new AppError(
      'NOT_FOUND',
      `No event "${name}" has been received in this workspace. Check the name in Data → Events.`,
    );
  return event;
}

export async function getEvent(
  db: PrismaClient,
  workspaceId: string,
  name: string,
): Promise<TEventGetResponse> {
  const event = await getEventDefinitionOrThrow(db, workspaceId, name);
  const properties = await db.propertyDefinition.findMany({
    where: { workspaceId, eventName: name },
    orderBy: { name: 'asc' },
  });
  return {
    name: event.name,
    description: event.description,
    firstSeen: event.firstSeen,
    lastSeen: event.lastSeen,
    volume: Number(event.volume),
    properties: properties.map((p) => ({
      name: p.name,
      type: p.type as JsonType,
      seenTypes: (p.seenTypes ?? []) as JsonType[],
      flagged: (p.seenTypes ?? []).length > 1,
      examples: Array.isArray(p.examples) ? p.examples : [],
      volume: Number(p.volume),
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      description: p.description,
    })),
  };
}

const normalizeDescription = (text: string) => (text.trim() === '' ? null : text.trim());

export async function updateEventDescription(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  input: TUpdateEventDescriptionRequest,
): Promise<TDescriptionResponse> {
  const event = await getEventDefinitionOrThrow(db, workspaceId, input.name);
  const description = normalizeDescription(input.description);
  if (description === event.description) return { description };
  await db.$transaction(async (tx) => {
    await tx.eventDefinition.update({ where: { id: event.id }, data: { description } });
    await recordAudit(tx, {
      action: 'event_definition.described',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'event_definition',
      targetId: event.id,
      details: { event: event.name, from: event.description, to: description },
    });
  });
  return { description };
}

export async function updatePropertyDescription(
  db: PrismaClient,
  workspaceId: string,
  actor: Actor,
  input: TUpdatePropertyDescriptionRequest,
): Promise<TDescriptionResponse> {
  const property = await db.propertyDefinition.findUnique({
    where: {
      workspaceId_eventName_name: { workspaceId, eventName: input.eventName, name: input.name },
    },
  });
  if (!property)
    throw new AppError(
      'NOT_FOUND',
      `Event "${input.eventName}" has no property "${input.name}" in this workspace. Reload Data → Events.`,
    );
  const description = normalizeDescription(input.description);
  if (description === property.description) return { description };
  await db.$transaction(async (tx) => {
    await tx.propertyDefinition.update({ where: { id: property.id }, data: { description } });
    await recordAudit(tx, {
      action: 'property_definition.described',
      workspaceId,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      targetType: 'property_definition',
      targetId: property.id,
      details: {
        event: property.eventName,
        property: property.name,
        from: property.description,
        to: description,
      },
    });
  });
  return { description };
}
