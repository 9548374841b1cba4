'use client';

import * as React from 'react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import {
  Check,
  ChevronsUpDown,
  Command as CommandIcon,
  LogOut,
  Menu,
  PanelLeftClose,
  PanelLeftOpen,
  Search,
  KeyRound,
} from 'lucide-react';
import { Avatar, AvatarFallback } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuShortcut,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Kbd, KbdGroup } from '@/components/ui/kbd';
import { Sheet, SheetContent, SheetDescription, SheetTitle } from '@/components/ui/sheet';
import { Tooltip, TooltipContent, TooltipProvider, TooltipTrigger } from '@/components/ui/tooltip';
import { cn } from '@/lib/utils';
import { AskDrawer } from '@/components/ask/ask-drawer';
import { CommandPalette } from './command-palette';
import { LogoMark, PRODUCT_NAME } from './logo';
import {
  ROLE_LABEL,
  isActive,
  sectionHref,
  visibleNavItems,
  type NavItem,
  type Role,
} from './nav-items';
import { signOutAndRedirect } from './sign-out';
import { ChangePasswordDialog } from '@/components/auth/change-password-dialog';
import { ThemeToggle } from './theme-toggle';
import { useModKeyLabel } from './use-platform';
import { useSidebarCollapsed } from './use-sidebar-collapsed';

export interface ShellWorkspace {
  slug: string;
  name: string;
}

export interface AppShellProps {
  workspace: ShellWorkspace;
  workspaces: (ShellWorkspace & { role: Role })[];
  user: { name: string; email: string };
  role: Role;
  children: React.ReactNode;
}

export function initials(name: string, email: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length >= 2
      ? `${words[0]![0]}${words[words.length - 1]![0]}`
      : (words[0]?.slice(0, 2) ?? email.slice(0, 2));
  return letters.toUpperCase() || '?';
}

/** The signed-in layout: collapsible sidebar, top bar, command palette, scrolling main area. */
export function AppShell({ workspace, workspaces, user, role, children }: AppShellProps) {
  const pathname = usePathname();
  const [collapsed, setCollapsed] = useSidebarCollapsed();
  const [paletteOpen, setPaletteOpen] = React.useState(false);
  const [mobileNavOpen, setMobileNavOpen] = React.useState(false);
  const items = visibleNavItems(role);
  const current = items.find((item) => isActive(pathname, sectionHref(workspace.slug, item.key)));

  return (
    <TooltipProvider>
      <div className="flex h-svh overflow-hidden bg-background" data-slot="app-shell">
        <aside
          data-slot="sidebar"
          data-collapsed={collapsed}
          aria-label="Main"
          className={cn(
            'hidden shrink-0 flex-col border-r border-sidebar-border bg-sidebar text-sidebar-foreground transition-[width] duration-200 ease-out md:flex',
            collapsed ? 'w-14' : 'w-60',
          )}
        >
          <SidebarBody
            workspace={workspace}
            workspaces={workspaces}
            items={items}
            pathname={pathname}
            collapsed={collapsed}
          />
          <div className={cn('border-t border-sidebar-border p-2', collapsed && 'px-2')}>
            <SidebarTooltip label={collapsed ? 'Expand sidebar' : ''}>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => setCollapsed(!collapsed)}
                aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
                aria-expanded={!collapsed}
                data-testid="sidebar-toggle"
                className={cn(
                  'w-full justify-start text-muted-foreground hover:bg-sidebar-accent/60 hover:text-sidebar-foreground',
                  collapsed && 'justify-center px-0',
                )}
              >
                {collapsed ? <PanelLeftOpen /> : <PanelLeftClose />}
                {collapsed ? null : <span>Collapse</span>}
              </Button>
            </SidebarTooltip>
          </div>
        </aside>

        <Sheet open={mobileNavOpen} onOpenChange={setMobileNavOpen}>
          <SheetContent side="left" className="w-64 bg-sidebar p-0 text-sidebar-foreground">
            <SheetTitle className="sr-only">Navigation</SheetTitle>
            <SheetDescription className="sr-only">Sections of {workspace.name}</SheetDescription>
            <SidebarBody
              workspace={workspace}
              workspaces={workspaces}
              items={items}
              pathname={pathname}
              collapsed={false}
              onNavigate={() => setMobileNavOpen(false)}
              mobile
            />
          </SheetContent>
        </Sheet>

        <div className="flex min-w-0 flex-1 flex-col">
          <TopBar
            workspace={workspace}
            sectionLabel={current?.label}
            user={user}
            role={role}
            onOpenPalette={() => setPaletteOpen(true)}
            onOpenMobileNav={() => setMobileNavOpen(true)}
          />
          <main id="main" className="min-h-0 flex-1 overflow-y-auto" data-slot="main">
            {children}
          </main>
        </div>
      </div>
      <CommandPalette
        open={paletteOpen}
        onOpenChange={setPaletteOpen}
        workspaceSlug={workspace.slug}
        role={role}
        workspaces={workspaces}
      />
    </TooltipProvider>
  );
}

