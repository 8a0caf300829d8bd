'use server';

// The room settings form's server action: a thin adapter to lib/rooms/update-room-settings.ts,
// which checks the role, validates with the schema the form's field errors come from, checks the
// repository and records the change.
import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { updateRoomSettings } from '@/lib/rooms/update-room-settings';
import type { RoomSettingsInput } from '@/lib/rooms/schemas';

export async function updateRoomSettingsAction(roomId: string, _: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const text = (name: string) => String(form.get(name) ?? '');
  // What the user typed, to refill the form; never the password.
  const values = {
    defaultBranch: text('defaultBranch'),
    protectedBranches: text('protectedBranches'),
    branchPattern: text('branchPattern'),
    credentials: text('credentials') || 'keep',
    username: text('username'),
  };
  try {
    const { changes } = await updateRoomSettings(user.id, roomId, {
      ...values,
      credentials: values.credentials as RoomSettingsInput['credentials'],
      password: text('password'),
    });
    revalidatePath(`/rooms/${roomId}`, 'layout');
    return {
      ok: true,
      message:
        changes.length > 0 ? `Settings saved: ${changes.join('; ')}.` : 'Nothing to save: the settings are unchanged.',
      values: { ...values, credentials: 'keep', username: '' },
    };
  } catch (error) {
    return { ...formErrorState(error), values };
  }
}
