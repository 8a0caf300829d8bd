// The first screen a signed-out visitor sees: what Aegis does for a team whose coding agents touch
// its repositories, the four things that can happen to an agent's call, and how an agent connects.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { Badge, type BadgeTone } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { Logo } from '@/components/ui/logo';

// Each outcome's icon: 24×24 strokes, drawn here rather than taken from a font that may lack them.
const OUTCOMES: { title: string; tone: string; icon: ReactNode; children: ReactNode }[] = [
  {
    title: 'Allow',
    tone: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
    icon: <path d="m5 12.5 4.5 4.5L19 7.5" />,
    children: 'Reads and routine work on agent branches go straight through — and are still written to the audit log.',
  },
  {
    title: 'Rewrite',
    tone: 'bg-indigo-50 text-indigo-700 ring-indigo-200',
    icon: <path d="M6 19v-7a4 4 0 0 1 4-4h9m0 0-3.5-3.5M19 8l-3.5 3.5" />,
    children:
      'A push to main or another protected branch becomes a new branch plus a pull request. The agent gets the link and carries on.',
  },
  {
    title: 'Ask for approval',
    tone: 'bg-amber-50 text-amber-800 ring-amber-200',
    icon: (
      <>
        <circle cx="12" cy="12" r="8" />
        <path d="M12 7.5V12l3 2" />
      </>
    ),
    children:
      'Changes to CI/CD, infrastructure or auth code, or with a large blast radius, wait for a reviewer who reads the diff and approves or denies — from a phone if need be.',
  },
  {
    title: 'Block',
    tone: 'bg-red-50 text-red-700 ring-red-200',
    icon: (
      <>
        <circle cx="12" cy="12" r="8" />
        <path d="m6.5 6.5 11 11" />
      </>
    ),
    children:
      'Pushed secrets, writes during a freeze window, badly named branches: refused, with a message the agent can act on.',
  },
];

// What the hero shows: a few calls as a room's audit log would list them.
const EXAMPLE_CALLS: { tool: string; detail: string; tone: BadgeTone; decision: string; outcome: string }[] = [
  { tool: 'list_branches', detail: 'claude-code', tone: 'green', decision: 'allow', outcome: '12 branches' },
  {
    tool: 'push_files',
    detail: 'to main · cursor',
    tone: 'blue',
    decision: 'rewrite',
    outcome: 'pushed to aegis/main-3f2a1c, opened pull request #41',
  },
  {
    tool: 'push_files',
    detail: '.github/workflows/ci.yml · codex',
    tone: 'yellow',
    decision: 'require approval',
    outcome: 'waiting for a reviewer',
  },
  {
    tool: 'push_files',
    detail: 'deploy/id_rsa · windsurf',
    tone: 'red',
    decision: 'block',
    outcome: 'content looks like a private key',
  },
];

const STEPS: { title: string; children: ReactNode }[] = [
  {
    title: 'Create a room for a repository',
    children:
      'A room ties one repository — a git path or URL, or GitHub — to its policy and its members. Aegis holds the repository credentials; agents never see them.',
  },
  {
    title: 'Paste the connection into your agent',
    children:
      'Integrations gives ready-to-paste MCP configuration for Claude Code, Cursor, VS Code Copilot, Windsurf and Codex, with your credentials and role filled in.',
  },
  {
    title: 'Let it work',
    children:
      'The agent sees the tools it already knows — list_branches, push_files, create_pull_request, merge_pull_request. Every call is decided by the room’s policy and recorded before anything runs; you watch sessions and approvals live.',
  },
];

const EXAMPLE_CONFIG = `{
  "mcpServers": {
    "aegis": {
      "type": "http",
      "url": "https://aegis.example.com/mcp",
      "headers": {
        "Authorization": "Bearer <your access token>",
        "X-Aegis-User": "<your user ID>",
        "X-Aegis-Room": "<the room ID>",
        "X-Aegis-Role": "DEVELOPER"
      }
    }
  }
}`;

function Actions() {
  return (
    <div className="flex flex-wrap gap-3">
      <Link href="/sign-up" className={buttonClasses()}>
        Sign up
      </Link>
      <Link href="/sign-in" className={buttonClasses('secondary')}>
        Sign in
      </Link>
    </div>
  );
}

function ExampleCalls() {
  return (
    <figure className="min-w-0 rounded-xl bg-white p-4 shadow-lg ring-1 ring-slate-200">
      <figcaption className="flex items-center justify-between gap-3 border-b border-slate-100 pb-3 text-xs text-slate-500">
        <span>
          Room <span className="font-medium text-slate-700">payments-service</span>
        </span>
        <span>Audit log, newest last</span>
      </figcaption>
      <ol className="divide-y divide-slate-100">
        {EXAMPLE_CALLS.map((call, index) => (
          <li key={index} className="py-3 text-sm">
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <code className="font-mono text-xs font-medium text-slate-900">{call.tool}</code>
              <span className="text-xs text-slate-500">{call.detail}</span>
            </p>
            <p className="mt-1.5 flex flex-wrap items-center gap-2">
              <Badge tone={call.tone}>{call.decision}</Badge>
              <span className="text-xs text-slate-600">{call.outcome}</span>
            </p>
          </li>
        ))}
      </ol>
    </figure>
  );
}

