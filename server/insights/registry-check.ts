// Event names reach SQL only after this check: each must be in the workspace's schema registry
// (the events the workspace has received), or the request fails with the names that are not.
import type { PrismaClient } from '../db/client';
import { AppError } from '../errors';

export async function assertEventsExist(
  prisma: PrismaClient,
  workspaceId: string,
  events: readonly string[],
): Promise<void> {
  const names = [...new Set(events)];
  if (!names.length) return;
  const known = await prisma.eventDefinition.findMany({
    where: { workspaceId, name: { in: names } },
    select: { name: true },
  });
  const missing = names.filter((n) => !known.some((k) => k.name === n));
  if (missing.length)
    throw new AppError(
      'BAD_REQUEST',
      `No event named ${missing.map((n) => `"${n}"`).join(', ')} has been received in this workspace. Pick one from Data → Events.`,
      { events: missing },
    );
}
