import { MessageSquareText, SendHorizontal, WifiOff } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import type { SectionProps } from './types';

export const EXAMPLE_QUESTIONS = [
  'How many users signed up in October 2026?',
  'Weekly active users by plan since August',
  'Which features do churned users use least?',
] as const;

export function AskSection({ workspaceSlug: _workspaceSlug, role: _role }: SectionProps) {
  return (
    <div className="mx-auto grid w-full max-w-3xl gap-6 p-6" data-testid="section-ask">
      <PageHeader
        title="Ask"
        description="Ask questions about your product data in plain English."
        badge={<Badge variant="outline">Coming soon</Badge>}
      />

      <Card className="gap-4 py-4">
        <CardContent className="grid gap-3 px-4">
          <Label htmlFor="ask-question" className="sr-only">
            Your question
          </Label>
          <Textarea
            id="ask-question"
            disabled
            rows={3}
            placeholder="Ask a question, e.g. “How many users signed up last week?”"
            className="min-h-24 resize-none border-0 bg-transparent px-1 shadow-none focus-visible:ring-0 dark:bg-transparent"
            data-testid="ask-input"
          />
          <div className="flex items-center justify-between gap-2 border-t pt-3">
            <span className="flex items-center gap-1.5 text-xs text-muted-foreground">
              <MessageSquareText className="size-3.5" aria-hidden />
              Questions are answered from this workspace&apos;s data.
            </span>
            <Button size="sm" disabled>
              <SendHorizontal />
              Ask
            </Button>
          </div>
        </CardContent>
      </Card>

      <section aria-labelledby="ask-examples-heading" className="grid gap-3">
        <h2 id="ask-examples-heading" className="text-sm font-semibold">
          Questions you will be able to ask
        </h2>
        <ul className="grid gap-2">
          {EXAMPLE_QUESTIONS.map((question) => (
            <li
              key={question}
              data-disabled=""
              className="flex cursor-not-allowed items-center gap-3 rounded-lg border bg-card px-4 py-3 text-sm text-muted-foreground"
            >
              <MessageSquareText className="size-4 shrink-0" aria-hidden />
              {question}
            </li>
          ))}
        </ul>
      </section>

      <Alert variant="info">
        <WifiOff />
        <AlertTitle>Arrives with the Ask release</AlertTitle>
        <AlertDescription>
          Answers are computed on this server from your own data. Ask works offline and needs no API
          key or external service.
        </AlertDescription>
      </Alert>
    </div>
  );
}
