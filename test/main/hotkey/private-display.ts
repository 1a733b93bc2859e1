import { spawn, type ChildProcess } from 'node:child_process'

export interface PrivateDisplay {
  display: string
}

/**
 * An Xvfb of our own (Xvfb picks a free display number and tells us through -displayfd). The keys
 * xdotool sends go to it, never to a desktop the tests happen to run on, nor to other tests' windows.
 *
 * It outlives the test process, by design: the key hook's library keeps a connection to the display
 * until its process ends, and Xlib ends a process whose X server goes away. A watchdog stops the
 * server once the test process is gone.
 */
export function startPrivateDisplay(timeoutMs = 10_000, screen = '640x480x24'): Promise<PrivateDisplay> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess
    try {
      const watchdog =
        `Xvfb -displayfd 1 -screen 0 ${screen} -nolisten tcp & xvfb=$!; ` +
        'while kill -0 "$OWNER" 2>/dev/null && kill -0 "$xvfb" 2>/dev/null; do sleep 0.5; done; kill "$xvfb" 2>/dev/null'
      child = spawn('sh', ['-c', watchdog], {
        env: { ...process.env, OWNER: String(process.pid) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true
      })
      child.unref()
    } catch (err) {
      reject(err)
      return
    }
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`Xvfb did not start within ${timeoutMs} ms: ${err.trim()}`))
    }, timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`Xvfb could not run (${e.message}); install it with: sudo apt-get install xvfb xdotool`))
    })
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /^(\d+)\n/.exec(out)
      if (!m) return
      clearTimeout(timer)
      child.stdout?.removeAllListeners('data')
      child.stdout?.destroy()
      child.stderr?.destroy()
      resolve({ display: `:${m[1]}` })
    })
  })
}
