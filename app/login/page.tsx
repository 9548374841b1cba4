import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/layout/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { getServerSession } from '@/server/auth/session';
import { safeNextPath } from '@/lib/safe-redirect';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getServerSession()) redirect(next);
  return (
    <AuthCard title="Sign in" description="Use the account your workspace admin gave you.">
      <LoginForm next={next} expired={params.reason === 'expired'} />
    </AuthCard>
  );
}
