import { CopyButton } from '@/components/ui/copy-button';

/** The room's own MCP URL, the recommended way to connect: the agent signs in with OAuth, no token to paste. */
export function RoomMcpUrl({ url }: { url: string }) {
  const claude = `claude mcp add --transport http aegis ${url}`;
  return (
    <dl className="space-y-4">
      <div>
        <dt className="text-sm font-medium text-slate-700">MCP URL</dt>
        <dd className="mt-1 flex min-w-0 flex-wrap items-center gap-3">
          <code
            aria-label="Room MCP URL"
            className="min-w-0 break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm"
          >
            {url}
          </code>
          <CopyButton value={url} label="Copy room MCP URL" />
        </dd>
      </div>
      <div>
        <dt className="text-sm font-medium text-slate-700">Claude Code</dt>
        <dd className="mt-1 flex min-w-0 flex-wrap items-center gap-3">
          <code className="min-w-0 break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs">{claude}</code>
          <CopyButton value={claude} label="Copy Claude Code command" />
        </dd>
      </div>
    </dl>
  );
}
