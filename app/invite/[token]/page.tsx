import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/layout/auth-card';
import { AcceptInviteForm } from '@/components/auth/accept-invite-form';
import { getServerSession } from '@/server/auth/session';
import { getRuntime } from '@/server/runtime';
import { inspectInvitation } from '@/server/auth/invitations';
import { isAppError } from '@/server/errors';

export const metadata: Metadata = { title: 'Accept invitation' };
export const dynamic = 'force-dynamic';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: Awaited<ReturnType<typeof inspectInvitation>>;
  try {
    invitation = await inspectInvitation(getRuntime().prisma, token);
  } catch (error) {
    const message = isAppError(error) ? error.message : 'This invitation could not be loaded.';
    return (
      <AuthCard title="Invitation unavailable" description={message}>
        <Link
          className="text-sm font-medium text-primary underline-offset-4 hover:underline"
          href="/login"
        >
          Go to sign in
        </Link>
      </AuthCard>
    );
  }
  const session = await getServerSession();
  return (
    <AuthCard
      title={`Join ${invitation.workspaceName}`}
      description={`You have been invited as ${invitation.role} with ${invitation.email}.`}
    >
      <AcceptInviteForm
        token={token}
        email={invitation.email}
        accountExists={invitation.accountExists}
        signedInAs={session?.user.email ?? null}
      />
    </AuthCard>
  );
}
