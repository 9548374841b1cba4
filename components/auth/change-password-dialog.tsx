'use client';
// Change your own password (Better Auth), signing out other sessions.
import { useState } from 'react';
import { Loader2 } from 'lucide-react';
import { toast } from 'sonner';
import { authClient } from '@/lib/auth-client';
import { ErrorAlert } from '@/components/query-view';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

export function ChangePasswordDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get('new-password') ?? '');
    if (newPassword !== String(form.get('confirm-password') ?? '')) {
      setError('The new passwords do not match.');
      return;
    }
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.changePassword({
      currentPassword: String(form.get('current-password') ?? ''),
      newPassword,
      revokeOtherSessions: true,
    });
    setPending(false);
    if (failure) {
      setError(
        failure.status === 400 || failure.status === 401
          ? 'The current password is wrong, or the new one is shorter than 10 characters.'
          : (failure.message ?? 'The password could not be changed.'),
      );
      return;
    }
    toast.success('Password changed. Other sessions were signed out.');
    onOpenChange(false);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setError(null);
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Change password</DialogTitle>
          <DialogDescription>
            Use at least 10 characters. Your other sessions will be signed out.
          </DialogDescription>
        </DialogHeader>
        <form
          id="change-password"
          className="grid gap-4"
          onSubmit={onSubmit}
          data-testid="change-password-form"
        >
          {error ? <ErrorAlert message={error} /> : null}
          <div className="grid gap-2">
            <Label htmlFor="current-password">Current password</Label>
            <Input
              id="current-password"
              name="current-password"
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="new-password">New password</Label>
            <Input
              id="new-password"
              name="new-password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="confirm-password">Repeat new password</Label>
            <Input
              id="confirm-password"
              name="confirm-password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
            />
          </div>
        </form>
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" form="change-password" disabled={pending}>
            {pending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : null}
            Change password
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
