'use client';
// Admin → Members, Invitations, Ingestion keys, Audit log. Every action goes through an admin
// procedure (server-side check) and lands in the audit log.
import { useState } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { IngestionTab } from './ingestion/ingestion-tab';
import { PipelinesTab } from './pipelines/pipelines-tab';
import { SystemTab } from './system/system-tab';
import { useMutation, useQuery, useQueryClient, useInfiniteQuery } from '@tanstack/react-query';
import {
  Activity,
  Copy,
  KeyRound,
  Loader2,
  MailPlus,
  ScrollText,
  Server,
  Trash2,
  Users,
  Workflow,
} from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { PageHeader } from '@/components/layout/page-header';
import { EmptyState } from '@/components/empty-state';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { ErrorAlert, QueryView, TableSkeleton } from '@/components/query-view';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';

type Role = 'viewer' | 'analyst' | 'admin';
// Other admins and invitees change these lists: refetch whenever a tab opens.
const LIVE = { staleTime: 0 } as const;
const ROLES: Role[] = ['viewer', 'analyst', 'admin'];

function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '—';
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function CopyField({ value, testId }: { value: string; testId: string }) {
  return (
    <div className="flex items-center gap-2">
      <Input
        readOnly
        value={value}
        className="font-mono text-xs"
        data-testid={testId}
        onFocus={(e) => e.currentTarget.select()}
      />
      <Button
        type="button"
        variant="outline"
        size="icon"
        aria-label="Copy"
        onClick={() =>
          void navigator.clipboard.writeText(value).then(() => toast.success('Copied to clipboard'))
        }
      >
        <Copy className="size-4" />
      </Button>
    </div>
  );
}

/** A secret (invitation link, API key) shown once after it was created. */
function RevealedSecret({
  children,
  value,
  testId,
}: {
  children: React.ReactNode;
  value: string;
  testId: string;
}) {
  return (
    <div className="mt-4 grid gap-2 rounded-lg border bg-muted/40 p-4">
      <p className="text-sm">{children}</p>
      <CopyField value={value} testId={testId} />
    </div>
  );
}

