import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConfSettingsStore } from '../../../src/core/settings/conf-settings-store'
import { InputError } from '../../../src/core/settings/input-error'
import { SETTINGS_SCHEMA_VERSION } from '../../../src/core/settings/settings-migrations'
import { StoredSettingsService } from '../../../src/core/settings/settings-service'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimo-settings-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const open = () => new StoredSettingsService(createConfSettingsStore({ cwd: dir }))
const file = () => join(dir, 'config.json')
const readFile = () => JSON.parse(readFileSync(file(), 'utf8'))

describe('settings on disk (real conf in a temporary folder)', () => {
  it('a fresh install reads the defaults and writes nothing until something changes', () => {
    expect(open().get()).toEqual(DEFAULT_SETTINGS)
    expect(readdirSync(dir)).not.toContain('config.json')
  })

  it('a change survives a restart of the store', () => {
    const first = open()
    first.update({ hotkey: 'Ctrl+Shift+K', hotkeyMode: 'toggle', volume: 0.4, voice: { kind: 'builtin', id: 'Mia' } })
    const second = open()
    expect(second.get()).toMatchObject({ hotkey: 'Ctrl+Shift+K', hotkeyMode: 'toggle', volume: 0.4, voice: { kind: 'builtin', id: 'Mia' } })
    expect(readFile()).toMatchObject({ schemaVersion: SETTINGS_SCHEMA_VERSION, settings: { hotkey: 'Ctrl+Shift+K' } })
  })

  it('refuses a bad patch whole, naming the field, and keeps what was there', () => {
    const s = open()
    s.update({ volume: 0.5 })
    let error: unknown
    try {
      s.update({ volume: 0.9, hotkey: 'Ctrl+Banana' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(InputError)
    const user = (error as InputError).toUserError()
    expect(user.kind).toBe('input')
    expect(user.message).toMatch(/^hotkey: .*Banana/)
    expect(s.get().volume).toBe(0.5)
    expect(open().get().volume).toBe(0.5)
    expect(() => s.update({ colour: 'red' } as never)).toThrow(/colour/)
  })

  it('tells listeners about a change, once, and not about a patch that changes nothing', () => {
    const s = open()
    const seen: Settings[] = []
    const off = s.on('change', (v) => seen.push(v))
    s.update({ thinking: true })
    s.update({ thinking: true })
    off()
    s.update({ thinking: false })
    expect(seen.map((v) => v.thinking)).toEqual([true])
  })

  it('migrates the version-1 shape (flat fields, voice as a bare id) and keeps other data in the file', () => {
    writeFileSync(
      file(),
      JSON.stringify({ hotkey: 'Alt+F9', voice: 'Chloe', volume: 0.7, maxRecordingSec: 9999, savedVoices: [{ id: 'v1' }] })
    )
    const s = open()
    expect(s.get()).toMatchObject({ hotkey: 'Alt+F9', voice: { kind: 'builtin', id: 'Chloe' }, volume: 0.7 })
    // An invalid stored value falls back to its default instead of stopping the app.
    expect(s.get().maxRecordingSec).toBe(DEFAULT_SETTINGS.maxRecordingSec)
    const doc = readFile()
    expect(doc.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION)
    expect(doc.settings).toMatchObject({ hotkey: 'Alt+F9', voice: { kind: 'builtin', id: 'Chloe' } })
    expect(doc.hotkey).toBeUndefined()
    expect(doc.voice).toBeUndefined()
    expect(doc.savedVoices).toEqual([{ id: 'v1' }])
    // And the migrated file reads the same after another restart.
    expect(open().get()).toEqual(s.get())
  })

  it('migrates version 2 to 3: spoken questions go compact, unless the file already says otherwise', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 2, settings: { volume: 0.4 } }))
    expect(open().get()).toMatchObject({ volume: 0.4, uploadFormat: 'compact' })
    expect(readFile()).toMatchObject({ schemaVersion: 3, settings: { volume: 0.4, uploadFormat: 'compact' } })

    writeFileSync(file(), JSON.stringify({ schemaVersion: 2, settings: { uploadFormat: 'lossless' } }))
    expect(open().get().uploadFormat).toBe('lossless')
  })

  it('keeps fields a newer version wrote when this version saves', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 99, settings: { volume: 0.3, futureOption: 'x' } }))
    const s = open()
    expect(s.get().volume).toBe(0.3)
    s.update({ volume: 0.6 })
    expect(readFile()).toEqual({ schemaVersion: 99, settings: expect.objectContaining({ volume: 0.6, futureOption: 'x' }) })
  })

  it('moves a damaged file aside and starts from the defaults', () => {
    writeFileSync(file(), '{"settings": {"volume": 0.2')
    const damaged: string[] = []
    const s = new StoredSettingsService(createConfSettingsStore({ cwd: dir, onDamaged: (p) => damaged.push(p) }))
    expect(s.get()).toEqual(DEFAULT_SETTINGS)
    expect(damaged).toHaveLength(1)
    expect(readFileSync(damaged[0], 'utf8')).toContain('"volume": 0.2')
    s.update({ volume: 0.8 })
    expect(open().get().volume).toBe(0.8)
  })
})
