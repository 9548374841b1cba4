'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { useTheme } from 'next-themes';
import { ArrowRightLeft, LogOut, SunMoon } from 'lucide-react';
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
  CommandSeparator,
  CommandShortcut,
} from '@/components/ui/command';
import { Kbd } from '@/components/ui/kbd';
import { sectionHref, visibleNavItems, type Role, type SectionKey } from './nav-items';
import { signOutAndRedirect } from './sign-out';

/** How long after `g` the second key of a `g <key>` shortcut is accepted. */
const SEQUENCE_TIMEOUT_MS = 1200;

export interface CommandPaletteProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  workspaceSlug: string;
  role: Role;
  /** Other workspaces to offer "Switch to …" for (the current one is left out). */
  workspaces?: { slug: string; name: string }[];
}

/** True when the key press belongs to a text field, so shortcuts must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return target.closest('[contenteditable=""], [contenteditable="true"]') !== null;
}

/**
 * The ⌘K / Ctrl K command palette, plus the `g <key>` navigation shortcuts (g d, g i, g s, g a,
 * g c). Both are ignored while typing in a text field.
 */
export function CommandPalette({
  open,
  onOpenChange,
  workspaceSlug,
  role,
  workspaces = [],
}: CommandPaletteProps) {
  const router = useRouter();
  const { resolvedTheme, setTheme } = useTheme();
  const items = visibleNavItems(role);
  const pendingG = React.useRef<number>(0);

  const go = React.useCallback(
    (key: SectionKey) => router.push(sectionHref(workspaceSlug, key)),
    [router, workspaceSlug],
  );

  React.useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.isComposing) return;
      const key = event.key.toLowerCase();

      if (key === 'k' && (event.metaKey || event.ctrlKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        onOpenChange(!open);
        return;
      }

      if (event.defaultPrevented || open || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;

      const now = Date.now();
      if (pendingG.current && now - pendingG.current <= SEQUENCE_TIMEOUT_MS) {
        pendingG.current = 0;
        const target = visibleNavItems(role).find((item) => item.shortcut === key);
        if (target) {
          event.preventDefault();
          go(target.key);
        }
        return;
      }
      pendingG.current = key === 'g' && !event.shiftKey ? now : 0;
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [open, onOpenChange, role, go]);

  function run(action: () => void) {
    onOpenChange(false);
    action();
  }

  const otherWorkspaces = workspaces.filter((w) => w.slug !== workspaceSlug);

  return (
    <CommandDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Command palette"
      description="Jump to a section or run a command"
    >
      <CommandInput placeholder="Type a command or search…" data-testid="command-input" />
      <CommandList>
        <CommandEmpty>No matching command.</CommandEmpty>
        <CommandGroup heading="Go to">
          {items.map((item) => (
            <CommandItem
              key={item.key}
              value={`Go to ${item.label}`}
              keywords={[item.key]}
              onSelect={() => run(() => go(item.key))}
              data-testid={`command-go-${item.key}`}
            >
              <item.icon />
              <span>{item.label}</span>
              {item.shortcut ? (
                <CommandShortcut aria-label={`Shortcut: g then ${item.shortcut}`}>
                  <Kbd>G</Kbd>
                  <Kbd>{item.shortcut.toUpperCase()}</Kbd>
                </CommandShortcut>
              ) : null}
            </CommandItem>
          ))}
        </CommandGroup>
        {otherWorkspaces.length > 0 ? (
          <>
            <CommandSeparator />
            <CommandGroup heading="Workspaces">
              {otherWorkspaces.map((w) => (
                <CommandItem
                  key={w.slug}
                  value={`Switch to ${w.name} ${w.slug}`}
                  onSelect={() => run(() => router.push(sectionHref(w.slug, 'home')))}
                >
                  <ArrowRightLeft />
                  <span>Switch to {w.name}</span>
                </CommandItem>
              ))}
            </CommandGroup>
          </>
        ) : null}
        <CommandSeparator />
        <CommandGroup heading="Preferences">
          <CommandItem
            value="Toggle theme dark light mode"
            onSelect={() => run(() => setTheme(resolvedTheme === 'dark' ? 'light' : 'dark'))}
          >
            <SunMoon />
            <span>Toggle theme</span>
            <CommandShortcut className="tracking-normal">
              {resolvedTheme === 'dark' ? 'Dark → Light' : 'Light → Dark'}
            </CommandShortcut>
          </CommandItem>
        </CommandGroup>
        <CommandSeparator />
        <CommandGroup heading="Account">
          <CommandItem
            value="Sign out log out"
            onSelect={() => run(() => void signOutAndRedirect())}
          >
            <LogOut />
            <span>Sign out</span>
          </CommandItem>
        </CommandGroup>
      </CommandList>
    </CommandDialog>
  );
}
