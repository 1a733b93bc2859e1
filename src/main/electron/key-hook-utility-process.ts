import type { UtilityProcess } from 'electron'
import { uiohookModulePath, type HostLauncher } from '../hotkey/key-hook'

type Fork = (
  modulePath: string,
  args?: string[],
  options?: Electron.ForkOptions
) => Pick<UtilityProcess, 'on' | 'kill' | 'stderr' | 'postMessage'>

/**
 * Runs resources/key-hook-host.cjs as an Electron utility process (no ELECTRON_RUN_AS_NODE needed): it
 * talks through process.parentPort, and when it dies the app only loses the hook.
 */
export function utilityHostLauncher(fork: Fork, script: string): HostLauncher {
  return (events) => {
    const child = fork(script, [uiohookModulePath()], { stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'MiMo Voice key hook' })
    child.stderr?.on('data', (d: Buffer) => events.stderr(d.toString()))
    child.on('message', (m: unknown) => events.message(m))
    let exited = false
    child.on('exit', (code) => {
      exited = true
      events.exit(code, null) // Electron gives a code only; a crash is a non-zero one
    })
    return {
      send: (m) => {
        if (!exited) child.postMessage(m)
      },
      kill: () => void child.kill()
    }
  }
}
