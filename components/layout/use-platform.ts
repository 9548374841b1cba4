'use client';

import { useSyncExternalStore } from 'react';

const noopSubscribe = () => () => {};

function detectMac(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const platform = nav.userAgentData?.platform ?? nav.platform ?? '';
  return /mac|iphone|ipad|ipod/i.test(platform);
}

/** True on Apple platforms (⌘ instead of Ctrl). False during SSR and hydration. */
export function useIsMac(): boolean {
  return useSyncExternalStore(noopSubscribe, detectMac, () => false);
}

/** Label of the command palette shortcut for this platform: "⌘K" or "Ctrl K". */
export function useModKeyLabel(): string {
  return useIsMac() ? '⌘' : 'Ctrl';
}
