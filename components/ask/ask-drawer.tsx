'use client';
// Ask from any page: a button in the top bar (and Ctrl/⌘+J) opens the Ask conversation in a
// panel on the right, so a question does not cost the page you are on. Closing the panel keeps
// the conversation (it is in the asker's history): reopening shows it again, and "Open on the
// Ask page" continues it there.
import * as React from 'react';
import { Sparkles } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Kbd, KbdGroup } from '@/components/ui/kbd';
import { Sheet, SheetContent, SheetDescription, SheetTitle } from '@/components/ui/sheet';
import type { SectionRole } from '@/components/sections/types';
import { AskChat } from './ask-chat';

export function AskDrawer({
  workspaceSlug,
  role,
  modLabel,
}: {
  workspaceSlug: string;
  role: SectionRole;
  modLabel: string;
}) {
  const [open, setOpen] = React.useState(false);
  const [conversationId, setConversationId] = React.useState<string | undefined>();

  React.useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'j') {
        e.preventDefault();
        setOpen((v) => !v);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className="h-8 gap-1.5"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+J Meta+J"
        data-testid="ask-drawer-button"
      >
        <Sparkles />
        <span className="hidden sm:inline">Ask</span>
        <KbdGroup className="hidden lg:inline-flex">
          <Kbd>{modLabel}</Kbd>
          <Kbd>J</Kbd>
        </KbdGroup>
      </Button>
      <Sheet open={open} onOpenChange={setOpen}>
        <SheetContent
          side="right"
          className="w-full gap-0 overflow-y-auto p-0 sm:max-w-xl"
          data-testid="ask-drawer"
        >
          <div className="grid gap-1 border-b px-4 py-3 pr-12">
            <SheetTitle>Ask</SheetTitle>
            <SheetDescription>
              Plain-English questions about this workspace&apos;s data, answered offline.
            </SheetDescription>
          </div>
          <div className="p-4">
            <React.Suspense>
              <AskChat
                workspaceSlug={workspaceSlug}
                role={role}
                mode="drawer"
                initialConversationId={conversationId}
                onConversationChange={setConversationId}
              />
            </React.Suspense>
          </div>
        </SheetContent>
      </Sheet>
    </>
  );
}
