// Dictation for real: an X server of our own (Xvfb) with real applications that have a text field
// (an xterm running `cat > FILE`, a textarea in Chromium), the dictation shortcut held with xdotool
// and seen by the key hook (uiohook), speech played into PulseAudio's virtual microphone, the fake
// MiMo transcribing it over HTTP, and the text pasted with the desktop's own clipboard and keystroke
// tools. The shortcut is grabbed by xbindkeys, as Electron's global shortcut grabs it in the app.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../until'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import type { HeardSpeech } from '../fake-mimo/audio-check'
import { startPrivateDisplay } from '../main/hotkey/private-display'
import { MimoClient } from '../../src/core/mimo/client'
import { Microphone } from '../../src/core/audio/microphone'
import { Recorder } from '../../src/core/audio/recorder'
import { floatToPcm16, resample } from '../../src/core/audio/wav'
import { CommandClipboard } from '../../src/core/dictation/command-clipboard'
import { commandFocusedWindow, commandKeySenders } from '../../src/core/dictation/command-keys'
import { DictationService } from '../../src/core/dictation/dictation'
import { ReadyMicrophone } from '../../src/core/dictation/ready-microphone'
import { TextInserter } from '../../src/core/dictation/text-inserter'
import { HostKeyHook, nodeHostLauncher } from '../../src/main/hotkey/key-hook'
import { HOOK_KEYCODES } from '../../src/main/hotkey/hook-keycodes'
import type { GlobalShortcutPort } from '../../src/main/hotkey/hotkey-controller'
import { ModeShortcuts } from '../../src/main/hotkey/mode-shortcuts'
import { sharedKeyHook } from '../../src/main/hotkey/shared-key-hook'
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings'
import type { Dictation } from '../../src/shared/modes'
import { runMain } from '../cli/cli-io'
import { bestCorrelation, captureMonitor, ensureAudioStack, makeSpeech, MIC_RATE, pcmFromBuffer, silence, speakIntoMic, type Capture } from './pulse'

const run = promisify(execFile)
const ROOT = path.resolve(__dirname, '../..')
const HOST = path.join(ROOT, 'resources/key-hook-host.cjs')
const WORDS = ['Morning', 'everyone', 'the', 'meeting', 'starts', 'at', 'ten']
const TEXT = `${WORDS.join(' ')}.`

let display: string
let env: NodeJS.ProcessEnv
let fake: FakeMimo
let client: MimoClient
let work: string
const wordSpeech: Buffer[] = []
let utterance: Buffer

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Reads until the value passes `check` (or the time is up) and returns the last value read. */
async function settle<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!check(value) && Date.now() < deadline) {
    await sleep(100)
    value = await read()
  }
  return value
}
const x = (cmd: string, ...args: string[]) => run(cmd, args, { env, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 })
const xdotool = (...args: string[]) => x('xdotool', ...args)

/** An xterm running `cat > file`, focused: what is typed into it ends up in the file, line by line. */
async function focusedXterm(file: string, resources: string[] = []): Promise<void> {
  children.push(spawn('xterm', [...resources, '-geometry', '80x10+0+0', '-e', 'sh', '-c', `cat > ${file}`], { env, stdio: 'ignore' }))
  const id = (await xdotool('search', '--sync', '--onlyvisible', '--class', 'xterm')).stdout.toString().trim().split('\n')[0]
  await xdotool('windowfocus', '--sync', id)
}

/** Puts data on the clipboard with xclip, which stays behind to serve it (so its output is not waited for). */
function setClipboard(data: string | Buffer, type?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('xclip', ['-selection', 'clipboard', '-i', ...(type ? ['-t', type] : [])], { env, stdio: ['pipe', 'ignore', 'ignore'] })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`xclip exited ${code}`))))
    child.stdin.end(data)
  })
}

