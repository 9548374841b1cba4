'use client';
// Save the current tab as a saved query (name, folder, description, shared with the workspace
// or private), or save changes to the saved query the tab already edits. Mounted per opening
// (keyed by the caller), so its fields start from the tab each time.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import type { SqlChartConfig } from '@/server/sql/sql-chart';
import type { ParamDeclaration } from '@/server/sql/sql-template';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';

export function SaveQueryDialog({
  open,
  onOpenChange,
  sql,
  params,
  chart,
  savedQueryId,
  defaultName,
  forDashboard = false,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  sql: string;
  /** The `{{ parameters }}`: types, and the values typed now as defaults. */
  params: ParamDeclaration[];
  /** How the result is charted (on a dashboard tile too). */
  chart: SqlChartConfig | null;
  savedQueryId: string | undefined;
  defaultName: string;
  /** Saving on the way to a dashboard: it must be shared. */
  forDashboard?: boolean;
  onSaved: (q: { id: string; name: string }) => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(defaultName);
  const [folder, setFolder] = useState('');
  const [description, setDescription] = useState('');
  const [shared, setShared] = useState(true);
  const create = useMutation(trpc.sql.saved.create.mutationOptions());
  const update = useMutation(trpc.sql.saved.update.mutationOptions());
  const pending = create.isPending || update.isPending;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const q = savedQueryId
        ? await update.mutateAsync({ id: savedQueryId, sql, name, params, chart })
        : await create.mutateAsync({
            name,
            folder,
            description: description || null,
            sql,
            params,
            chart,
            shared: forDashboard || shared,
          });
      toast.success(`Saved “${q.name}”`);
      onSaved(q);
      onOpenChange(false);
    } catch (error) {
      toast.error((error as Error).message);
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent data-testid="sql-save-dialog">
        <form onSubmit={(e) => void submit(e)} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{savedQueryId ? 'Save changes' : 'Save query'}</DialogTitle>
            <DialogDescription>
              {savedQueryId
                ? 'Saves the tab’s SQL to its saved query.'
                : 'Saved queries are listed in the Saved panel; shared ones for every analyst of the workspace.'}
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="sql-save-name">Name</Label>
            <Input
              id="sql-save-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={200}
              autoFocus
            />
          </div>
          {savedQueryId ? null : (
            <>
              <div className="grid gap-2">
                <Label htmlFor="sql-save-folder">Folder (optional)</Label>
                <Input
                  id="sql-save-folder"
                  value={folder}
                  onChange={(e) => setFolder(e.target.value)}
                  maxLength={100}
                  placeholder="e.g. Growth"
                />
              </div>
              <div className="grid gap-2">
                <Label htmlFor="sql-save-description">Description (optional)</Label>
                <Textarea
                  id="sql-save-description"
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                  maxLength={2000}
                  rows={2}
                />
              </div>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={forDashboard || shared}
                  disabled={forDashboard}
                  onChange={(e) => setShared(e.target.checked)}
                />
                Share with the workspace’s analysts
                {forDashboard ? (
                  <span className="text-xs text-muted-foreground">(needed on a dashboard)</span>
                ) : null}
              </label>
            </>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending || !name.trim()} data-testid="sql-save-submit">
              {pending ? 'Saving…' : 'Save'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
