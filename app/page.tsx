import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { LandingPage } from '@/components/landing/landing-page';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: { absolute: 'Aegis · Governance gateway for AI coding agents' } };

// A signed-in user goes straight to their rooms; a visitor learns what Aegis is first.
export default async function Home() {
  if (await currentUser()) redirect('/rooms');
  return <LandingPage />;
}