/** The fake "hears" each test word whose audio is in the upload: a word cut off at the start is not heard. */
/**
 * A word scoring this is in the upload. The first word must be whole (0.9): that is what the tests
 * are about. The others only need to be there: through the upload's MP3, one 20 ms gap (what an
 * underrun of the virtual microphone's player leaves) put anywhere in the utterance, every 50 ms,
 * keeps each word at 0.51 or more (0.9 or more when the gap misses it), while a word left out of
 * the utterance scores 0.29 at most.
 */
const FIRST_WORD_HEARD = 0.9
const WORD_HEARD = 0.45

function wordsHeard(upload: HeardSpeech): string {
  const heard = floatToPcm16(resample(upload.samples, upload.sampleRate, MIC_RATE))
  const found = WORDS.filter((_, i) => bestCorrelation(pcmFromBuffer(wordSpeech[i]), heard).correlation > (i === 0 ? FIRST_WORD_HEARD : WORD_HEARD))
  return found.length ? `${found.join(' ')}.` : ''
}

/** Electron's global shortcut grabs its key on X11; xbindkeys does the same here. */
class XbindkeysGrab implements GlobalShortcutPort {
  readonly grabs = new Map<string, ChildProcess>()
  register(accelerator: string): boolean {
    const keys = accelerator
      .split('+')
      .map((p) => ({ commandorcontrol: 'control', ctrl: 'control', alt: 'alt', shift: 'shift' })[p.toLowerCase()] ?? p.toLowerCase())
    const rc = path.join(work, `xbindkeys-${this.grabs.size}.rc`)
    const combo = `${keys.slice(0, -1).join('+')} + ${keys[keys.length - 1]}`
    void writeFile(rc, `"true"\n  ${combo}\n`)
    // Written synchronously enough: xbindkeys reads it a moment later; wait for the grab in the test.
    const child = spawn('sh', ['-c', `sleep 0.2; exec xbindkeys -n -f ${rc}`], { env, stdio: 'ignore' })
    this.grabs.set(accelerator, child)
    return true
  }
  unregister(accelerator: string): void {
    this.grabs.get(accelerator)?.kill()
    this.grabs.delete(accelerator)
  }
}

beforeAll(async () => {
  await ensureAudioStack()
  display = (await startPrivateDisplay()).display
  env = { ...process.env, DISPLAY: display }
  work = await mkdtemp(path.join(tmpdir(), 'mimo-dictation-'))
  for (const w of WORDS) wordSpeech.push(await makeSpeech(w))
  utterance = Buffer.concat(wordSpeech.flatMap((w) => [w, silence(60, MIC_RATE)]))
  fake = await startFakeMimo({ transcript: wordsHeard, reply: 'AN ANSWER, NOT THE WORDS' })
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
}, 60_000)

afterAll(async () => {
  await client?.close()
  await fake?.close()
  await rm(work, { recursive: true, force: true })
})

interface Rig {
  dictation: DictationService
  done: Dictation[]
  shortcuts: ModeShortcuts
  ready: ReadyMicrophone
  grab: XbindkeysGrab
  clipboard: CommandClipboard
}
const rigs: Rig[] = []
const children: ChildProcess[] = []
let browser: Browser | undefined
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    // A dictation still on its way would paste into the next test's window.
    await until(() => r.dictation.state().phase === 'idle', { timeoutMs: 20_000 }).catch(() => undefined)
    r.shortcuts.dispose()
    r.ready.dispose()
    r.dictation.dispose()
    for (const a of [...r.grab.grabs.keys()]) r.grab.unregister(a)
  }
  for (const c of children.splice(0)) c.kill()
  await browser?.close()
  browser = undefined
})

