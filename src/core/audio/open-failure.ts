/** Reading a recorder's or player's complaint when it could not open the sound device. */
import type { RunCommand } from './devices'

export const SOUND_SERVER_HINT = 'Start PulseAudio or PipeWire (log in to a desktop session, or run: pulseaudio --start), then try again.'

/** The last line of a program's complaint that says something (ALSA's configuration chatter left out). */
export function lastWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  return lines.filter((l) => !l.startsWith('ALSA lib')).pop() ?? lines.pop() ?? 'no message'
}

export interface OpenFailure {
  problem: 'no-device' | 'no-daemon'
  /** What the program said. */
  said: string
}

/**
 * Why the device could not be opened, when the program's complaint says it could not. A sound
 * server that does not answer shows as "no default audio device" through sox and ALSA, so on
 * Linux `pactl info` (when installed) settles which of the two it is.
 */
export async function diagnoseOpenFailure(
  stderr: string,
  o: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; run: RunCommand }
): Promise<OpenFailure | undefined> {
  let daemonDown = /connection refused|pa_context_connect|unable to connect|connection terminated/i.test(stderr)
  const noDevice =
    /no default audio device|unknown pcm|audio open error|cannot find card|no such device|no such entity|can't open (input|output)|device or resource busy/i.test(
      stderr
    )
  if (!daemonDown && !noDevice) return undefined
  if (!daemonDown && o.platform === 'linux') {
    const info = await o.run('pactl', ['info'], o.env).catch(() => null)
    daemonDown = info !== null && info.code !== 0
  }
  return { problem: daemonDown ? 'no-daemon' : 'no-device', said: lastWords(stderr) }
}
