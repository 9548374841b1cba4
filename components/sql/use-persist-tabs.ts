'use client';
// Writes the SQL editor's tabs to localStorage a moment after the last change (and at once when
// the page is hidden or closed). Serialising a long script on every keystroke cost ~5 ms each
// on a 10,000-line script (bench/sql-typing.ts measures typing with this hook).
import { useEffect } from 'react';

export const PERSIST_DELAY_MS = 400;

export function usePersistTabs(key: string, state: unknown, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const save = () => localStorage.setItem(key, JSON.stringify(state));
    const timer = setTimeout(save, PERSIST_DELAY_MS);
    const onHide = () => {
      if (document.visibilityState === 'hidden') save();
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', save);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', save);
    };
  }, [key, state, enabled]);
}