async function rig(): Promise<Rig> {
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url }
  const microphone = new Microphone()
  const recorder = new Recorder({ lowLatency: true })
  const clipboard = new CommandClipboard({ env, platform: 'linux' })
  const inserter = new TextInserter({
    clipboard,
    keySenders: () => commandKeySenders({ env, platform: 'linux' }),
    focusedWindow: commandFocusedWindow({ env, platform: 'linux' }),
    pasteKey: () => settings.dictationPasteKey,
    platform: 'linux'
  })
  const ready = new ReadyMicrophone({ recorder, microphone, enabled: () => settings.dictationKeepMicOpen })
  const dictation = new DictationService({ client, recorder, microphone, settings: () => settings, inserter, readyMicrophone: ready })
  const done: Dictation[] = []
  dictation.on('done', (d) => done.push(d))
  const grab = new XbindkeysGrab()
  const shortcuts = new ModeShortcuts({
    conversation: { toggle: () => {} },
    dictation: { press: () => dictation.press(), release: () => dictation.release(), toggle: () => dictation.toggle(), phase: () => (dictation.state().phase === 'recording' ? 'recording' : 'idle') },
    globalShortcut: grab,
    loadHook: sharedKeyHook(async () => new HostKeyHook(nodeHostLauncher({ script: HOST, env }))),
    env: { ...env, XDG_SESSION_TYPE: 'x11' },
    platform: 'linux'
  })
  await shortcuts.apply({ conversationHotkey: null, dictationHotkey: settings.dictationHotkey })
  expect(shortcuts.status().dictation).toEqual({ accelerator: 'CommandOrControl+Alt+D', activeMode: 'hybrid' })
  ready.update()
  const r = { dictation, done, shortcuts, ready, grab, clipboard }
  rigs.push(r)
  await sleep(800) // the hook attaches, the grab is in place, the open microphone fills its pre-roll
  return r
}

/**
 * Plays the words into the microphone and presses the shortcut as soon as the speech is heard on the
 * microphone: the first word starts before the key-down arrives, which is harder than 50 ms after it.
 */
async function dictate(r: Rig, mic: Capture): Promise<{ speechBeforeKeyMs: number }> {
  const from = mic.samples().length
  const speaking = speakIntoMic(Buffer.concat([silence(300, MIC_RATE), utterance]))
  let onset = -1
  await until(
    () => {
      const pcm = mic.samples()
      for (let i = from; i < pcm.length; i++) if (Math.abs(pcm[i]) > 300) return (onset = i) >= 0
      return false
    },
    { what: 'speech on the microphone', timeoutMs: 10_000 }
  )
  const heardAt = mic.arrivals.find((a) => a.endSample > onset)!.at
  await xdotool('keydown', 'ctrl+alt+d')
  const keyAt = performance.now()
  await until(() => r.dictation.state().phase === 'recording', { what: 'dictation recording' })
  await speaking
  await sleep(300)
  await xdotool('keyup', 'ctrl+alt+d')
  await until(() => r.done.length > 0, { what: 'the dictation', timeoutMs: 15_000 })
  return { speechBeforeKeyMs: keyAt - heardAt }
}

/** A new rig dictates the words into whatever has the focus (`target` names it in the printed figure). */
async function dictateInto(target: string): Promise<Rig> {
  const r = await rig()
  const mic = await captureMonitor('micsink.monitor', MIC_RATE)
  try {
    const { speechBeforeKeyMs } = await dictate(r, mic)
    console.log(`${target}: speech began ${Math.round(speechBeforeKeyMs)} ms before the key-down was sent`)
  } finally {
    await mic.stop()
  }
  return r
}

