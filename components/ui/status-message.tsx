import type { ReactNode } from 'react';

/**
 * A whole-page message (not found, an error): what happened in a few words, what it means, and
 * where to go from here. The page's one level-1 heading.
 */
export function StatusMessage({
  code,
  title,
  children,
  actions,
}: {
  /** A short label above the title: "404", "Error". */
  code: string;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="mx-auto max-w-xl px-2 py-12 text-center sm:py-20">
      <p className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">{code}</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
      <div className="mt-3 space-y-2 text-sm text-slate-600">{children}</div>
      {actions && <div className="mt-8 flex flex-wrap items-center justify-center gap-3">{actions}</div>}
    </section>
  );
}

/**
 * The reference Next.js gives a server error (`digest`), which the server's log also shows; the
 * error's message and stack never reach the browser in production.
 */
export function errorDigest(error: unknown): string | undefined {
  return error instanceof Error && 'digest' in error && typeof error.digest === 'string' ? error.digest : undefined;
}
