/**
 * The folder beside the database that holds kept audio: one MP3 per kept recording or answer,
 * named by the turn it belongs to. Files go when their turn goes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type AudioPart = 'question' | 'answer'

export class AudioFolder {
  constructor(readonly dir: string) {}

  /** The file name for a turn's part (turn ids are never reused, so neither are names). */
  static fileName(turnId: number, part: AudioPart): string {
    return `${turnId}-${part}.mp3`
  }

  write(name: string, bytes: Uint8Array): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileSync(join(this.dir, name), bytes)
  }

  read(name: string): Buffer {
    return readFileSync(join(this.dir, name))
  }

  /** Removes the files; one already gone is no error. */
  remove(names: Iterable<string | null | undefined>): void {
    for (const name of names) if (name) rmSync(join(this.dir, name), { force: true })
  }

  /** Removes every kept file. */
  clear(): void {
    let names: string[]
    try {
      names = readdirSync(this.dir)
    } catch {
      return
    }
    this.remove(names.filter((n) => n.endsWith('.mp3')))
  }
}
