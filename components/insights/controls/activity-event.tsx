'use client';
// An "activity" event of the user-level insights (retention, lifecycle, stickiness): an event
// name or any event (null), with its filters.
import type { ActivityEvent } from '@/server/insights/user-periods';
import { EventPicker } from './event-picker';
import { FilterEditor } from './filter-editor';

export function ActivityEventEditor({
  value,
  onChange,
  testId,
}: {
  value: ActivityEvent;
  onChange: (next: ActivityEvent) => void;
  testId: string;
}) {
  return (
    <div className="grid grid-cols-1 gap-1.5 rounded-lg border bg-card p-2" data-testid={testId}>
      <EventPicker
        value={value.event}
        allowAny
        onAny={() => onChange({ ...value, event: null })}
        onChange={(event) => onChange({ ...value, event })}
        data-testid={`${testId}-event`}
      />
      <FilterEditor
        filters={value.filters}
        onChange={(filters) => onChange({ ...value, filters })}
        events={value.event ? [value.event] : []}
        compact
        testIdPrefix={`${testId}-filter`}
      />
    </div>
  );
}

export const activityLabel = (e: ActivityEvent | undefined) => e?.event ?? 'any event';
