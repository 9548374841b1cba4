'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Loader2 } from 'lucide-react';
import { useMutation } from '@tanstack/react-query';
import { authClient } from '@/lib/auth-client';
import { useTRPC } from '@/lib/trpc/client';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Alert, AlertDescription } from '@/components/ui/alert';

export function AcceptInviteForm(props: {
  token: string;
  email: string;
  accountExists: boolean;
  signedInAs: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const acceptAsMe = useMutation(trpc.invitation.acceptAsCurrentUser.mutationOptions());

  if (props.accountExists) {
    if (props.signedInAs?.toLowerCase() === props.email) {
      return (
        <div className="grid gap-4">
          {error ? (
            <Alert variant="destructive">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          ) : null}
          <Button
            disabled={acceptAsMe.isPending}
            onClick={() =>
              acceptAsMe.mutate(
                { token: props.token },
                {
                  onSuccess: (r) => router.replace(`/w/${r.workspaceSlug}`),
                  onError: (e) => setError(e.message),
                },
              )
            }
          >
            Join workspace
          </Button>
        </div>
      );
    }
    const next = encodeURIComponent(`/invite/${props.token}`);
    return (
      <p className="text-sm text-muted-foreground">
        An account for {props.email} already exists.{' '}
        <a
          className="font-medium text-primary underline-offset-4 hover:underline"
          href={`/login?next=${next}`}
        >
          Sign in as {props.email}
        </a>{' '}
        to join.
      </p>
    );
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    setError(null);
    accept.mutate(
      { token: props.token, name: String(form.get('name') ?? ''), password },
      {
        onError: (e) => setError(e.message),
        onSuccess: async (r) => {
          const { error: failure } = await authClient.signIn.email({ email: r.email, password });
          if (failure) {
            router.replace('/login');
            return;
          }
          router.replace(`/w/${r.workspaceSlug}`);
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4" data-testid="accept-invite-form">
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" value={props.email} disabled readOnly />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="name">Your name</Label>
        <Input id="name" name="name" required autoFocus autoComplete="name" />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Choose a password</Label>
        <Input
          id="password"
          name="password"
          type="password"
          minLength={10}
          required
          autoComplete="new-password"
        />
        <p className="text-xs text-muted-foreground">At least 10 characters.</p>
      </div>
      <Button type="submit" disabled={accept.isPending}>
        {accept.isPending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : null}
        Create account and join
      </Button>
    </form>
  );
}
