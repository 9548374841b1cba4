import type { Metadata } from 'next';
import './globals.css';
import { ThemeProvider } from '@/components/theme-provider';
import { Toaster } from '@/components/ui/toaster';
import { TRPCReactProvider } from '@/lib/trpc/client';

export const metadata: Metadata = {
  title: { default: 'Telemetry Lakehouse', template: '%s · Telemetry Lakehouse' },
  description: 'Self-hosted product analytics on an open lakehouse',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen bg-background font-sans text-foreground antialiased">
        <ThemeProvider>
          <TRPCReactProvider>{children}</TRPCReactProvider>
          <Toaster />
        </ThemeProvider>
      </body>
    </html>
  );
}
