import {
  Database,
  House,
  LayoutDashboard,
  Lightbulb,
  MessageSquareText,
  Shield,
  SquareTerminal,
  type LucideIcon,
} from 'lucide-react';

export type Role = 'viewer' | 'analyst' | 'admin';

export type SectionKey = 'home' | 'dashboards' | 'insights' | 'sql' | 'ask' | 'data' | 'admin';

export interface NavItem {
  key: SectionKey;
  label: string;
  icon: LucideIcon;
  /** Second key of the `g <key>` shortcut, if the section has one. */
  shortcut?: string;
  adminOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', label: 'Home', icon: House, shortcut: 'h' },
  { key: 'dashboards', label: 'Dashboards', icon: LayoutDashboard, shortcut: 'd' },
  { key: 'insights', label: 'Insights', icon: Lightbulb, shortcut: 'i' },
  { key: 'sql', label: 'SQL', icon: SquareTerminal, shortcut: 's' },
  { key: 'ask', label: 'Ask', icon: MessageSquareText, shortcut: 'a' },
  { key: 'data', label: 'Data', icon: Database, shortcut: 'c' },
  { key: 'admin', label: 'Admin', icon: Shield, adminOnly: true },
];

/** Sections are workspace-scoped: /w/<slug>/<section>; the home (pinned dashboard) is /w/<slug>. */
export function sectionHref(workspaceSlug: string, key: SectionKey): string {
  const base = `/w/${encodeURIComponent(workspaceSlug)}`;
  return key === 'home' ? base : `${base}/${key}`;
}

export function visibleNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.adminOnly || role === 'admin');
}

/** Whether the nav item at `href` is the current page (the home, /w/<slug>, only exactly). */
export function isActive(pathname: string | null, href: string): boolean {
  if (!pathname) return false;
  if (/^\/w\/[^/]+$/.test(href)) return pathname === href;
  return pathname === href || pathname.startsWith(`${href}/`);
}

export const ROLE_LABEL: Record<Role, string> = {
  viewer: 'Viewer',
  analyst: 'Analyst',
  admin: 'Admin',
};
