// The Content-Security-Policy of Aegis's pages: scripts run only when they carry this response's
// nonce (Next.js adds it to its own scripts and inline styles when it finds the policy on the
// request), plus what those scripts load ('strict-dynamic'). Nothing may frame the dashboard.
// Responses that are not pages (API, MCP, static files) get the stricter policy set in
// next.config.mjs.

export type PagePolicyOptions = {
  nonce: string;
  /** `next dev` needs eval for its error overlay and inline styles for its tooling. */
  development?: boolean;
  /** Served over https: ask browsers to upgrade any http subresource. */
  https?: boolean;
};

export function pageContentSecurityPolicy({ nonce, development = false, https = false }: PagePolicyOptions): string {
  const directives = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' ${development ? `'unsafe-inline'` : `'nonce-${nonce}'`}`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** A fresh, unguessable nonce for one response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}
