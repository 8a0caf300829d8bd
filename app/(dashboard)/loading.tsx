// Shown at once while a dashboard page loads (its data comes from the database on the server):
// the shape of a page header and two cards, and a status line for screen readers.
export default function DashboardLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse motion-reduce:animate-none">
      <span className="sr-only">Loading…</span>
      <div aria-hidden="true" className="mb-6 border-b border-slate-200 pb-4">
        <div className="h-7 w-48 max-w-full rounded bg-slate-200" />
        <div className="mt-3 h-4 w-80 max-w-full rounded bg-slate-200" />
      </div>
      <div aria-hidden="true" className="space-y-6">
        {[0, 1].map((card) => (
          <div key={card} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <div className="h-5 w-40 max-w-full rounded bg-slate-200" />
            <div className="mt-4 space-y-3">
              <div className="h-4 w-full rounded bg-slate-100" />
              <div className="h-4 w-5/6 rounded bg-slate-100" />
              <div className="h-4 w-2/3 rounded bg-slate-100" />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
