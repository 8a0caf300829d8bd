// Ready-to-paste MCP configuration for each supported agent client, written the way each client
// documents it today. The room's own MCP URL with OAuth comes first: no header, no token — the
// client sends the user to the browser to approve it (MCP authorization). Then the member's own
// credentials: Streamable HTTP (`/mcp`, credentials in headers); the seed's SSE URL (HTTP+SSE, which the MCP specification and
// the clients now call deprecated, and which carries the token in its query string) is the legacy
// variant for clients or setups that need it.
import type { Role } from '../generated/prisma/enums';

export type ConnectionDetails = { baseUrl: string; userId: string; roomId: string; token: string; role: Role };

export type Snippet = {
  /** Where it goes: a file path, or "terminal" for a command. */
  where: string;
  language: 'json' | 'toml' | 'shell';
  content: string;
};

export type Transport = 'OAuth' | 'Streamable HTTP' | 'SSE (legacy)';

export type ClientVariant = { transport: Transport; snippets: Snippet[]; note?: string };

export type ClientConfig = { client: string; slug: string; variants: ClientVariant[] };

const SERVER_NAME = 'aegis';
/** The environment variable that Codex reads the token from, so the token stays out of its file. */
export const CODEX_TOKEN_ENV = 'AEGIS_ACCESS_TOKEN';

export function sseUrl(d: ConnectionDetails): string {
  const query = new URLSearchParams({ user_id: d.userId, room_id: d.roomId, access_token: d.token, role: d.role });
  return `${d.baseUrl.replace(/\/$/, '')}/sse?${query}`;
}

/** The room's own MCP URL, for OAuth-capable clients (lib/oauth/resource-urls.ts). */
export function roomMcpUrl(d: Pick<ConnectionDetails, 'baseUrl' | 'roomId'>): string {
  return `${d.baseUrl.replace(/\/$/, '')}/rooms/${d.roomId}/mcp`;
}

const OAUTH_NOTE =
  'No token in the file: the first time it connects, the agent opens your browser to approve it and pick its role.';

export function mcpUrl(d: ConnectionDetails): string {
  return `${d.baseUrl.replace(/\/$/, '')}/mcp`;
}

/** The headers that carry an agent's credentials on /mcp. */
export function mcpHeaders(d: ConnectionDetails): Record<string, string> {
  return { Authorization: `Bearer ${d.token}`, ...identityHeaders(d) };
}

