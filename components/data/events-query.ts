// Shared by the Data page (server prefetch) and the Events tab (client): the list query's input
// before any search, so both use the same query key. Not in the 'use client' module, whose
// exports a server component would only see as client references.
export type EventSort = 'volume' | 'lastSeen' | 'name';

export const INITIAL_EVENTS_INPUT: { search: string; sort: EventSort } = {
  search: '',
  sort: 'volume',
};
