import type { Metadata } from 'next';
import { BrowserZodConfig } from '@/components/browser-zod-config';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Aegis', template: '%s · Aegis' },
  description: 'Governance gateway for AI coding agents',
};

// Every page renders per request: its scripts carry the nonce of that response's
// Content-Security-Policy (proxy.ts), which a page prerendered at build time could not.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <BrowserZodConfig />
        {children}
      </body>
    </html>
  );
}
