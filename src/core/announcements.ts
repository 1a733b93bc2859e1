/**
 * What the app says of its own accord, outside any turn: a timer's spoken alert. The hands-free
 * conversation closes its ear while one plays, so the alert is not taken for the user's next question.
 */
import { Listeners } from './listeners'

export interface AnnouncementEvents {
  /** true when the first announcement starts, false when the last one has ended. */
  change: boolean
}

export class Announcements {
  #playing = 0
  readonly #listeners = new Listeners<AnnouncementEvents>()

  get playing(): boolean {
    return this.#playing > 0
  }

  /** Runs `speak` (which resolves once the audio has played) as an announcement. */
  async say<T>(speak: () => Promise<T>): Promise<T> {
    if (this.#playing++ === 0) this.#listeners.fire('change', true)
    try {
      return await speak()
    } finally {
      if (--this.#playing === 0) this.#listeners.fire('change', false)
    }
  }

  on<E extends keyof AnnouncementEvents>(e: E, l: (v: AnnouncementEvents[E]) => void): () => void {
    return this.#listeners.on(e, l)
  }
}
