'use client';
// Browser side of Better Auth: sign in, sign out, session.
import { createAuthClient } from 'better-auth/react';

export const authClient = createAuthClient();
