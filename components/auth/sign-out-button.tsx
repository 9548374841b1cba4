'use client';
import { authClient } from '@/lib/auth-client';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  return (
    <Button
      variant="outline"
      onClick={() => void authClient.signOut().then(() => window.location.assign('/login'))}
    >
      Sign out
    </Button>
  );
}
