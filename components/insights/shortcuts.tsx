'use client';
// Keyboard shortcuts of the Insights page, and the "?" dialog listing them. Single keys are
// ignored while typing in a field and while a dialog or menu is open (it owns the keys then).
import * as React from 'react';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Kbd, KbdGroup } from '@/components/ui/kbd';
import { isTypingTarget } from '@/components/layout/command-palette';
import { useModKeyLabel } from '@/components/layout/use-platform';

export interface InsightShortcutHandlers {
  onRefresh: () => void;
  onHelp: () => void;
  onShare: () => void;
  onKind: (kind: string) => void;
  /** 0-based index into the kind's chart types. */
  onChartType: (index: number) => void;
}

const KIND_KEYS: Record<string, string> = {
  t: 'trends',
  f: 'funnels',
  r: 'retention',
  p: 'paths',
};

export function useInsightShortcuts(handlers: InsightShortcutHandlers) {
  const ref = React.useRef(handlers);
  React.useEffect(() => {
    ref.current = handlers;
  });
  React.useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.isComposing || e.defaultPrevented) return;
      const h = ref.current;
      if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
        e.preventDefault();
        h.onRefresh();
        return;
      }
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (isTypingTarget(e.target)) return;
      if (
        document.querySelector(
          '[role="dialog"], [role="menu"], [data-radix-popper-content-wrapper]',
        )
      )
        return;
      if (e.key === '?') {
        e.preventDefault();
        h.onHelp();
      } else if (e.key === 'l') {
        h.onShare();
      } else if (KIND_KEYS[e.key]) {
        h.onKind(KIND_KEYS[e.key]!);
      } else if (/^[1-9]$/.test(e.key)) {
        h.onChartType(Number(e.key) - 1);
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

export function ShortcutsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const mod = useModKeyLabel();
  const rows: [React.ReactNode, string][] = [
    [
      <KbdGroup key="r">
        <Kbd>{mod}</Kbd>
        <Kbd>Enter</Kbd>
      </KbdGroup>,
      'Refresh the insight',
    ],
    [<Kbd key="t">T</Kbd>, 'Trends'],
    [<Kbd key="f">F</Kbd>, 'Funnels'],
    [<Kbd key="r">R</Kbd>, 'Retention'],
    [<Kbd key="p">P</Kbd>, 'Paths'],
    [
      <KbdGroup key="n">
        <Kbd>1</Kbd>…<Kbd>5</Kbd>
      </KbdGroup>,
      'Chart type',
    ],
    [<Kbd key="l">L</Kbd>, 'Copy a link to this insight'],
    [
      <KbdGroup key="k">
        <Kbd>{mod}</Kbd>
        <Kbd>K</Kbd>
      </KbdGroup>,
      'Command palette',
    ],
    [<Kbd key="?">?</Kbd>, 'This list'],
  ];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-sm" data-testid="insight-shortcuts-dialog">
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>On the Insights page, outside text fields.</DialogDescription>
        </DialogHeader>
        <dl className="grid gap-2 text-sm">
          {rows.map(([keys, label]) => (
            <div key={label} className="flex items-center justify-between gap-4">
              <dt className="text-muted-foreground">{label}</dt>
              <dd>{keys}</dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
