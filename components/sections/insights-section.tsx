import { Suspense } from 'react';
import { InsightsPage } from '@/components/insights/insights-page';
import type { SectionProps } from './types';

/** The Insights section: the builder (components/insights/), its state in the URL. */
export function InsightsSection(props: SectionProps) {
  return (
    <Suspense>
      <InsightsPage {...props} />
    </Suspense>
  );
}