describe('dictation into real X applications', () => {
  it('an xterm running `cat > FILE` receives the dictated text (first word included); the clipboard holds what it held before', { timeout: 90_000 }, async () => {
    const file = path.join(work, 'typed.txt')
    await focusedXterm(file)
    await setClipboard('copied before dictating')

    const r = await dictateInto('xterm')
    const d = r.done[0]
    expect(d).toMatchObject({ text: TEXT, insert: 'pasted', via: 'shift+insert via xdotool' })
    await xdotool('key', 'Return')
    const typed = await settle(() => readFile(file, 'utf8').catch(() => ''), (t) => t.includes('\n'))
    // Exactly the text: the shortcut itself never reached the terminal.
    expect(typed).toBe(`${TEXT}\n`)
    const clip = await settle(async () => (await x('xclip', '-selection', 'clipboard', '-o')).stdout.toString(), (c) => c === 'copied before dictating')
    expect(clip).toBe('copied before dictating')
  })

  it('a textarea in Chromium receives the dictated text; an image on the clipboard is put back byte for byte', { timeout: 90_000 }, async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: false, env, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--window-position=0,0', '--window-size=600,400'] })
    const page = await browser.newPage()
    await page.setContent('<textarea id="notes" style="width:500px;height:200px">Notes: </textarea>')
    const id = (await xdotool('search', '--sync', '--onlyvisible', '--class', 'chromium')).stdout.toString().trim().split('\n').pop()!
    await xdotool('windowfocus', '--sync', id)
    await page.focus('#notes')
    await page.evaluate("document.querySelector('textarea').setSelectionRange(7, 7)")
    const png = await readFile(path.join(ROOT, 'resources/icon.png'))
    await setClipboard(png, 'image/png')

    const r = await dictateInto('chromium')
    expect(r.done[0]).toMatchObject({ text: TEXT, insert: 'pasted', via: 'ctrl+v via xdotool' })
    const value = await settle(() => page.inputValue('#notes'), (v) => v === `Notes: ${TEXT}`)
    expect(value).toBe(`Notes: ${TEXT}`)
    const image = await settle(
      async () => (await x('xclip', '-selection', 'clipboard', '-o', '-t', 'image/png').catch(() => ({ stdout: Buffer.alloc(0) }))).stdout,
      (b) => b.equals(png)
    )
    expect(image.equals(png)).toBe(true)
  })

  it('mimo-voice dictate --mic --type: a pause ends it, the words are typed into the focused xterm and printed', { timeout: 90_000 }, async () => {
    const file = path.join(work, 'cli.txt')
    await focusedXterm(file)
    await setClipboard('kept on the clipboard')
    let err = ''
    const running = runMain(['dictate', '--mic', '--type', '--base-url', fake.url, '--api-key', 'test-key'], {
      home: work,
      env: { DISPLAY: display, PULSE_SERVER: process.env.PULSE_SERVER },
      onOutput: (_out, e) => (err = e)
    })
    await until(() => err.includes('Dictating'), { what: 'dictating', timeoutMs: 10_000 })
    await sleep(300)
    await speakIntoMic(Buffer.concat([utterance, silence(2000, MIC_RATE)]))
    const r = await running
    expect(r).toMatchObject({ code: 0, stdout: `${TEXT}\n` })
    await xdotool('key', 'Return')
    expect(await settle(() => readFile(file, 'utf8').catch(() => ''), (t) => t.includes('\n'))).toBe(`${TEXT}\n`)
    // The command waited for the clipboard to be given back before it ended.
    expect((await x('xclip', '-selection', 'clipboard', '-o')).stdout.toString()).toBe('kept on the clipboard')
  })

  it("the key hook's own process sends keystrokes too (the app's keyTap path; an app that takes synthetic keys)", { timeout: 60_000 }, async () => {
    const file = path.join(work, 'tapped.txt')
    // uiohook-napi's Linux build sends synthetic key events, which xterm takes only when told to.
    await focusedXterm(file, ['-xrm', 'XTerm*allowSendEvents: true'])
    const hook = new HostKeyHook(nodeHostLauncher({ script: HOST, env }))
    try {
      await hook.start()
      for (const key of ['o', 'k']) hook.keyTap(HOOK_KEYCODES[key], [])
      hook.keyTap(HOOK_KEYCODES.enter, [])
      expect(await settle(() => readFile(file, 'utf8').catch(() => ''), (t) => t.includes('\n'))).toBe('ok\n')
    } finally {
      hook.stop()
    }
    expect(() => hook.keyTap(HOOK_KEYCODES.a, [])).toThrow('the key hook is not running')
  })
})
