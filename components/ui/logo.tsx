// The Aegis mark (a shield with a check, the same drawing as app/icon.svg) and its wordmark.

export function LogoMark({ className = 'h-7 w-7' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 64 64" className={className}>
      <rect width="64" height="64" rx="14" fill="#4f46e5" />
      <path d="M32 11 49 17.5V31c0 10.5-6.8 18.4-17 22-10.2-3.6-17-11.5-17-22V17.5Z" fill="#fff" />
      <path
        d="m24 32 6 6 10.5-11"
        fill="none"
        stroke="#4f46e5"
        strokeWidth="5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The mark and the name, as the app's title in headers and the sidebar. */
export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  return (
    <span className="inline-flex items-center gap-2">
      <LogoMark className={size === 'lg' ? 'h-9 w-9' : 'h-7 w-7'} />
      <span className={`font-bold tracking-tight text-indigo-600 ${size === 'lg' ? 'text-3xl' : 'text-xl'}`}>
        Aegis
      </span>
    </span>
  );
}
