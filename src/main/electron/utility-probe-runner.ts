import type { UtilityProcess } from 'electron'
import { uiohookModulePath, type ProbeRunner } from '../hotkey/key-hook'

type Fork = (modulePath: string, args?: string[], options?: Electron.ForkOptions) => Pick<UtilityProcess, 'on' | 'kill' | 'stderr'>

/** Runs resources/hook-probe.cjs as an Electron utility process (no ELECTRON_RUN_AS_NODE needed). */
export function utilityProbeRunner(fork: Fork, script: string, timeoutMs = 10_000): ProbeRunner {
  return () =>
    new Promise((resolve) => {
      const child = fork(script, [uiohookModulePath()], { stdio: 'pipe', serviceName: 'MiMo Voice key hook check' })
      let stderr = ''
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString()
      })
      const timer = setTimeout(() => child.kill(), timeoutMs)
      child.on('exit', (code) => {
        clearTimeout(timer)
        resolve({ code, signal: null, stderr })
      })
    })
}
