/**
 * Typed listeners for a service's events (the conversation, dictation): a listener's fault (the
 * window's) never reaches the service that fired the event.
 */
export class Listeners<Events> {
  readonly #sets = new Map<keyof Events, Set<(v: never) => void>>()

  on<E extends keyof Events>(e: E, l: (v: Events[E]) => void): () => void {
    let set = this.#sets.get(e)
    if (!set) this.#sets.set(e, (set = new Set()))
    set.add(l as (v: never) => void)
    return () => set.delete(l as (v: never) => void)
  }

  fire<E extends keyof Events>(e: E, v: Events[E]): void {
    for (const l of [...(this.#sets.get(e) ?? [])]) {
      try {
        ;(l as (v: Events[E]) => void)(v)
      } catch {
        // the listener's own fault
      }
    }
  }
}
