// GET /oauth/authorize — the authorization endpoint: checks the agent's request, sends a signed-out
// user through sign-in and back, and asks the member to approve the agent for one room and role.
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { checkAuthorizationRequest, errorRedirect } from '@/lib/oauth/authorization-request';
import { consentRoom } from '@/lib/oauth/consent';
import { signConsentRequest } from '@/lib/oauth/consent-request';
import { ROLE_SUMMARIES } from '@/lib/oauth/role-summaries';
import { Logo } from '@/components/ui/logo';
import { ConsentForm } from './consent-form';

export const metadata: Metadata = { title: 'Connect an agent' };
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function toParams(query: Awaited<SearchParams>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, v);
  }
  return params;
}

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-lg">
        <div className="mb-6 text-center">
          <Logo size="lg" />
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">{children}</div>
      </div>
    </main>
  );
}

function Refusal({ message, back }: { message: string; back?: string }) {
  return (
    <Frame>
      <h1 className="text-lg font-semibold text-slate-900">This agent cannot be connected</h1>
      <p role="alert" className="mt-2 text-sm text-slate-700">
        {message}
      </p>
      <p className="mt-4 text-sm">
        {back ? (
          <a href={back} className="font-semibold text-indigo-600">
            Tell the agent and go back
          </a>
        ) : (
          <Link href="/rooms" className="font-semibold text-indigo-600">
            Go to your rooms
          </Link>
        )}
      </p>
    </Frame>
  );
}

export default async function AuthorizePage({ searchParams }: { searchParams: SearchParams }) {
  const params = toParams(await searchParams);
  const checked = await checkAuthorizationRequest(params);
  if (!checked.ok) {
    if ('redirect' in checked) redirect(checked.redirect);
    return <Refusal message={checked.show} />;
  }
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/oauth/authorize?${params}`)}`);
  const request = checked.request;
  const room = await consentRoom(user.id, request.roomId);
  if (!room) {
    return (
      <Refusal
        message="You are not a member of the room this agent asks for, or it does not exist. Check the MCP URL on the room's page."
        back={errorRedirect(
          request.redirectUri,
          'access_denied',
          'The user is not a member of this room',
          request.state,
        )}
      />
    );
  }
  const consent = await signConsentRequest(user.id, request);
  return (
    <Frame>
      <h1 className="text-lg font-semibold text-slate-900">Connect {request.clientName} to Aegis?</h1>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-500">Agent</dt>
        <dd className="break-words font-medium text-slate-900" aria-label="Agent">
          {request.clientName}
        </dd>
        <dt className="text-slate-500">Returns to</dt>
        <dd className="break-all font-mono text-slate-900" aria-label="Returns to">
          {request.redirectHost}
        </dd>
        <dt className="text-slate-500">Room</dt>
        <dd className="break-words font-medium text-slate-900" aria-label="Room">
          {room.name}
        </dd>
        <dt className="text-slate-500">Signed in as</dt>
        <dd className="break-words text-slate-900">
          {user.name} ({user.email}), {room.myRole}
        </dd>
      </dl>
      <p className="mt-4 text-sm text-slate-600">
        The agent will act in this room as you, with the role you choose; every call it makes is checked against the
        room&apos;s policy and written to the audit log. Approve only if you started this from your agent.
      </p>
      <div className="mt-4">
        <ConsentForm consent={consent} roles={room.roles} summaries={ROLE_SUMMARIES} />
      </div>
    </Frame>
  );
}
