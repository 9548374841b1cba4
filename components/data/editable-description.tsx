'use client';
// A description that admins edit in place (save/cancel; Enter saves, Escape cancels, Shift+Enter
// adds a line) and everyone else reads. The server checks the role again on save.
import { useState } from 'react';
import { Loader2, Pencil } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/utils';

export function EditableDescription({
  value,
  canEdit,
  label,
  onSave,
  testId,
  className,
}: {
  value: string | null;
  canEdit: boolean;
  /** What is described, for the accessible names, e.g. "event signed_up". */
  label: string;
  /** Resolves when saved; rejects to keep the editor open (the caller shows the error). */
  onSave: (description: string) => Promise<unknown>;
  testId: string;
  className?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (draft === null) return;
    setSaving(true);
    try {
      await onSave(draft);
      setDraft(null);
    } catch {
      // Stay in edit mode so nothing typed is lost.
    } finally {
      setSaving(false);
    }
  };

  if (draft !== null) {
    return (
      <form
        className={cn('grid gap-2', className)}
        data-testid={`${testId}-form`}
        data-editing=""
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Textarea
          autoFocus
          value={draft}
          maxLength={2000}
          aria-label={`Description of ${label}`}
          data-testid={`${testId}-input`}
          className="min-h-10 text-sm"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setDraft(null);
            } else if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void save();
            }
          }}
        />
        <div className="flex gap-2">
          <Button type="submit" size="sm" disabled={saving} data-testid={`${testId}-save`}>
            {saving ? <Loader2 className="size-4 animate-spin" /> : null}
            Save
          </Button>
          <Button
            type="button"
            size="sm"
            variant="ghost"
            disabled={saving}
            onClick={() => setDraft(null)}
            data-testid={`${testId}-cancel`}
          >
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  const text = value ? (
    <span className="whitespace-pre-wrap" data-testid={testId}>
      {value}
    </span>
  ) : (
    <span className="text-muted-foreground italic" data-testid={testId}>
      {canEdit ? 'Add a description' : 'No description'}
    </span>
  );
  if (!canEdit) return <div className={cn('text-sm', className)}>{text}</div>;
  return (
    <div className={cn('group flex items-start gap-1 text-sm', className)}>
      {text}
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-6 shrink-0 opacity-60 group-hover:opacity-100"
        aria-label={`Edit the description of ${label}`}
        data-testid={`${testId}-edit`}
        onClick={() => setDraft(value ?? '')}
      >
        <Pencil className="size-3.5" />
      </Button>
    </div>
  );
}
