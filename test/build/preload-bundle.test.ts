// The built preload (out/preload/index.js), run the way a sandboxed preload runs: a CommonJS wrapper in
// a context of its own, whose `require` knows only 'electron'. The context has the language built-ins
// and nothing else (less than Electron gives: no process, no Buffer, no DOM), so the bundle must not
// reach for any of them. `electron` is a stand-in: contextBridge and ipcRenderer that record.
import { readFileSync } from 'node:fs'
import { runInContext, createContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { EVENT_CHANNELS, INVOKE_CHANNELS, invokeSchemas } from '../../src/shared/ipc'
import { ensureBuilt, PRELOAD_BUNDLE } from './stand-in-electron/build-output'

type Listener = (event: unknown, ...args: unknown[]) => void

interface PreloadRun {
  exposed: Map<string, unknown>
  required: string[]
  invoked: unknown[][]
  subscribed: Array<[string, Listener]>
  unsubscribed: Array<[string, Listener]>
  /** Globals the preload left in its context. */
  newGlobals: string[]
}

/** An object whose every other property throws: the preload may use only these members. */
function only<T extends object>(name: string, members: T): T {
  return new Proxy(members, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target || key === 'then') return Reflect.get(target, key, receiver)
      throw new Error(`stand-in electron: ${name}.${String(key)} is not implemented`)
    }
  })
}

function runPreload(): PreloadRun {
  const run: PreloadRun = { exposed: new Map(), required: [], invoked: [], subscribed: [], unsubscribed: [], newGlobals: [] }
  const electron = only('electron', {
    contextBridge: only('contextBridge', {
      exposeInMainWorld(key: string, api: unknown) {
        if (run.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`)
        run.exposed.set(key, api)
      }
    }),
    ipcRenderer: only('ipcRenderer', {
      invoke(...args: unknown[]) {
        run.invoked.push(args)
        return Promise.resolve({ ok: true, value: `reply to ${String(args[0])}` })
      },
      on(channel: string, listener: Listener) {
        run.subscribed.push([channel, listener])
      },
      removeListener(channel: string, listener: Listener) {
        run.unsubscribed.push([channel, listener])
      }
    })
  })
  const sandboxRequire = (name: string): unknown => {
    run.required.push(name)
    if (name === 'electron') return electron
    throw new Error(`module not found: ${name}`)
  }

  const context = createContext({})
  const before = new Set(runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[])
  const wrapper = runInContext(`(function (exports, require, module, __filename, __dirname) {${readFileSync(PRELOAD_BUNDLE, 'utf8')}\n})`, context, {
    filename: PRELOAD_BUNDLE
  }) as (...args: unknown[]) => void
  const module = { exports: {} }
  wrapper(module.exports, sandboxRequire, module, PRELOAD_BUNDLE, '/preload')
  const after = runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[]
  run.newGlobals = after.filter((g) => !before.has(g))
  return run
}

let run: PreloadRun
let api: Record<string, (...args: unknown[]) => unknown>

beforeAll(() => {
  ensureBuilt()
  run = runPreload()
  api = run.exposed.get('api') as typeof api
}, 180_000)

describe('the built preload in a sandbox-like context', () => {
  it('requires only electron, exposes exactly one key, `api`, and leaves no globals of its own', () => {
    expect(new Set(run.required)).toEqual(new Set(['electron']))
    expect([...run.exposed.keys()]).toEqual(['api'])
    // zod keeps its registry on globalThis: in the preload's isolated world, which the page never sees.
    expect(run.newGlobals.filter((g) => !g.startsWith('__zod_'))).toEqual([])
    // Building the API subscribes and invokes nothing by itself.
    expect([run.invoked, run.subscribed]).toEqual([[], []])
  })

  it('`api` holds one function per contract channel plus `on`, and nothing else', () => {
    expect(Object.getOwnPropertyNames(api).sort()).toEqual([...INVOKE_CHANNELS, 'on'].sort())
    for (const [name, value] of Object.entries(api)) expect(typeof value, name).toBe('function')
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.getOwnPropertySymbols(api)).toEqual([])
  })

  it('each function invokes its own channel; channels without a payload send none, even when given one', async () => {
    run.invoked.length = 0
    await expect(api['settings:get']()).resolves.toEqual({ ok: true, value: 'reply to settings:get' })
    expect(run.invoked).toEqual([['settings:get']])

    // A click handler passing its event along must not send it.
    run.invoked.length = 0
    void api['assistant:toggle']({ type: 'click', target: {} })
    void api['assistant:ask']({ text: 'What is the weather like?' })
    expect(run.invoked).toEqual([['assistant:toggle'], ['assistant:ask', { text: 'What is the weather like?' }]])

    for (const channel of INVOKE_CHANNELS) {
      run.invoked.length = 0
      const payload = { marker: channel }
      void api[channel](payload)
      const takesNone = invokeSchemas[channel].safeParse(undefined).success
      expect(run.invoked, channel).toEqual([takesNone ? [channel] : [channel, payload]])
    }
  })

  it('`on` subscribes to an event channel and hands the listener the payload only; the returned function unsubscribes', () => {
    const got: unknown[][] = []
    const off = api.on('assistant:state', (...args: unknown[]) => got.push(args)) as () => void
    expect(run.subscribed.map(([c]) => c)).toEqual(['assistant:state'])
    const [, listener] = run.subscribed[0]

    const payload = { phase: 'recording' }
    listener({ sender: 'the IPC event', ports: [] }, payload)
    expect(got).toEqual([[payload]])

    off()
    expect(run.unsubscribed).toEqual([['assistant:state', listener]])
  })

  it('`on` refuses anything but an event channel, and a listener that is not a function', () => {
    run.subscribed.length = 0
    expect(() => api.on('not-a-channel', () => {})).toThrow(/Unknown event/)
    expect(() => api.on('settings:get', () => {})).toThrow(/Unknown event/)
    expect(() => api.on(EVENT_CHANNELS[0], 'not a function')).toThrow(/must be a function/)
    expect(run.subscribed).toEqual([])
  })
})
