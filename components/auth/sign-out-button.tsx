'use client';
import { useRouter } from 'next/navigation';
import { authClient } from '@/lib/auth-client';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  const router = useRouter();
  return (
    <Button
      variant="outline"
      onClick={() => void authClient.signOut().then(() => router.replace('/login'))}
    >
      Sign out
    </Button>
  );
}
