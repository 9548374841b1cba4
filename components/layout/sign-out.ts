'use client';

import { authClient } from '@/lib/auth-client';

/** Ends the Better Auth session, then does a full navigation to /login (drops all client state). */
export async function signOutAndRedirect(): Promise<void> {
  try {
    await authClient.signOut();
  } finally {
    // A full page load on purpose: it drops every client cache of the signed-out user.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.href = '/login';
  }
}
