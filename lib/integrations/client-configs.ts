// Ready-to-paste MCP configuration for each supported agent client, with the user's credentials
// filled in. Each client gets the SSE endpoint (the documented contract) and, where the client
// speaks Streamable HTTP, the /mcp variant with the credentials in headers.
import type { Role } from '../generated/prisma/enums';

export type ConnectionDetails = { baseUrl: string; userId: string; roomId: string; token: string; role: Role };

export type ClientConfig = {
  client: string;
  transport: 'SSE' | 'Streamable HTTP';
  files: string[];
  language: 'json' | 'toml';
  content: string;
  note?: string;
};

const SERVER_NAME = 'aegis';

export function sseUrl(d: ConnectionDetails): string {
  const query = new URLSearchParams({ user_id: d.userId, room_id: d.roomId, access_token: d.token, role: d.role });
  return `${d.baseUrl.replace(/\/$/, '')}/sse?${query}`;
}

export function mcpUrl(d: ConnectionDetails): string {
  return `${d.baseUrl.replace(/\/$/, '')}/mcp`;
}

export function mcpHeaders(d: ConnectionDetails): Record<string, string> {
  return {
    Authorization: `Bearer ${d.token}`,
    'X-Aegis-User': d.userId,
    'X-Aegis-Room': d.roomId,
    'X-Aegis-Role': d.role,
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const tomlString = (value: string) => JSON.stringify(value); // a TOML basic string has JSON's escapes

export function clientConfigs(d: ConnectionDetails): ClientConfig[] {
  const sse = sseUrl(d);
  const http = mcpUrl(d);
  const headers = mcpHeaders(d);
  return [
    {
      client: 'Claude Code',
      transport: 'SSE',
      files: ['~/.claude/mcp.json (user level)', '.mcp.json (project level)'],
      language: 'json',
      content: json({ mcpServers: { [SERVER_NAME]: { type: 'sse', url: sse } } }),
    },
    {
      client: 'Claude Code',
      transport: 'Streamable HTTP',
      files: ['~/.claude/mcp.json (user level)', '.mcp.json (project level)'],
      language: 'json',
      content: json({ mcpServers: { [SERVER_NAME]: { type: 'http', url: http, headers } } }),
    },
    {
      client: 'Cursor',
      transport: 'SSE',
      files: ['~/.cursor/mcp.json (user level)', '.cursor/mcp.json (workspace)'],
      language: 'json',
      content: json({ mcpServers: { [SERVER_NAME]: { url: sse } } }),
    },
    {
      client: 'Cursor',
      transport: 'Streamable HTTP',
      files: ['~/.cursor/mcp.json (user level)', '.cursor/mcp.json (workspace)'],
      language: 'json',
      content: json({ mcpServers: { [SERVER_NAME]: { url: http, headers } } }),
    },
    {
      client: 'VS Code Copilot',
      transport: 'SSE',
      files: ['.vscode/mcp.json (workspace)'],
      language: 'json',
      content: json({ servers: { [SERVER_NAME]: { type: 'sse', url: sse } } }),
    },
    {
      client: 'VS Code Copilot',
      transport: 'Streamable HTTP',
      files: ['.vscode/mcp.json (workspace)'],
      language: 'json',
      content: json({ servers: { [SERVER_NAME]: { type: 'http', url: http, headers } } }),
    },
    {
      client: 'Windsurf',
      transport: 'SSE',
      files: ['~/.codeium/windsurf/mcp_config.json'],
      language: 'json',
      content: json({ mcpServers: { [SERVER_NAME]: { serverUrl: sse } } }),
    },
    {
      client: 'Windsurf',
      transport: 'Streamable HTTP',
      files: ['~/.codeium/windsurf/mcp_config.json'],
      language: 'json',
      content: json({ mcpServers: { [SERVER_NAME]: { serverUrl: http, headers } } }),
    },
    {
      client: 'Codex',
      transport: 'Streamable HTTP',
      files: ['~/.codex/config.toml'],
      language: 'toml',
      content: [
        `[mcp_servers.${SERVER_NAME}]`,
        `url = ${tomlString(http)}`,
        '',
        `[mcp_servers.${SERVER_NAME}.http_headers]`,
        ...Object.entries(headers).map(([name, value]) => `${tomlString(name)} = ${tomlString(value)}`),
        '',
      ].join('\n'),
    },
    {
      client: 'Codex',
      transport: 'SSE',
      files: ['~/.codex/config.toml'],
      language: 'toml',
      note: 'Codex reaches SSE servers through the mcp-remote bridge (Node.js required).',
      content: [
        `[mcp_servers.${SERVER_NAME}]`,
        `command = "npx"`,
        `args = ["-y", "mcp-remote", ${tomlString(sse)}]`,
        '',
      ].join('\n'),
    },
  ];
}
