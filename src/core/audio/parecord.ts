/**
 * PulseAudio's own recorder, for listening where every 100 ms counts (hands-free conversation,
 * dictation): parecord with a 10 ms latency delivers audio in 10 ms pieces and starts in about
 * 60 ms, where sox and arecord through PulseAudio hand over about 128 ms at a time and start in
 * 200 to 400 ms (measured in docs/modes.md). Shaped like a node-record-lpcm16 recording, so the
 * recorder session treats both alike.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'
import type { RunCommand } from './devices'

export const PARECORD_LATENCY_MS = 10

export interface ParecordRecording {
  process: ChildProcess
  stream(): Readable
}

/** Starts parecord on the default source (PULSE_SOURCE in `env` picks another): 16 kHz mono PCM16 on stdout. */
export function recordWithParecord(env: NodeJS.ProcessEnv, sampleRate: number): ParecordRecording {
  const child = spawn(
    'parecord',
    ['--raw', '--format=s16le', `--rate=${sampleRate}`, '--channels=1', `--latency-msec=${PARECORD_LATENCY_MS}`],
    { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true }
  )
  return { process: child, stream: () => child.stdout! }
}

/** parecord only helps where a PulseAudio (or PipeWire pulse) server answers. */
export async function soundServerAnswers(run: RunCommand, env: NodeJS.ProcessEnv): Promise<boolean> {
  const info = await run('pactl', ['info'], env).catch(() => null)
  return info !== null && info.code === 0
}
