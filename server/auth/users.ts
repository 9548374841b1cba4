// Account creation outside public sign-up (which is disabled): the first admin at first start,
// and invitees accepting an invitation. Uses Better Auth's own adapter and password hasher so
// the accounts sign in through the normal email + password flow.
import { AppError } from '../errors';
import type { Auth } from './auth';
import { MIN_PASSWORD_LENGTH } from './auth';

export async function createPasswordUser(
  auth: Auth,
  input: { email: string; name: string; password: string },
): Promise<{ id: string; email: string; name: string }> {
  const ctx = await auth.$context;
  const email = input.email.trim().toLowerCase();
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'BAD_REQUEST',
      `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  if (await ctx.internalAdapter.findUserByEmail(email)) {
    throw new AppError(
      'CONFLICT',
      `An account for ${email} already exists. Sign in with it instead.`,
    );
  }
  const hash = await ctx.password.hash(input.password);
  const user = await ctx.internalAdapter.createUser(
    { email, name: input.name.trim(), emailVerified: false },
    { method: 'admin' },
  );
  if (!user) throw new AppError('INTERNAL', 'The account could not be created.');
  await ctx.internalAdapter.linkAccount({
    providerId: 'credential',
    accountId: user.id,
    userId: user.id,
    password: hash,
  });
  return { id: user.id, email: user.email, name: user.name };
}
