import type { ReactNode } from 'react';

/**
 * The box a table sits in: on a narrow screen a table wider than the page scrolls sideways inside
 * it, so the page itself never does. `bare` drops the card look for tables already inside a card.
 */
export function TableFrame({ children, bare = false }: { children: ReactNode; bare?: boolean }) {
  return (
    <div className={`max-w-full overflow-x-auto ${bare ? '' : 'rounded-lg bg-white shadow-sm ring-1 ring-slate-200'}`}>
      {children}
    </div>
  );
}