function SidebarTooltip({ label, children }: { label: string; children: React.ReactElement }) {
  if (!label) return children;
  return (
    <Tooltip>
      <TooltipTrigger asChild>{children}</TooltipTrigger>
      <TooltipContent side="right">{label}</TooltipContent>
    </Tooltip>
  );
}

function SidebarBody({
  workspace,
  workspaces,
  items,
  pathname,
  collapsed,
  onNavigate,
  mobile = false,
}: {
  workspace: ShellWorkspace;
  workspaces: (ShellWorkspace & { role: Role })[];
  items: NavItem[];
  pathname: string | null;
  collapsed: boolean;
  onNavigate?: () => void;
  mobile?: boolean;
}) {
  return (
    <>
      <div
        className={cn('flex h-14 items-center gap-2.5 px-3', collapsed && 'justify-center px-0')}
      >
        <Link
          href={sectionHref(workspace.slug, 'home')}
          onClick={onNavigate}
          className="flex min-w-0 items-center gap-2.5 rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50"
          aria-label={`${PRODUCT_NAME} home`}
        >
          <LogoMark className="size-7" />
          {collapsed ? null : (
            <span className="truncate text-sm font-semibold tracking-tight">{PRODUCT_NAME}</span>
          )}
        </Link>
      </div>
      <div className="px-2 pb-2">
        <WorkspaceSwitcher
          workspace={workspace}
          workspaces={workspaces}
          collapsed={collapsed}
          onNavigate={onNavigate}
        />
      </div>
      <nav className="flex flex-1 flex-col gap-0.5 overflow-y-auto px-2 py-2" aria-label="Sections">
        {items.map((item) => {
          const href = sectionHref(workspace.slug, item.key);
          const active = isActive(pathname, href);
          const link = (
            <Link
              key={item.key}
              href={href}
              onClick={onNavigate}
              data-testid={mobile ? `mobile-nav-${item.key}` : `nav-${item.key}`}
              data-active={active}
              aria-current={active ? 'page' : undefined}
              aria-label={collapsed ? item.label : undefined}
              className={cn(
                'group flex h-9 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium text-sidebar-foreground/80 transition-colors outline-none hover:bg-sidebar-accent/60 hover:text-sidebar-foreground focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50',
                active &&
                  'bg-sidebar-accent text-sidebar-accent-foreground hover:bg-sidebar-accent hover:text-sidebar-accent-foreground',
                collapsed && 'justify-center px-0',
              )}
            >
              <item.icon
                className={cn(
                  'size-4 shrink-0 text-muted-foreground group-hover:text-sidebar-foreground',
                  active &&
                    'text-sidebar-accent-foreground group-hover:text-sidebar-accent-foreground',
                )}
                aria-hidden
              />
              {collapsed ? null : <span className="truncate">{item.label}</span>}
              {!collapsed && item.shortcut ? (
                <KbdGroup className="ml-auto opacity-0 transition-opacity group-hover:opacity-100">
                  <Kbd className="bg-transparent">G</Kbd>
                  <Kbd className="bg-transparent">{item.shortcut.toUpperCase()}</Kbd>
                </KbdGroup>
              ) : null}
            </Link>
          );
          return collapsed ? (
            <SidebarTooltip key={item.key} label={item.label}>
              {link}
            </SidebarTooltip>
          ) : (
            link
          );
        })}
      </nav>
    </>
  );
}

