// The workspace a CLI command acts on: --workspace <slug>, else the demo workspace, else the
// oldest one.
import { AppError } from '../../../server/errors';
import type { Runtime } from '../../../server/runtime';

export async function resolveWorkspace(
  runtime: Runtime,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  const { prisma, config } = runtime;
  const wanted = slug ?? config.demoWorkspaceSlug;
  const found = await prisma.workspace.findUnique({ where: { slug: wanted } });
  if (found) return { id: found.id, slug: found.slug };
  if (slug === undefined) {
    const first = await prisma.workspace.findFirst({ orderBy: { createdAt: 'asc' } });
    if (first) return { id: first.id, slug: first.slug };
  }
  const all = await prisma.workspace.findMany({ select: { slug: true }, orderBy: { slug: 'asc' } });
  throw new AppError(
    'NOT_FOUND',
    all.length
      ? `There is no workspace "${wanted}". Use --workspace with one of: ${all.map((w) => w.slug).join(', ')}.`
      : 'There is no workspace yet. Start the server once to create the demo workspace.',
    { workspace: wanted },
  );
}
