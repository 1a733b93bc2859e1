import { Readable, Writable } from 'node:stream'
import { main } from '../../src/cli/index'

/** Runs `mimo-voice` in this process with its own output streams and environment (settings in `home`). */
export async function runMain(
  args: string[],
  o: { home: string; env?: NodeJS.ProcessEnv; onOutput?: (stdout: string, stderr: string) => void }
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (add: (s: string) => void): NodeJS.WritableStream =>
    new Writable({
      write: (chunk, _enc, cb) => {
        add(String(chunk))
        o.onOutput?.(stdout, stderr)
        cb()
      }
    })
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([]),
    env: { PATH: process.env.PATH, HOME: o.home, XDG_CONFIG_HOME: `${o.home}/config`, MIMO_VOICE_DATA_DIR: `${o.home}/data`, ...o.env }
  })
  return { code, stdout, stderr }
}