function WorkspaceSwitcher({
  workspace,
  workspaces,
  collapsed,
  onNavigate,
}: {
  workspace: ShellWorkspace;
  workspaces: (ShellWorkspace & { role: Role })[];
  collapsed: boolean;
  onNavigate?: () => void;
}) {
  const mark = (
    <span
      aria-hidden
      className="flex size-6 shrink-0 items-center justify-center rounded-md border bg-background text-[0.7rem] font-semibold uppercase"
    >
      {workspace.name.trim().charAt(0) || workspace.slug.charAt(0)}
    </span>
  );
  return (
    <DropdownMenu>
      <SidebarTooltip label={collapsed ? `Workspace: ${workspace.name}` : ''}>
        <DropdownMenuTrigger asChild>
          <button
            type="button"
            data-testid="workspace-switcher"
            aria-label={`Workspace: ${workspace.name}. Switch workspace`}
            className={cn(
              'flex h-10 w-full cursor-pointer items-center gap-2 rounded-md border border-sidebar-border bg-background/60 px-2 text-left text-sm shadow-xs transition-colors outline-none hover:bg-sidebar-accent/60 focus-visible:ring-[3px] focus-visible:ring-sidebar-ring/50 data-[state=open]:bg-sidebar-accent/60 dark:bg-white/[0.03]',
              collapsed && 'justify-center border-transparent bg-transparent px-0 shadow-none',
            )}
          >
            {mark}
            {collapsed ? null : (
              <>
                <span className="flex min-w-0 flex-1 flex-col leading-tight">
                  <span className="truncate font-medium">{workspace.name}</span>
                  <span className="truncate text-xs text-muted-foreground">/{workspace.slug}</span>
                </span>
                <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" aria-hidden />
              </>
            )}
          </button>
        </DropdownMenuTrigger>
      </SidebarTooltip>
      <DropdownMenuContent align="start" side={collapsed ? 'right' : 'bottom'} className="w-60">
        <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">
          Workspaces
        </DropdownMenuLabel>
        {workspaces.map((w) => (
          <DropdownMenuItem key={w.slug} asChild>
            <Link
              href={sectionHref(w.slug, 'home')}
              onClick={onNavigate}
              data-testid={`workspace-option-${w.slug}`}
              aria-current={w.slug === workspace.slug ? 'true' : undefined}
            >
              <span className="flex min-w-0 flex-1 flex-col">
                <span className="truncate">{w.name}</span>
                <span className="text-xs text-muted-foreground">{ROLE_LABEL[w.role]}</span>
              </span>
              {w.slug === workspace.slug ? <Check className="text-primary" /> : null}
            </Link>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function TopBar({
  workspace,
  sectionLabel,
  user,
  role,
  onOpenPalette,
  onOpenMobileNav,
}: {
  workspace: ShellWorkspace;
  sectionLabel: string | undefined;
  user: { name: string; email: string };
  role: Role;
  onOpenPalette: () => void;
  onOpenMobileNav: () => void;
}) {
  const mod = useModKeyLabel();
  return (
    <header
      data-slot="top-bar"
      className="flex h-14 shrink-0 items-center gap-2 border-b bg-background/80 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/60 md:px-4"
    >
      <Button
        variant="ghost"
        size="icon"
        className="md:hidden"
        aria-label="Open navigation"
        onClick={onOpenMobileNav}
      >
        <Menu />
      </Button>
      <nav aria-label="Breadcrumb" className="min-w-0 flex-1">
        <ol className="flex min-w-0 items-center gap-1.5 text-sm">
          <li className="hidden truncate text-muted-foreground sm:block">{workspace.name}</li>
          {sectionLabel ? (
            <>
              <li aria-hidden className="hidden text-muted-foreground/60 sm:block">
                /
              </li>
              <li className="truncate font-medium" aria-current="page">
                {sectionLabel}
              </li>
            </>
          ) : null}
        </ol>
      </nav>
      <Button
        variant="outline"
        onClick={onOpenPalette}
        data-testid="command-palette-button"
        aria-label="Open command palette"
        aria-keyshortcuts="Control+K Meta+K"
        className="h-8 gap-2 px-2.5 font-normal text-muted-foreground sm:w-56 sm:justify-start lg:w-64"
      >
        <Search />
        <span className="hidden sm:inline">Search or jump to…</span>
        <KbdGroup className="ml-auto hidden sm:inline-flex">
          <Kbd>{mod === '⌘' ? <CommandIcon /> : 'Ctrl'}</Kbd>
          <Kbd>K</Kbd>
        </KbdGroup>
      </Button>
      <AskDrawer workspaceSlug={workspace.slug} role={role} modLabel={mod === '⌘' ? '⌘' : 'Ctrl'} />
      <ThemeToggle />
      <UserMenu user={user} role={role} onOpenPalette={onOpenPalette} />
    </header>
  );
}

function UserMenu({
  user,
  role,
  onOpenPalette,
}: {
  user: { name: string; email: string };
  role: Role;
  onOpenPalette: () => void;
}) {
  const mod = useModKeyLabel();
  const [passwordOpen, setPasswordOpen] = React.useState(false);
  return (
    <>
      <ChangePasswordDialog open={passwordOpen} onOpenChange={setPasswordOpen} />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="ghost"
            size="icon"
            className="rounded-full"
            data-testid="user-menu"
            aria-label={`Account: ${user.name}`}
          >
            <Avatar className="size-8">
              <AvatarFallback>{initials(user.name, user.email)}</AvatarFallback>
            </Avatar>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel className="flex items-center gap-3 py-2 font-normal">
            <Avatar className="size-9">
              <AvatarFallback>{initials(user.name, user.email)}</AvatarFallback>
            </Avatar>
            <span className="flex min-w-0 flex-1 flex-col">
              <span className="truncate text-sm font-medium" data-testid="user-name">
                {user.name}
              </span>
              <span className="truncate text-xs text-muted-foreground" data-testid="user-email">
                {user.email}
              </span>
            </span>
          </DropdownMenuLabel>
          <div className="flex items-center justify-between px-2 pb-2 text-xs text-muted-foreground">
            <span>Role in this workspace</span>
            <Badge variant="brand" data-testid="user-role">
              {ROLE_LABEL[role]}
            </Badge>
          </div>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={onOpenPalette}>
            <Search />
            Command palette
            <DropdownMenuShortcut>{mod === '⌘' ? '⌘K' : 'Ctrl K'}</DropdownMenuShortcut>
          </DropdownMenuItem>
          <DropdownMenuItem data-testid="change-password" onSelect={() => setPasswordOpen(true)}>
            <KeyRound />
            Change password
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            data-testid="sign-out"
            onSelect={(event) => {
              event.preventDefault();
              void signOutAndRedirect();
            }}
          >
            <LogOut />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