function MembersTab({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.admin.members.list.queryOptions(undefined, LIVE));
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.admin.members.list.queryKey() });
  const updateRole = useMutation(
    trpc.admin.members.updateRole.mutationOptions({
      onSuccess: (r) => {
        toast.success(`Role changed to ${r.role}`);
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const remove = useMutation(
    trpc.admin.members.remove.mutationOptions({
      onSuccess: () => {
        toast.success('Member removed');
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  if (members.isPending) return <TableSkeleton />;
  if (members.isError) return <ErrorAlert message={members.error.message} />;
  return (
    <Table data-testid="members-table">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Email</TableHead>
          <TableHead className="w-40">Role</TableHead>
          <TableHead>Joined</TableHead>
          <TableHead className="w-12" />
        </TableRow>
      </TableHeader>
      <TableBody>
        {members.data.map((m) => (
          <TableRow key={m.userId} data-testid={`member-${m.email}`}>
            <TableCell className="font-medium">
              {m.name} {m.userId === currentUserId ? <Badge variant="secondary">you</Badge> : null}
            </TableCell>
            <TableCell className="text-muted-foreground">{m.email}</TableCell>
            <TableCell>
              <Select
                value={m.role}
                onValueChange={(role) =>
                  updateRole.mutate({ userId: m.userId, role: role as Role })
                }
              >
                <SelectTrigger
                  className="h-8 w-32"
                  aria-label={`Role of ${m.email}`}
                  data-testid={`role-select-${m.email}`}
                >
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {ROLES.map((r) => (
                    <SelectItem key={r} value={r}>
                      {r}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </TableCell>
            <TableCell className="text-muted-foreground">{formatDate(m.joinedAt)}</TableCell>
            <TableCell>
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Remove ${m.email}`}
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Remove ${m.email} from this workspace?`))
                    remove.mutate({ userId: m.userId });
                }}
              >
                <Trash2 className="size-4" />
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function InvitationsTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.admin.invitations.list.queryOptions(undefined, LIVE));
  const [created, setCreated] = useState<{ email: string; url: string } | null>(null);
  const [role, setRole] = useState<Role>('viewer');
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.admin.invitations.list.queryKey() });
  const create = useMutation(
    trpc.admin.invitations.create.mutationOptions({
      onSuccess: (r) => {
        setCreated({ email: r.email, url: r.url });
        void invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.admin.invitations.revoke.mutationOptions({
      onSuccess: () => {
        toast.success('Invitation revoked');
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Invite someone</CardTitle>
          <CardDescription>
            They get a link valid for 7 days. Viewers see dashboards; analysts also write SQL;
            admins manage the workspace.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form
            className="flex flex-wrap items-end gap-3"
            data-testid="invite-form"
            onSubmit={(e) => {
              e.preventDefault();
              const email = String(new FormData(e.currentTarget).get('email') ?? '');
              setCreated(null);
              create.mutate({ email, role });
            }}
          >
            <div className="grid min-w-64 flex-1 gap-2">
              <Label htmlFor="invite-email">Email</Label>
              <Input
                id="invite-email"
                name="email"
                type="email"
                required
                placeholder="teammate@company.com"
              />
            </div>
            <div className="grid gap-2">
              <Label>Role</Label>
              <Select value={role} onValueChange={(v) => setRole(v as Role)}>
                <SelectTrigger
                  className="w-32"
                  aria-label="Invitation role"
                  data-testid="invite-role"
                >
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {ROLES.map((r) => (
                    <SelectItem key={r} value={r}>
                      {r}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <Button type="submit" disabled={create.isPending} data-testid="invite-submit">
              {create.isPending ? (
                <Loader2 className="size-4 animate-spin" />
              ) : (
                <MailPlus className="size-4" />
              )}
              Create invitation
            </Button>
          </form>
          {create.isError ? <ErrorAlert className="mt-4" message={create.error.message} /> : null}
          {created ? (
            <RevealedSecret value={created.url} testId="invite-url">
              Send this link to <strong>{created.email}</strong>. It is shown only now.
            </RevealedSecret>
          ) : null}
        </CardContent>
      </Card>
      <QueryView
        query={invitations}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            icon={MailPlus}
            title="No pending invitations"
            description="Invitations you create appear here until they are accepted, revoked or expire."
          />
        }
      >
        {(rows) => (
          <Table data-testid="invitations-table">
            <TableHeader>
              <TableRow>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Invited by</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead className="w-24" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((inv) => (
                <TableRow key={inv.id}>
                  <TableCell className="font-medium">{inv.email}</TableCell>
                  <TableCell>
                    <Badge variant="outline">{inv.role}</Badge>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {inv.invitedBy?.email ?? '—'}
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {formatDate(inv.expiresAt)}
                  </TableCell>
                  <TableCell>
                    <Button variant="ghost" size="sm" onClick={() => revoke.mutate({ id: inv.id })}>
                      Revoke
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </QueryView>
    </div>
  );
}

function ApiKeysTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.admin.apiKeys.list.queryOptions(undefined, LIVE));
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.admin.apiKeys.create.mutationOptions({
      onSuccess: (r) => {
        setCreated({ name: r.name, secret: r.secret });
        void invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.admin.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        toast.success('Key revoked');
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Create an ingestion key</CardTitle>
          <CardDescription>
            Apps send events to this workspace with a key. The key is shown once and stored only as
            a hash.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form
            className="flex flex-wrap items-end gap-3"
            data-testid="api-key-form"
            onSubmit={(e) => {
              e.preventDefault();
              setCreated(null);
              create.mutate({ name: String(new FormData(e.currentTarget).get('name') ?? '') });
            }}
          >
            <div className="grid min-w-64 flex-1 gap-2">
              <Label htmlFor="key-name">Name</Label>
              <Input id="key-name" name="name" required placeholder="web app (production)" />
            </div>
            <Button type="submit" disabled={create.isPending} data-testid="api-key-submit">
              {create.isPending ? (
                <Loader2 className="size-4 animate-spin" />
              ) : (
                <KeyRound className="size-4" />
              )}
              Create key
            </Button>
          </form>
          {create.isError ? <ErrorAlert className="mt-4" message={create.error.message} /> : null}
          {created ? (
            <RevealedSecret value={created.secret} testId="api-key-secret">
              Key <strong>{created.name}</strong> created. Copy it now: it will not be shown again.
            </RevealedSecret>
          ) : null}
        </CardContent>
      </Card>
      <QueryView
        query={keys}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            icon={KeyRound}
            title="No ingestion keys"
            description="Create a key to send events from your app to POST /api/v1/batch (the ingestion API lands with the lake release)."
          />
        }
      >
        {(rows) => (
          <Table data-testid="api-keys-table">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="w-24" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((k) => (
                <TableRow key={k.id}>
                  <TableCell className="font-medium">{k.name}</TableCell>
                  <TableCell className="font-mono text-xs text-muted-foreground">
                    {k.prefix}…
                  </TableCell>
                  <TableCell className="text-muted-foreground">{formatDate(k.createdAt)}</TableCell>
                  <TableCell className="text-muted-foreground">
                    {formatDate(k.lastUsedAt)}
                  </TableCell>
                  <TableCell>
                    {k.revokedAt ? (
                      <Badge variant="destructive">revoked</Badge>
                    ) : (
                      <Badge variant="secondary">active</Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {k.revokedAt ? null : (
                      <Button variant="ghost" size="sm" onClick={() => revoke.mutate({ id: k.id })}>
                        Revoke
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </QueryView>
    </div>
  );
}

function AuditTab() {
  const trpc = useTRPC();
  const audit = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      { limit: 50 },
      { ...LIVE, getNextPageParam: (last) => last.nextCursor },
    ),
  );
  if (audit.isPending) return <TableSkeleton />;
  if (audit.isError) return <ErrorAlert message={audit.error.message} />;
  const entries = audit.data.pages.flatMap((p) => p.entries);
  if (entries.length === 0)
    return (
      <EmptyState
        icon={ScrollText}
        title="Nothing logged yet"
        description="Sign-ins and admin actions appear here."
      />
    );
  return (
    <div className="grid gap-4">
      <Table data-testid="audit-table">
        <TableHeader>
          <TableRow>
            <TableHead>When</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Who</TableHead>
            <TableHead>Details</TableHead>
            <TableHead>IP</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((e) => (
            <TableRow key={e.id}>
              <TableCell className="whitespace-nowrap text-muted-foreground">
                {formatDate(e.createdAt)}
              </TableCell>
              <TableCell>
                <Badge
                  variant={e.action.endsWith('failed') ? 'destructive' : 'outline'}
                  className="font-mono"
                >
                  {e.action}
                </Badge>
              </TableCell>
              <TableCell>{e.actorEmail ?? '—'}</TableCell>
              <TableCell className="max-w-md truncate font-mono text-xs text-muted-foreground">
                {e.details ? JSON.stringify(e.details) : ''}
              </TableCell>
              <TableCell className="font-mono text-xs text-muted-foreground">
                {e.ipAddress ?? ''}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {audit.hasNextPage ? (
        <Button
          variant="outline"
          className="justify-self-center"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          Load more
        </Button>
      ) : null}
    </div>
  );
}

const TABS = [
  'ingestion',
  'pipelines',
  'system',
  'members',
  'invitations',
  'keys',
  'audit',
] as const;
type Tab = (typeof TABS)[number];

export function AdminConsole({
  currentUserId,
  workspaceName,
  workspaceSlug,
}: {
  currentUserId: string;
  workspaceName: string;
  workspaceSlug: string;
}) {
  // The open tab lives in the URL (?tab=…), so a link or a reload restores it.
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'ingestion';
  return (
    <div className="mx-auto grid w-full max-w-6xl gap-6 p-6" data-testid="section-admin">
      <PageHeader
        title="Admin"
        description={`Ingestion, dbt pipelines, the system's parts, members, invitations, ingestion keys and the audit log of ${workspaceName}.`}
      />
      <Tabs
        value={tab}
        onValueChange={(v) => router.replace(`${pathname}?tab=${v}`, { scroll: false })}
      >
        <TabsList>
          <TabsTrigger value="ingestion">
            <Activity className="size-4" /> Ingestion
          </TabsTrigger>
          <TabsTrigger value="pipelines">
            <Workflow className="size-4" /> Pipelines
          </TabsTrigger>
          <TabsTrigger value="system">
            <Server className="size-4" /> System
          </TabsTrigger>
          <TabsTrigger value="members">
            <Users className="size-4" /> Members
          </TabsTrigger>
          <TabsTrigger value="invitations">
            <MailPlus className="size-4" /> Invitations
          </TabsTrigger>
          <TabsTrigger value="keys">
            <KeyRound className="size-4" /> Ingestion keys
          </TabsTrigger>
          <TabsTrigger value="audit">
            <ScrollText className="size-4" /> Audit log
          </TabsTrigger>
        </TabsList>
        <TabsContent value="ingestion" className="mt-4">
          <IngestionTab workspaceSlug={workspaceSlug} />
        </TabsContent>
        <TabsContent value="pipelines" className="mt-4">
          <PipelinesTab workspaceSlug={workspaceSlug} />
        </TabsContent>
        <TabsContent value="system" className="mt-4">
          <SystemTab />
        </TabsContent>
        <TabsContent value="members" className="mt-4">
          <MembersTab currentUserId={currentUserId} />
        </TabsContent>
        <TabsContent value="invitations" className="mt-4">
          <InvitationsTab />
        </TabsContent>
        <TabsContent value="keys" className="mt-4">
          <ApiKeysTab />
        </TabsContent>
        <TabsContent value="audit" className="mt-4">
          <AuditTab />
        </TabsContent>
      </Tabs>
    </div>
  );
}
