// Pure aggregation of a committed WAL segment's events for the schema registry: per
// (workspace, event) the count and time range, per (workspace, event, property key) the JSON
// type(s), count, time range and a few short example values. Only `properties` keys are
// tracked; context fields are fixed bronze columns. Events repeated inside the segment with the
// same event_id (client retries) are counted once, as bronze keeps them once.

export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** The fields of a bronze event row the registry reads. */
export interface RegistryInputEvent {
  event_id: string;
  workspace_id: string;
  event: string;
  ts: string;
  properties: string;
}

export interface EventAggregate {
  workspaceId: string;
  name: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

export interface PropertyAggregate {
  workspaceId: string;
  eventName: string;
  name: string;
  /** Type of the value with the latest timestamp. */
  type: JsonType;
  seenTypes: JsonType[];
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Up to MAX_EXAMPLES distinct, short values, in order of appearance. */
  examples: unknown[];
}

export interface SegmentAggregate {
  events: EventAggregate[];
  properties: PropertyAggregate[];
}

export const MAX_EXAMPLES = 5;
export const MAX_EXAMPLE_STRING = 100;
export const MAX_EXAMPLE_JSON = 200;
/** A client sending random keys cannot grow one event's registry by more than this per segment. */
export const MAX_PROPERTIES_PER_EVENT = 1_000;

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

/**
 * The value as it is stored as an example, or undefined when it makes no useful example:
 * strings are cut to 100 characters, objects and arrays over 200 characters of JSON are left
 * out, and so are nulls (the type already says null).
 */
export function exampleOf(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.slice(0, MAX_EXAMPLE_STRING);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'object')
    return JSON.stringify(value).length <= MAX_EXAMPLE_JSON ? value : undefined;
  return undefined;
}

interface PropertyAcc {
  agg: PropertyAggregate;
  typeAt: number;
  exampleKeys: Set<string>;
}

interface EventAcc {
  agg: EventAggregate;
  properties: Map<string, PropertyAcc>;
}

function parseProperties(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Aggregates events one at a time (a segment is streamed, not loaded whole): `add` each row,
 * then `result()`.
 */
export function createAggregator() {
  const byEvent = new Map<string, EventAcc>();
  const seenIds = new Set<string>();
  return {
    add(e: RegistryInputEvent): void {
      const dedupKey = `${e.workspace_id}\u0000${e.event_id}`;
      if (seenIds.has(dedupKey)) return;
      seenIds.add(dedupKey);
      const at = Date.parse(e.ts);
      if (Number.isNaN(at)) return;
      const key = `${e.workspace_id}\u0000${e.event}`;
      let acc = byEvent.get(key);
      if (!acc) {
        acc = {
          agg: {
            workspaceId: e.workspace_id,
            name: e.event,
            count: 0,
            firstSeen: new Date(at),
            lastSeen: new Date(at),
          },
          properties: new Map(),
        };
        byEvent.set(key, acc);
      }
      acc.agg.count++;
      if (at < acc.agg.firstSeen.getTime()) acc.agg.firstSeen = new Date(at);
      if (at > acc.agg.lastSeen.getTime()) acc.agg.lastSeen = new Date(at);
      const props = parseProperties(e.properties);
      if (props) addProperties(acc, e, at, props);
    },
    result(): SegmentAggregate {
      const out: SegmentAggregate = { events: [], properties: [] };
      for (const acc of byEvent.values()) {
        out.events.push(acc.agg);
        for (const p of acc.properties.values())
          out.properties.push({ ...p.agg, seenTypes: [...p.agg.seenTypes].sort() });
      }
      return out;
    },
  };
}

function addProperties(
  acc: EventAcc,
  e: RegistryInputEvent,
  at: number,
  props: Record<string, unknown>,
): void {
  for (const [name, value] of Object.entries(props)) {
    const type = jsonTypeOf(value);
    let p = acc.properties.get(name);
    if (!p) {
      if (acc.properties.size >= MAX_PROPERTIES_PER_EVENT) continue;
      p = {
        agg: {
          workspaceId: e.workspace_id,
          eventName: e.event,
          name,
          type,
          seenTypes: [],
          count: 0,
          firstSeen: new Date(at),
          lastSeen: new Date(at),
          examples: [],
        },
        typeAt: at,
        exampleKeys: new Set(),
      };
      acc.properties.set(name, p);
    }
    const a = p.agg;
    a.count++;
    if (!a.seenTypes.includes(type)) a.seenTypes.push(type);
    // Ties go to the later row: segment order is arrival order.
    if (at >= p.typeAt) {
      a.type = type;
      p.typeAt = at;
    }
    if (at < a.firstSeen.getTime()) a.firstSeen = new Date(at);
    if (at > a.lastSeen.getTime()) a.lastSeen = new Date(at);
    if (a.examples.length < MAX_EXAMPLES) {
      const example = exampleOf(value);
      if (example === undefined) continue;
      const exampleKey = JSON.stringify(example);
      if (p.exampleKeys.has(exampleKey)) continue;
      p.exampleKeys.add(exampleKey);
      a.examples.push(example);
    }
  }
}

export function aggregateEvents(events: Iterable<RegistryInputEvent>): SegmentAggregate {
  const aggregator = createAggregator();
  for (const e of events) aggregator.add(e);
  return aggregator.result();
}
