import {
  Database,
  LayoutDashboard,
  Lightbulb,
  MessageSquareText,
  Shield,
  SquareTerminal,
  type LucideIcon,
} from 'lucide-react';

export type Role = 'viewer' | 'analyst' | 'admin';

export type SectionKey = 'dashboards' | 'insights' | 'sql' | 'ask' | 'data' | 'admin';

export interface NavItem {
  key: SectionKey;
  label: string;
  icon: LucideIcon;
  /** Second key of the `g <key>` shortcut, if the section has one. */
  shortcut?: string;
  adminOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'dashboards', label: 'Dashboards', icon: LayoutDashboard, shortcut: 'd' },
  { key: 'insights', label: 'Insights', icon: Lightbulb, shortcut: 'i' },
  { key: 'sql', label: 'SQL', icon: SquareTerminal, shortcut: 's' },
  { key: 'ask', label: 'Ask', icon: MessageSquareText, shortcut: 'a' },
  { key: 'data', label: 'Data', icon: Database, shortcut: 'c' },
  { key: 'admin', label: 'Admin', icon: Shield, adminOnly: true },
];

/** Sections are workspace-scoped: /w/<slug>/<section>. */
export function sectionHref(workspaceSlug: string, key: SectionKey): string {
  return `/w/${encodeURIComponent(workspaceSlug)}/${key}`;
}

export function visibleNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.adminOnly || role === 'admin');
}

export function isActive(pathname: string | null, href: string): boolean {
  if (!pathname) return false;
  return pathname === href || pathname.startsWith(`${href}/`);
}

export const ROLE_LABEL: Record<Role, string> = {
  viewer: 'Viewer',
  analyst: 'Analyst',
  admin: 'Admin',
};
