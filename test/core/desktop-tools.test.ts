// The one runner of the desktop's small programs, on real child processes (node and sh stand in for
// xclip and friends: what matters is how the runner treats a program, not which one it is).
import { describe, expect, it } from 'vitest'
import { complaint, displayServer, runToolText, toolRunner, ToolMissingError } from '../../src/core/desktop-tools'

const run = toolRunner(process.env)
const node = (script: string) => [process.execPath, ['-e', script]] as const

describe('toolRunner', () => {
  it('gives the output, the exit code and the complaint; stdin gets the input', async () => {
    const [cmd, args] = node('process.stdin.pipe(process.stdout); process.stdin.on("end", () => { console.error("warning: one\\nlast words"); process.exitCode = 3 })')
    const r = await run(cmd, [...args], { input: 'héllo' })
    expect(r).toMatchObject({ code: 3, stderr: 'warning: one\nlast words' })
    expect(r!.stdout.toString('utf8')).toBe('héllo')
    expect(complaint('tool', r!)).toBe('tool: last words')
  })

  it('a program that is not installed is null, not an error', async () => {
    expect(await run('mimo-voice-no-such-program', [])).toBeNull()
  })

  it('kills a program that does not answer in time, and says so', async () => {
    const [cmd, args] = node('setInterval(() => {}, 1000)')
    const r = await run(cmd, [...args], { timeoutMs: 300 })
    expect(r?.code).toBeNull()
    expect(complaint(cmd, r!)).toBe(`${cmd} did not answer within 300 ms`)
  })

  it('kills a program whose output passes the bound, keeping no more than the bound', async () => {
    const [cmd, args] = node('const b = Buffer.alloc(64 * 1024, 120); const w = () => process.stdout.write(b, w); w()')
    const r = await run(cmd, [...args], { maxOutputBytes: 1024 * 1024, timeoutMs: 20_000 })
    expect(r?.code).toBeNull()
    expect(r!.stderr).toContain('printed more than 1 MB')
    expect(r!.stdout.length).toBeLessThanOrEqual(1024 * 1024)
  })

  it('a forking program (xclip -i, wl-copy) is done at its own exit, not when its background half ends', async () => {
    // The background half keeps whatever pipes it inherited open for 10 s; a timeout would make the code null.
    const r = await run('sh', ['-c', 'sleep 10 & exit 0'], { forks: true, timeoutMs: 5000 })
    expect(r?.code).toBe(0)
    const waited = await run('sh', ['-c', 'sleep 10 & exit 0'], { timeoutMs: 1000 })
    expect(waited?.code).toBeNull()
  })
})

describe('runToolText', () => {
  it('text for any exit code; ToolMissingError for a missing program; the complaint for a killed one', async () => {
    expect(await runToolText(run, 'sh', ['-c', 'printf "a\\nb"; exit 1'])).toEqual({ code: 1, stdout: 'a\nb', stderr: '' })
    await expect(runToolText(run, 'mimo-voice-no-such-program', [])).rejects.toBeInstanceOf(ToolMissingError)
    await expect(runToolText(run, 'sh', ['-c', 'sleep 10'], { timeoutMs: 200 })).rejects.toThrow('sh did not answer within 200 ms')
  })
})

describe('displayServer', () => {
  it('Wayland wins over XWayland\'s DISPLAY; macOS and Windows are their own; no display is none', () => {
    expect(displayServer({ DISPLAY: ':0' }, 'linux')).toBe('x11')
    expect(displayServer({ DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe('wayland')
    expect(displayServer({ XDG_SESSION_TYPE: 'Wayland' }, 'linux')).toBe('wayland')
    expect(displayServer({ DISPLAY: ':0' }, 'darwin')).toBe('darwin')
    expect(displayServer({}, 'win32')).toBe('win32')
    expect(displayServer({}, 'linux')).toBe('none')
  })
})
