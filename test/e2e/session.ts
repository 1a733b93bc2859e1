/**
 * The setup every end-to-end file shares: the fake MiMo server, the e2e host over it, Chromium with
 * the app's page open, and (when asked) the PulseAudio test stack and espeak-ng speech for the
 * virtual microphone. `useE2eSession` registers the file's beforeAll/afterAll hooks and returns
 * accessors, valid inside tests.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { SettingsPatch } from '../../src/shared/settings'
import type { ContextSources } from '../../src/core/context/context-service'
import type { Clock, Scheduler } from '../../src/core/ports'
import { ensureAudioStack, makeSpeech } from '../audio-stack/pulse'
import { startFakeMimo, type FakeMimo, type FakeMimoOptions } from '../fake-mimo/server'
import { launchChromium, openApp, type AppPage } from './browser'
import { startE2eHost, type E2eHost } from './host'

export interface E2eSessionOptions {
  /** Start the PulseAudio test stack (virtual microphone and speaker) first, and release it at the end. */
  audio?: boolean
  /** Text espeak-ng turns into 16 kHz mono PCM16 for the microphone: `session.speech`. */
  speech?: string
  /** How the fake MiMo server answers. */
  fake?: FakeMimoOptions
  /** Written before the app starts, over the fake's base URL (which is always set). */
  settings?: SettingsPatch
  /** Stored before the app starts; without it the store has no key. */
  apiKey?: string
  /** Screen capture and selections for the app (made once the slow parts have started). */
  context?: () => ContextSources | Promise<ContextSources>
  /** Wall-clock time and timers for the tools, passed to the host. */
  clock?: Clock & Scheduler
}

export interface E2eSession {
  readonly fake: FakeMimo
  readonly host: E2eHost
  readonly browser: Browser
  /** The app's page in Chromium, opened once for the whole file. */
  readonly app: AppPage
  /** The speech of `options.speech`. */
  readonly speech: Buffer
}

export function useE2eSession(o: E2eSessionOptions = {}): E2eSession {
  let fake: FakeMimo | undefined
  let host: E2eHost | undefined
  let browser: Browser | undefined
  let app: AppPage | undefined
  let speech: Buffer | undefined

  beforeAll(async () => {
    if (o.audio) await ensureAudioStack()
    // The slow parts start together; the host needs the fake's address.
    ;[fake, speech, browser] = await Promise.all([
      startFakeMimo(o.fake),
      o.speech === undefined ? undefined : makeSpeech(o.speech),
      launchChromium()
    ])
    host = await startE2eHost({ settings: { baseUrl: fake.url, ...o.settings }, apiKey: o.apiKey, clock: o.clock, scheduler: o.clock, context: await o.context?.() })
    app = await openApp(browser, host)
  })

  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await fake?.close()
  })

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not set up (use the session inside a test${what === 'speech' ? ', and ask for speech' : ''})`)
    return value
  }
  return {
    get fake() {
      return started(fake, 'the fake MiMo server')
    },
    get host() {
      return started(host, 'the e2e host')
    },
    get browser() {
      return started(browser, 'Chromium')
    },
    get app() {
      return started(app, 'the page')
    },
    get speech() {
      return started(speech, 'speech')
    }
  }
}
