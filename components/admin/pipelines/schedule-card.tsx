'use client';
// Admin → Pipelines → Schedule: a cron expression (UTC) for the workspace's dbt build, with
// presets, an optional selector and an on/off switch. The server validates the cron.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CalendarClock, Loader2, Save } from 'lucide-react';
import { toast } from 'sonner';
import { useTRPC } from '@/lib/trpc/client';
import { ErrorAlert, TableSkeleton } from '@/components/query-view';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { formatWhen } from './run-format';

const PRESETS = [
  { label: 'Hourly', cron: '0 * * * *' },
  { label: 'Daily 06:00 UTC', cron: '0 6 * * *' },
] as const;

interface Schedule {
  cron: string;
  selector: string | null;
  enabled: boolean;
  nextRunAt: Date | null;
}

export function ScheduleCard() {
  const trpc = useTRPC();
  const schedule = useQuery(trpc.pipelines.schedule.get.queryOptions(undefined, { staleTime: 0 }));
  return (
    <Card data-testid="pipeline-schedule">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <CalendarClock className="size-4" /> Schedule
        </CardTitle>
        <CardDescription>
          Build the marts on a cron schedule (5 fields, in UTC). A scheduled run is skipped while
          another run is in progress.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {schedule.isPending ? (
          <TableSkeleton rows={2} />
        ) : schedule.isError ? (
          <ErrorAlert message={schedule.error.message} />
        ) : (
          <ScheduleForm key={JSON.stringify(schedule.data)} saved={schedule.data} />
        )}
      </CardContent>
    </Card>
  );
}

function ScheduleForm({ saved }: { saved: Schedule | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cron, setCron] = useState(saved?.cron ?? '0 6 * * *');
  const [selector, setSelector] = useState(saved?.selector ?? '');
  const [enabled, setEnabled] = useState(saved?.enabled ?? false);
  const set = useMutation(
    trpc.pipelines.schedule.set.mutationOptions({
      onSuccess: (r) => {
        toast.success(r?.enabled ? 'Schedule saved' : 'Scheduled runs are off');
        void queryClient.invalidateQueries({ queryKey: trpc.pipelines.schedule.get.queryKey() });
      },
    }),
  );
  const dirty =
    !saved ||
    saved.cron !== cron.trim() ||
    (saved.selector ?? '') !== selector.trim() ||
    saved.enabled !== enabled;

  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate({
          schedule: { cron: cron.trim(), selector: selector.trim() || null, enabled },
        });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid content-start gap-2">
          <Label htmlFor="schedule-cron">Cron (UTC)</Label>
          <Input
            id="schedule-cron"
            value={cron}
            onChange={(e) => {
              setCron(e.target.value);
              set.reset();
            }}
            className="font-mono"
            placeholder="0 6 * * *"
            aria-describedby="schedule-cron-hint"
            aria-invalid={set.isError || undefined}
            data-testid="schedule-cron"
          />
          <div className="flex flex-wrap gap-2" id="schedule-cron-hint">
            {PRESETS.map((p) => (
              <Button
                key={p.cron}
                type="button"
                variant={cron.trim() === p.cron && enabled ? 'secondary' : 'outline'}
                size="sm"
                onClick={() => {
                  setCron(p.cron);
                  setEnabled(true);
                  set.reset();
                }}
              >
                {p.label} <code className="font-mono text-xs text-muted-foreground">{p.cron}</code>
              </Button>
            ))}
            <Button
              type="button"
              variant={!enabled ? 'secondary' : 'outline'}
              size="sm"
              onClick={() => setEnabled(false)}
              data-testid="schedule-off"
            >
              Off
            </Button>
          </div>
        </div>
        <div className="grid content-start gap-2">
          <Label htmlFor="schedule-selector">Selector (optional)</Label>
          <Input
            id="schedule-selector"
            value={selector}
            onChange={(e) => setSelector(e.target.value)}
            className="font-mono"
            placeholder="everything"
            data-testid="schedule-selector"
          />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <label className="flex cursor-pointer items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            className="size-4 accent-primary"
            data-testid="schedule-enabled"
          />
          Run on this schedule
        </label>
        <Button
          type="submit"
          size="sm"
          disabled={set.isPending || !dirty}
          data-testid="schedule-save"
        >
          {set.isPending ? <Loader2 className="animate-spin" /> : <Save />}
          Save
        </Button>
        <span className="text-sm text-muted-foreground" data-testid="schedule-next">
          {saved?.enabled && saved.nextRunAt
            ? `Next run: ${formatWhen(saved.nextRunAt)} (${saved.cron} UTC)`
            : saved
              ? 'Scheduled runs are off.'
              : 'No schedule yet.'}
        </span>
      </div>
      {set.isError ? <ErrorAlert message={set.error.message} /> : null}
    </form>
  );
}
