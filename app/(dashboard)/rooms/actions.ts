'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { createRoom } from '@/lib/rooms/create-room';
import { archiveRoom } from '@/lib/rooms/archive-room';
import { revealMyToken, revokeMemberToken, rotateAllTokens, rotateMyToken } from '@/lib/rooms/member-tokens';
import { addMember, changeMemberRole, removeMember } from '@/lib/rooms/members';
import { disconnectSession } from '@/lib/sessions/agent-sessions';
import { updateRoomWebhook } from '@/lib/rooms/room-webhook';

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

export async function createRoomAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const values = Object.fromEntries(
    [
      'name',
      'repositoryKind',
      'location',
      'username',
      'githubApiUrl',
      'githubAuth',
      'appId',
      'installationId',
      'defaultBranch',
      'protectedBranches',
    ].map((k) => [k, text(form, k)]),
  );
  let roomId: string;
  try {
    const { room } = await createRoom(user.id, {
      ...values,
      githubApiUrl: values.githubApiUrl || undefined,
      githubAuth: values.githubAuth || undefined,
      password: text(form, 'password'),
      privateKey: text(form, 'privateKey'),
    } as Parameters<typeof createRoom>[1]);
    roomId = room.id;
  } catch (error) {
    return { ...formErrorState(error), values };
  }
  redirect(`/rooms/${roomId}?created=1`);
}

export type TokenState = { token?: string; error?: string };

export async function revealTokenAction(roomId: string): Promise<TokenState> {
  const user = await requireUser();
  try {
    return { token: await revealMyToken(user.id, roomId) };
  } catch (error) {
    return { error: formErrorState(error).message };
  } finally {
    revalidatePath(`/rooms/${roomId}`);
  }
}

export async function rotateTokenAction(roomId: string): Promise<TokenState> {
  const user = await requireUser();
  try {
    return { token: await rotateMyToken(user.id, roomId) };
  } catch (error) {
    return { error: formErrorState(error).message };
  } finally {
    revalidatePath(`/rooms/${roomId}`);
  }
}

export async function rotateAllTokensAction(roomId: string): Promise<FormState> {
  const user = await requireUser();
  try {
    await rotateAllTokens(user.id, roomId);
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true, message: 'Every member has a new token; their agents were disconnected.' };
  } catch (error) {
    return formErrorState(error);
  }
}

export async function revokeMemberTokenAction(roomId: string, userId: string): Promise<FormState> {
  const user = await requireUser();
  try {
    await revokeMemberToken(user.id, roomId, userId);
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true, message: 'Token revoked; their agents were disconnected.' };
  } catch (error) {
    return formErrorState(error);
  }
}

export async function addMemberAction(roomId: string, _: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await addMember(user.id, roomId, { email: text(form, 'email'), role: text(form, 'role') });
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true, message: 'Member added.' };
  } catch (error) {
    return { ...formErrorState(error), values: { email: text(form, 'email'), role: text(form, 'role') } };
  }
}

export async function changeRoleAction(
  roomId: string,
  userId: string,
  _: FormState,
  form: FormData,
): Promise<FormState> {
  const user = await requireUser();
  try {
    await changeMemberRole(user.id, roomId, { userId, role: text(form, 'role') });
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true };
  } catch (error) {
    return formErrorState(error);
  }
}

export async function removeMemberAction(roomId: string, userId: string): Promise<FormState> {
  const user = await requireUser();
  try {
    await removeMember(user.id, roomId, userId);
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true };
  } catch (error) {
    return formErrorState(error);
  }
}

export async function archiveRoomAction(roomId: string): Promise<FormState> {
  const user = await requireUser();
  try {
    await archiveRoom(user.id, roomId);
  } catch (error) {
    return formErrorState(error);
  }
  redirect('/rooms');
}

export async function disconnectSessionAction(roomId: string, sessionId: string): Promise<FormState> {
  const user = await requireUser();
  try {
    await disconnectSession(user.id, roomId, sessionId);
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true };
  } catch (error) {
    return formErrorState(error);
  }
}

export async function updateWebhookAction(roomId: string, _: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const url = text(form, 'url');
  try {
    await updateRoomWebhook(user.id, roomId, { url, secret: text(form, 'secret') || undefined });
    revalidatePath(`/rooms/${roomId}`);
    return { ok: true, message: url ? 'Webhook saved.' : 'Webhook removed.', values: { url } };
  } catch (error) {
    return { ...formErrorState(error), values: { url } };
  }
}
