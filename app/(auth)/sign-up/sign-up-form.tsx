'use client';

import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import { signUpAction } from './actions';

export function SignUpForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  // React resets the form after the action, so the credentials to sign in with are kept here.
  const submitted = useRef<{ email: string; password: string }>(null);
  const router = useRouter();

  useEffect(() => {
    if (!state.ok || !submitted.current) return;
    signIn('credentials', { ...submitted.current, redirect: false }).then((result) => {
      router.push(result?.ok ? '/rooms' : '/sign-in');
      router.refresh();
    });
  }, [state, router]);

  return (
    <form
      action={action}
      onSubmit={(event) => {
        const data = new FormData(event.currentTarget);
        submitted.current = { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') };
      }}
      className="space-y-4"
      noValidate
    >
      <h1 className="text-lg font-semibold">Create your account</h1>
      <FormErrors message={state.ok ? undefined : state.message} fieldErrors={state.fieldErrors} />
      <Input
        label="Name"
        name="name"
        autoComplete="name"
        required
        defaultValue={state.values?.name}
        error={state.fieldErrors?.name}
      />
      <Input
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
      />
      <Input
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={state.fieldErrors?.password}
        hint="At least 10 characters."
      />
      <Button type="submit" className="w-full" disabled={pending || state.ok}>
        {pending || state.ok ? 'Creating account…' : 'Create account'}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </form>
  );
}
