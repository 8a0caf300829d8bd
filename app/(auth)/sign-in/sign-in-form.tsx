'use client';

import Link from 'next/link';
import { getCsrfToken, signIn } from 'next-auth/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import { zodFieldErrors } from '@/lib/form-errors';
import { signInSchema } from '@/lib/users/schemas';

/** What the sign-in page says for next-auth's error codes and Aegis's own (see lib/auth). */
const ERRORS: Record<string, string> = {
  CredentialsSignin: 'Wrong email or password.',
  TooManyAttempts: 'Too many failed sign-ins. Wait a few minutes and try again.',
  OAuthEmailNotVerified:
    'Your identity provider has not verified your email address, so it cannot sign you in to Aegis. Verify the email with the provider (on GitHub: your primary email), then try again.',
  OAuthEmailMissing: 'Your identity provider did not share an email address, so it cannot sign you in to Aegis.',
  SessionRequired: 'Sign in to continue.',
};
const GENERIC_ERROR = 'Sign-in failed. Try again, or use another way to sign in.';

export function SignInForm({ providers }: { providers: { id: string; name: string }[] }) {
  const router = useRouter();
  const params = useSearchParams();
  const fromRedirect = params.get('error');
  const [error, setError] = useState<string | undefined>(
    fromRedirect ? (ERRORS[fromRedirect] ?? GENERIC_ERROR) : undefined,
  );
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>();
  const [pending, setPending] = useState(false);
  const callbackUrl = safeCallback(params.get('callbackUrl'));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    const data = new FormData(event.currentTarget);
    // The schema the server's credentials check parses with: what it would refuse anyway is named
    // field by field here, instead of as "wrong email or password".
    const parsed = signInSchema.safeParse({ email: data.get('email') ?? '', password: data.get('password') ?? '' });
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors(undefined);
    setPending(true);
    // next-auth's credentials endpoint, called directly (as its signIn() does) to read a 429's wait.
    const response = await fetch('/api/auth/callback/credentials', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
        csrfToken: (await getCsrfToken()) ?? '',
        callbackUrl,
        json: 'true',
      }),
    }).catch(() => null);
    if (response?.ok) {
      router.push(callbackUrl);
      router.refresh();
      return;
    }
    setPending(false);
    if (response?.status === 429) {
      setError(tooManyAttempts(Number(response.headers.get('Retry-After'))));
    } else if (response?.status === 401) {
      setError(ERRORS.CredentialsSignin);
    } else {
      setError(GENERIC_ERROR);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <h1 className="text-lg font-semibold">Sign in</h1>
        <FormErrors message={error} fieldErrors={fieldErrors} />
        <Input label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors?.email} />
        <Input
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldErrors?.password}
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {providers.map((p) => (
        <Button key={p.id} variant="secondary" className="w-full" onClick={() => signIn(p.id, { callbackUrl })}>
          Continue with {p.name}
        </Button>
      ))}
      <p className="text-center text-sm text-slate-600">
        New to Aegis?{' '}
        <Link href="/sign-up" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
    </div>
  );
}

function tooManyAttempts(retryAfterSeconds: number): string {
  if (!(retryAfterSeconds > 0)) return ERRORS.TooManyAttempts!;
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeCallback(value: string | null): string {
  return value && /^\/(?![/\\])/.test(value) ? value : '/rooms';
}
