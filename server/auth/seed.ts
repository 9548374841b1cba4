// First start: create the first admin account and the demo workspace, once. The password is
// TL_ADMIN_PASSWORD, or a random one written to <data dir>/initial-admin.txt (mode 0600) and
// printed by the server, like Jenkins' initial admin password.
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../db/client';
import type { Auth } from './auth';
import { createPasswordUser } from './users';
import { recordAudit } from '../audit/audit-log';

export interface SeedResult {
  created: boolean;
  adminEmail: string;
  /** Set only when this start created the admin with a generated password. */
  generatedPassword?: string;
  credentialsFile?: string;
  workspaceSlug: string;
}

export async function seedFirstStart(
  prisma: PrismaClient,
  auth: Auth,
  opts: {
    dataDir: string;
    adminEmail: string;
    adminPassword: string | undefined;
    workspaceSlug: string;
  },
): Promise<SeedResult> {
  const users = await prisma.user.count();
  if (users > 0) {
    const ws = await prisma.workspace.findFirst({
      orderBy: { createdAt: 'asc' },
      select: { slug: true },
    });
    return {
      created: false,
      adminEmail: opts.adminEmail,
      workspaceSlug: ws?.slug ?? opts.workspaceSlug,
    };
  }
  const password = opts.adminPassword ?? randomBytes(12).toString('base64url');
  const admin = await createPasswordUser(auth, { email: opts.adminEmail, name: 'Admin', password });
  const workspace = await prisma.workspace.upsert({
    where: { slug: opts.workspaceSlug },
    update: {},
    create: { slug: opts.workspaceSlug, name: 'Demo · Orbit' },
  });
  await prisma.membership.create({
    data: { workspaceId: workspace.id, userId: admin.id, role: 'admin' },
  });
  await recordAudit(prisma, {
    action: 'setup.first_admin_created',
    workspaceId: workspace.id,
    actorEmail: 'system',
    targetType: 'user',
    targetId: admin.id,
    details: { email: admin.email, workspace: workspace.slug },
  });
  let credentialsFile: string | undefined;
  if (!opts.adminPassword) {
    credentialsFile = path.join(opts.dataDir, 'initial-admin.txt');
    await writeFile(credentialsFile, `email: ${admin.email}\npassword: ${password}\n`, {
      mode: 0o600,
    });
    await chmod(credentialsFile, 0o600);
  }
  return {
    created: true,
    adminEmail: admin.email,
    generatedPassword: opts.adminPassword ? undefined : password,
    credentialsFile,
    workspaceSlug: workspace.slug,
  };
}
