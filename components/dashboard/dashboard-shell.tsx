'use client';

// The dashboard's frame: a sidebar on wide screens; on a phone, a top bar whose menu button opens
// the same navigation as a panel over the page (focus moves into it, Escape or a tap outside
// closes it and focus goes back to the button, the page behind is inert while it is open).
import Link from 'next/link';
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { Logo } from '@/components/ui/logo';

const PANEL_ID = 'dashboard-navigation';
// Tailwind's `lg` breakpoint, where the sidebar is always shown.
const WIDE = '(min-width: 64rem)';

export function DashboardShell({ sidebar, children }: { sidebar: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);

  function close({ restoreFocus }: { restoreFocus: boolean }) {
    setOpen(false);
    if (restoreFocus) menuButton.current?.focus();
  }

  useEffect(() => {
    if (!open) return;
    const focusable = panel.current?.querySelectorAll<HTMLElement>('a[href], button') ?? [];
    Array.from(focusable)
      .find((element) => element.getClientRects().length > 0)
      ?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      menuButton.current?.focus();
    };
    // Growing past the breakpoint turns the panel back into the sidebar: nothing stays "open".
    const wide = window.matchMedia(WIDE);
    const onWide = () => wide.matches && setOpen(false);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    document.addEventListener('keydown', onKeyDown);
    wide.addEventListener('change', onWide);
    return () => {
      document.body.style.overflow = overflow;
      document.removeEventListener('keydown', onKeyDown);
      wide.removeEventListener('change', onWide);
    };
  }, [open]);

  // Following a link in the panel closes it; the new page takes the focus.
  function onPanelClick(event: MouseEvent<HTMLElement>) {
    if (open && (event.target as Element).closest('a[href]')) close({ restoreFocus: false });
  }

  return (
    <div className="min-h-screen lg:flex">
      <header className="sticky top-0 z-30 flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 lg:hidden">
        <Link
          href="/rooms"
          onClick={() => setOpen(false)}
          className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          <Logo />
        </Link>
        <button
          ref={menuButton}
          type="button"
          aria-label="Menu"
          aria-expanded={open}
          aria-controls={PANEL_ID}
          onClick={() => (open ? close({ restoreFocus: true }) : setOpen(true))}
          className="-mr-2 inline-flex h-10 w-10 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          <MenuIcon open={open} />
        </button>
      </header>
      {open && (
        <div
          aria-hidden="true"
          className="fixed inset-x-0 top-14 bottom-0 z-30 bg-slate-900/30 lg:hidden"
          onClick={() => close({ restoreFocus: true })}
        />
      )}
      <aside
        id={PANEL_ID}
        ref={panel}
        onClick={onPanelClick}
        className={`${
          open ? 'fixed top-14 bottom-0 left-0 z-40 flex w-72 max-w-[85vw] overflow-y-auto shadow-xl' : 'hidden'
        } flex-col border-r border-slate-200 bg-white px-3 py-5 lg:sticky lg:top-0 lg:flex lg:h-screen lg:w-56 lg:overflow-y-auto lg:max-w-none lg:shrink-0 lg:shadow-none`}
      >
        {sidebar}
      </aside>
      <main inert={open} className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
        <div className="mx-auto max-w-5xl">{children}</div>
      </main>
    </div>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className="h-6 w-6"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
    >
      {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
    </svg>
  );
}
