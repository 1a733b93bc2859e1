/** Waits until `check()` is true, polling every few milliseconds; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, o: { what?: string; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 5000)
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting${o.what ? ` for ${o.what}` : ''}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