export function LandingPage() {
  return (
    <div className="min-h-screen bg-white">
      <header className="border-b border-slate-200">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <Link href="/" aria-label="Aegis home" className="rounded-md">
            <Logo />
          </Link>
          <nav aria-label="Account" className="flex items-center gap-2">
            <Link href="/sign-in" className={buttonClasses('ghost')}>
              Sign in
            </Link>
            <Link href="/sign-up" className={buttonClasses()}>
              Sign up
            </Link>
          </nav>
        </div>
      </header>

      <main>
        <section className="bg-gradient-to-b from-indigo-50 to-white">
          <div className="mx-auto grid max-w-5xl items-center gap-10 px-4 py-12 sm:px-6 sm:py-16 lg:grid-cols-[3fr_2fr]">
            <div className="min-w-0">
              <p className="text-sm font-semibold text-indigo-700">Governance gateway for AI coding agents</p>
              <h1 className="mt-3 text-3xl font-bold tracking-tight text-slate-900 sm:text-5xl lg:text-[2.75rem] lg:leading-tight">
                Let coding agents work on your repositories, under your team’s rules.
              </h1>
              <p className="mt-5 text-base text-slate-600 sm:text-lg">
                Claude Code, Cursor, VS Code Copilot, Windsurf and Codex connect to Aegis over the Model Context
                Protocol (MCP) instead of holding your repository credentials. Every branch, push, pull request and
                merge an agent attempts is checked against the room’s policy and written to a tamper-evident audit log
                first — and your repositories need no changes.
              </p>
              <div className="mt-8">
                <Actions />
              </div>
            </div>
            <ExampleCalls />
          </div>
        </section>

        <section aria-labelledby="outcomes" className="mx-auto max-w-5xl px-4 py-12 sm:px-6 sm:py-14">
          <h2 id="outcomes" className="text-2xl font-semibold tracking-tight text-slate-900">
            Four things can happen to an agent’s call
          </h2>
          <p className="mt-2 max-w-2xl text-slate-600">
            Each room has an ordered list of rules; the first that matches decides, and every decision names its rule.
          </p>
          <ul className="mt-8 grid gap-4 sm:grid-cols-2">
            {OUTCOMES.map((outcome) => (
              <li key={outcome.title} className="rounded-lg p-5 ring-1 ring-slate-200">
                <div className="flex items-center gap-3">
                  <span
                    className={`flex h-9 w-9 shrink-0 items-center justify-center rounded-full ring-1 ring-inset ${outcome.tone}`}
                  >
                    <svg
                      aria-hidden="true"
                      viewBox="0 0 24 24"
                      className="h-5 w-5"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth={2}
                      strokeLinecap="round"
                      strokeLinejoin="round"
                    >
                      {outcome.icon}
                    </svg>
                  </span>
                  <h3 className="text-lg font-semibold text-slate-900">{outcome.title}</h3>
                </div>
                <p className="mt-3 text-sm text-slate-600">{outcome.children}</p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="connect" className="border-t border-slate-200 bg-slate-50">
          <div className="mx-auto grid max-w-5xl gap-10 px-4 py-14 sm:px-6 lg:grid-cols-2">
            <div className="min-w-0">
              <h2 id="connect" className="text-2xl font-semibold tracking-tight text-slate-900">
                How an agent connects
              </h2>
              <ol className="mt-6 space-y-6">
                {STEPS.map((step, index) => (
                  <li key={step.title} className="flex gap-4">
                    <span
                      aria-hidden="true"
                      className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white"
                    >
                      {index + 1}
                    </span>
                    <div className="min-w-0">
                      <h3 className="font-semibold text-slate-900">{step.title}</h3>
                      <p className="mt-1 text-sm text-slate-600">{step.children}</p>
                    </div>
                  </li>
                ))}
              </ol>
            </div>
            <figure className="min-w-0 self-center">
              <CodeBlock tone="dark" className="p-4" aria-label="Example agent configuration">
                {EXAMPLE_CONFIG}
              </CodeBlock>
              <figcaption className="mt-2 text-xs text-slate-500">
                An agent’s MCP configuration: Streamable HTTP at <code className="font-mono">/mcp</code>, or the
                compatible SSE URL. Integrations fills in the real values.
              </figcaption>
            </figure>
          </div>
        </section>

        <section className="mx-auto max-w-5xl px-4 py-14 sm:px-6">
          <h2 className="text-2xl font-semibold tracking-tight text-slate-900">Start with one repository</h2>
          <p className="mt-2 max-w-2xl text-slate-600">
            Create an account, create a room, connect an agent. The default policy is already sensible; change it when
            you know what you want.
          </p>
          <div className="mt-6">
            <Actions />
          </div>
        </section>
      </main>
    </div>
  );
}
