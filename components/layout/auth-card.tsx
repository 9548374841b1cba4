import * as React from 'react';
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from '@/components/ui/card';
import { LogoMark, PRODUCT_NAME } from '@/components/layout/logo';
import { ThemeToggle } from '@/components/layout/theme-toggle';
import { cn } from '@/lib/utils';

export interface AuthCardProps {
  title: string;
  description?: React.ReactNode;
  children?: React.ReactNode;
  /** Below the card body, separated by a border (e.g. "Already have an account? Sign in"). */
  footer?: React.ReactNode;
  className?: string;
}

/** Centred card on a subtle background, for sign-in, invitation and "no access" pages. */
export function AuthCard({ title, description, children, footer, className }: AuthCardProps) {
  return (
    <div className="relative isolate flex min-h-svh flex-col items-center justify-center overflow-hidden bg-muted/40 px-4 py-12 dark:bg-background">
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 -z-10 bg-[radial-gradient(60rem_30rem_at_50%_-10%,color-mix(in_oklch,var(--primary)_14%,transparent),transparent_70%)]"
      />
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 -z-10 bg-[linear-gradient(to_right,var(--border)_1px,transparent_1px),linear-gradient(to_bottom,var(--border)_1px,transparent_1px)] [mask-image:radial-gradient(ellipse_at_center,black_20%,transparent_70%)] bg-[size:3rem_3rem] opacity-60"
      />
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="flex w-full max-w-sm flex-col items-center gap-6">
        <div className="flex items-center gap-2.5">
          <LogoMark className="size-9" />
          <span className="text-lg font-semibold tracking-tight">{PRODUCT_NAME}</span>
        </div>
        <Card data-slot="auth-card" className={cn('w-full shadow-lg', className)}>
          <CardHeader className="gap-2">
            <CardTitle className="text-xl">{title}</CardTitle>
            {description ? <CardDescription>{description}</CardDescription> : null}
          </CardHeader>
          {children ? <CardContent className="grid gap-4">{children}</CardContent> : null}
          {footer ? (
            <CardFooter className="justify-center border-t text-sm text-muted-foreground">
              {footer}
            </CardFooter>
          ) : null}
        </Card>
        <p className="text-xs text-muted-foreground">Self-hosted product analytics</p>
      </div>
    </div>
  );
}
