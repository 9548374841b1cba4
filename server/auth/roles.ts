// Workspace roles, ordered: viewer < analyst < admin. Pure; shared by server and UI.
import { z } from 'zod';

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ZRole = z.enum(ROLES).describe('Workspace role: viewer < analyst < admin');

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

/** True when `role` is at least `min`. A missing role is never enough (default deny). */
export function hasRole(role: Role | null | undefined, min: Role): boolean {
  return role != null && RANK[role] >= RANK[min];
}
