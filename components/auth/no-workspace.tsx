import { AuthCard } from '@/components/layout/auth-card';
import { SignOutButton } from './sign-out-button';

export function NoWorkspace({ email }: { email: string }) {
  return (
    <AuthCard
      title="No workspace yet"
      description={`You are signed in as ${email}, but you are not a member of any workspace.`}
    >
      <p className="text-sm text-muted-foreground">
        Ask a workspace admin to invite you, then open the invitation link they send.
      </p>
      <SignOutButton />
    </AuthCard>
  );
}
