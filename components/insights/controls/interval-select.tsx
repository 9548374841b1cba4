'use client';
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@/components/ui/select';
import { daysIn, type DayRange, type Interval } from '../dates';

const INTERVALS: { value: Interval; label: string }[] = [
  { value: 'hour', label: 'Hourly' },
  { value: 'day', label: 'Daily' },
  { value: 'week', label: 'Weekly' },
  { value: 'month', label: 'Monthly' },
];

/** Hour/day/week/month buckets; hourly is offered for ranges of up to 31 days (the server's cap). */
export function IntervalSelect({
  value,
  onChange,
  range,
}: {
  value: Interval;
  onChange: (interval: Interval) => void;
  range: DayRange;
}) {
  const long = daysIn(range) > 31;
  return (
    <Select value={value} onValueChange={(v) => onChange(v as Interval)}>
      <SelectTrigger size="sm" className="w-28" aria-label="Interval" data-testid="interval">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {INTERVALS.map((i) => (
          <SelectItem key={i.value} value={i.value} disabled={i.value === 'hour' && long}>
            {i.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
