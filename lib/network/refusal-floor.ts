// Refusals of user-given destinations (repository locations, webhook URLs) take at least a fixed
// time, so that how quickly one comes back (an instant "outside the roots" against a DNS lookup
// or a connection attempt) does not tell what exists on the server or its network.
export const REFUSAL_FLOOR_MS = 1000;

/** Waits until `floorMs` have passed since `startedAt` (returns at once if they have). */
export async function waitForRefusalFloor(startedAt: number, floorMs = REFUSAL_FLOOR_MS): Promise<void> {
  const wait = startedAt + floorMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