function identityHeaders(d: ConnectionDetails): Record<string, string> {
  return { 'X-Aegis-User': d.userId, 'X-Aegis-Room': d.roomId, 'X-Aegis-Role': d.role };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const tomlString = (value: string) => JSON.stringify(value); // a TOML basic string has JSON's escapes
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

const NOT_IN_GIT = 'It holds your token: keep it out of version control.';

export function clientConfigs(d: ConnectionDetails): ClientConfig[] {
  const sse = sseUrl(d);
  const http = mcpUrl(d);
  const headers = mcpHeaders(d);
  const headerFlags = Object.entries(headers).map(([name, value]) => `--header ${shellQuote(`${name}: ${value}`)}`);
  const room = roomMcpUrl(d);
  return withOAuthFirst(
    [
      {
        client: 'Claude Code',
        slug: 'claude-code',
        variants: [
          {
            transport: 'Streamable HTTP',
            note: `Run it once; --scope user writes ~/.claude.json (every project), --scope project writes .mcp.json. ${NOT_IN_GIT}`,
            snippets: [
              {
                where: 'terminal',
                language: 'shell',
                // --header takes several values: it goes after the name and URL.
                content: [
                  `claude mcp add --transport http --scope user ${SERVER_NAME} ${shellQuote(http)}`,
                  ...headerFlags,
                ].join(' \\\n  '),
              },
              {
                where: '.mcp.json (project scope)',
                language: 'json',
                content: json({ mcpServers: { [SERVER_NAME]: { type: 'http', url: http, headers } } }),
              },
            ],
          },
          {
            transport: 'SSE (legacy)',
            snippets: [
              {
                where: 'terminal',
                language: 'shell',
                content: `claude mcp add --transport sse --scope user ${SERVER_NAME} ${shellQuote(sse)}`,
              },
              {
                where: '.mcp.json (project scope)',
                language: 'json',
                content: json({ mcpServers: { [SERVER_NAME]: { type: 'sse', url: sse } } }),
              },
            ],
          },
        ],
      },
      {
        client: 'Cursor',
        slug: 'cursor',
        variants: [
          {
            transport: 'Streamable HTTP',
            note: NOT_IN_GIT,
            snippets: [
              {
                where: '~/.cursor/mcp.json (user) or .cursor/mcp.json (project)',
                language: 'json',
                content: json({ mcpServers: { [SERVER_NAME]: { url: http, headers } } }),
              },
            ],
          },
          {
            transport: 'SSE (legacy)',
            snippets: [
              {
                where: '~/.cursor/mcp.json (user) or .cursor/mcp.json (project)',
                language: 'json',
                content: json({ mcpServers: { [SERVER_NAME]: { url: sse } } }),
              },
            ],
          },
        ],
      },
      {
        client: 'VS Code Copilot',
        slug: 'vscode',
        variants: [
          {
            transport: 'Streamable HTTP',
            note: 'VS Code asks for the token the first time and keeps it in its secret storage, so this file can be committed. Paste your token when asked.',
            snippets: [
              {
                where: '.vscode/mcp.json (workspace)',
                language: 'json',
                content: json({
                  inputs: [
                    { type: 'promptString', id: 'aegis-token', description: 'Aegis access token', password: true },
                  ],
                  servers: {
                    [SERVER_NAME]: {
                      type: 'http',
                      url: http,
                      headers: { Authorization: 'Bearer ${input:aegis-token}', ...identityHeaders(d) },
                    },
                  },
                }),
              },
              { where: 'the token VS Code asks for', language: 'shell', content: d.token },
            ],
          },
          {
            transport: 'SSE (legacy)',
            note: NOT_IN_GIT,
            snippets: [
              {
                where: '.vscode/mcp.json (workspace)',
                language: 'json',
                content: json({ servers: { [SERVER_NAME]: { type: 'sse', url: sse } } }),
              },
            ],
          },
        ],
      },
      {
        client: 'Windsurf',
        slug: 'windsurf',
        variants: [
          {
            transport: 'Streamable HTTP',
            snippets: [
              {
                where: '~/.codeium/windsurf/mcp_config.json',
                language: 'json',
                content: json({ mcpServers: { [SERVER_NAME]: { serverUrl: http, headers } } }),
              },
            ],
          },
          {
            transport: 'SSE (legacy)',
            snippets: [
              {
                where: '~/.codeium/windsurf/mcp_config.json',
                language: 'json',
                content: json({ mcpServers: { [SERVER_NAME]: { serverUrl: sse } } }),
              },
            ],
          },
        ],
      },
      {
        client: 'Codex',
        slug: 'codex',
        variants: [
          {
            transport: 'Streamable HTTP',
            note: `Codex reads the token from ${CODEX_TOKEN_ENV}, so it never sits in config.toml: set it where Codex starts (your shell profile). Codex speaks Streamable HTTP only.`,
            snippets: [
              {
                where: '~/.codex/config.toml',
                language: 'toml',
                content: [
                  `[mcp_servers.${SERVER_NAME}]`,
                  `url = ${tomlString(http)}`,
                  `bearer_token_env_var = ${tomlString(CODEX_TOKEN_ENV)}`,
                  '',
                  `[mcp_servers.${SERVER_NAME}.http_headers]`,
                  ...Object.entries(identityHeaders(d)).map(
                    ([name, value]) => `${tomlString(name)} = ${tomlString(value)}`,
                  ),
                  '',
                ].join('\n'),
              },
              {
                where: 'shell profile',
                language: 'shell',
                content: `export ${CODEX_TOKEN_ENV}=${shellQuote(d.token)}`,
              },
            ],
          },
        ],
      },
    ],
    {
      'claude-code': {
        transport: 'OAuth',
        note: `${OAUTH_NOTE} In Claude Code, run /mcp and choose Authenticate if it does not open by itself.`,
        snippets: [
          {
            where: 'terminal',
            language: 'shell',
            content: `claude mcp add --transport http --scope user ${SERVER_NAME} ${shellQuote(room)}`,
          },
          {
            where: '.mcp.json (project scope)',
            language: 'json',
            content: json({ mcpServers: { [SERVER_NAME]: { type: 'http', url: room } } }),
          },
        ],
      },
      cursor: {
        transport: 'OAuth',
        note: OAUTH_NOTE,
        snippets: [
          {
            where: '~/.cursor/mcp.json (user) or .cursor/mcp.json (project)',
            language: 'json',
            content: json({ mcpServers: { [SERVER_NAME]: { url: room } } }),
          },
        ],
      },
      vscode: {
        transport: 'OAuth',
        note: `${OAUTH_NOTE} This file can be committed.`,
        snippets: [
          {
            where: '.vscode/mcp.json (workspace)',
            language: 'json',
            content: json({ servers: { [SERVER_NAME]: { type: 'http', url: room } } }),
          },
        ],
      },
      windsurf: {
        transport: 'OAuth',
        note: OAUTH_NOTE,
        snippets: [
          {
            where: '~/.codeium/windsurf/mcp_config.json',
            language: 'json',
            content: json({ mcpServers: { [SERVER_NAME]: { serverUrl: room } } }),
          },
        ],
      },
      codex: {
        transport: 'OAuth',
        note: 'No token in the file: run the login command once; it opens your browser to approve Codex and pick its role.',
        snippets: [
          {
            where: '~/.codex/config.toml',
            language: 'toml',
            content: [`[mcp_servers.${SERVER_NAME}]`, `url = ${tomlString(room)}`, ''].join('\n'),
          },
          { where: 'terminal', language: 'shell', content: `codex mcp login ${SERVER_NAME}` },
        ],
      },
    },
  );
}

/** Puts each client's OAuth variant before its member-token variants. */
function withOAuthFirst(configs: ClientConfig[], oauth: Record<string, ClientVariant>): ClientConfig[] {
  return configs.map((c) => ({ ...c, variants: oauth[c.slug] ? [oauth[c.slug]!, ...c.variants] : c.variants }));
}
