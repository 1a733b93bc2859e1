/** What the history tells the window: something was kept or deleted, or the database had a problem. */
import type { UserError } from '../../shared/errors'

type Listeners = { change: Set<() => void>; problem: Set<(e: UserError) => void> }

export class HistoryEvents {
  readonly #listeners: Listeners = { change: new Set(), problem: new Set() }

  change = (): void => {
    for (const l of [...this.#listeners.change]) safely(() => l())
  }

  problem = (error: UserError): void => {
    for (const l of [...this.#listeners.problem]) safely(() => l(error))
  }

  on(e: 'change', l: () => void): () => void
  on(e: 'problem', l: (error: UserError) => void): () => void
  on(e: keyof Listeners, l: never): () => void {
    const set = this.#listeners[e] as Set<unknown>
    set.add(l)
    return () => set.delete(l)
  }
}

function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // a listener's fault stays with the listener
  }
}
