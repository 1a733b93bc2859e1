/**
 * The tools' browser and clipboard in the command, on real programs: an `xdg-open` of our own on the
 * PATH (it writes down what it was asked to open), and the real xclip on an X server of our own.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandClipboard, commandUrlOpener } from '../../src/cli/desktop-adapters'
import { ToolError } from '../../src/core/tools/tool'
import { startPrivateDisplay } from '../main/hotkey/private-display'

const exec = promisify(execFile)
let bin: string

beforeAll(async () => {
  bin = await mkdtemp(path.join(tmpdir(), 'mimo-desktop-bin-'))
})
afterAll(async () => {
  await rm(bin, { recursive: true, force: true })
})

async function fakeOpener(body: string): Promise<NodeJS.ProcessEnv> {
  const file = path.join(bin, 'xdg-open')
  await writeFile(file, `#!/bin/sh\n${body}\n`)
  await chmod(file, 0o755)
  return { PATH: `${bin}:/usr/bin:/bin` }
}

describe('the browser for open_url', () => {
  it('hands the URL to xdg-open and does not wait for the browser it leaves behind', async () => {
    const env = await fakeOpener(`printf '%s' "$1" > "${bin}/opened"; sleep 30 &`)
    await commandUrlOpener(env, 'linux').open('https://example.com/a?b=c d')
    expect(await readFile(path.join(bin, 'opened'), 'utf8')).toBe('https://example.com/a?b=c d')
  })

  it('a failing opener is a tool failure with its exit code; a missing one says how to install it', async () => {
    const env = await fakeOpener('echo "no method available for opening it" >&2; exit 3')
    const failed = await commandUrlOpener(env, 'linux').open('https://example.com').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(ToolError)
    // The opener's stderr is not kept (its browser would hold the pipe), so the exit code says it.
    expect(failed).toMatchObject({ code: 'tool-failed', message: 'xdg-open exited with code 3' })

    const missing = await commandUrlOpener({ PATH: path.join(bin, 'nothing-here') }, 'linux').open('https://example.com').catch((e: unknown) => e)
    expect(missing).toMatchObject({ code: 'not-available', message: 'xdg-open is not installed (Debian/Ubuntu: sudo apt install xdg-utils).' })
  })
})

describe('the clipboard for copy_to_clipboard', () => {
  it('puts the text on the X clipboard through xclip, for any app to paste', { timeout: 30_000 }, async () => {
    const { display } = await startPrivateDisplay()
    const env = { PATH: process.env.PATH, DISPLAY: display }
    await commandClipboard(env, 'linux').writeText('Copied by MiMo Voice: 你好')
    const { stdout } = await exec('xclip', ['-selection', 'clipboard', '-o'], { env, timeout: 5000 })
    expect(stdout).toBe('Copied by MiMo Voice: 你好')
  })

  it('no desktop, or no clipboard program, is "not available" with what to install', async () => {
    const none = await commandClipboard({ PATH: process.env.PATH }, 'linux').writeText('x').catch((e: unknown) => e)
    expect(none).toMatchObject({ code: 'not-available', message: expect.stringMatching(/no DISPLAY or WAYLAND_DISPLAY/) })
    const noTool = await commandClipboard({ PATH: path.join(bin, 'nothing-here'), DISPLAY: ':0' }, 'linux').writeText('x').catch((e: unknown) => e)
    expect(noTool).toMatchObject({ code: 'not-available', message: 'No clipboard tool was found (xclip, xsel or wl-clipboard).' })
  })
})
