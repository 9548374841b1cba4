'use client';
import * as React from 'react';

/** The current time, updated every `everyMs` (for "computed 2 min ago" labels). */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = React.useState(() => new Date());
  React.useEffect(() => {
    const id = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
