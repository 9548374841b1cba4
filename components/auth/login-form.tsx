'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Loader2 } from 'lucide-react';
import { authClient } from '@/lib/auth-client';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Alert, AlertDescription } from '@/components/ui/alert';

function messageFor(status: number | undefined, message: string | undefined): string {
  if (status === 429) return 'Too many sign-in attempts. Wait a minute and try again.';
  if (status === 401 || status === 400) return 'Wrong email or password. Check both and try again.';
  if (status === 403) return message ?? 'This account cannot sign in.';
  return message ?? 'Sign-in failed. Try again.';
}

export function LoginForm({ next, expired }: { next: string; expired?: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(
    expired ? 'Your session has expired. Sign in again.' : null,
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    if (failure) {
      setError(messageFor(failure.status, failure.message));
      setPending(false);
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4" data-testid="login-form">
      {error ? (
        <Alert variant="destructive" data-testid="login-error">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          placeholder="you@company.com"
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <Button type="submit" disabled={pending} data-testid="login-submit">
        {pending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : null}
        Sign in
      </Button>
      <p className="text-center text-xs text-muted-foreground">
        First start? The admin password is printed by <code className="font-mono">npm start</code>{' '}
        and saved in <code className="font-mono">.data/initial-admin.txt</code>.
      </p>
    </form>
  );
}
