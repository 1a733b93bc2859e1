// "Clone my voice" in the Voices tab, on the fake window.api: record (in the main process) or import,
// the quality figures with their marks, preview, name + consent before Save, refusals.
import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { SampleQuality } from '../../src/shared/voices'
import { FakeApi, GOOD_SAMPLE } from './fake-api'
import { openTab, renderApp } from './render-app'

async function openVoices(fake = new FakeApi()) {
  const r = renderApp(fake)
  await openTab(r.user, 'Voices')
  const panel = await screen.findByRole('region', { name: 'Clone my voice' })
  return { ...r, panel }
}

/** The figures table as [check, value, result] rows. */
function figureRows(panel: HTMLElement): string[][] {
  const table = within(panel).getByRole('table', { name: 'Quality of the sample' })
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.replace(/^[✓!✗–]\s*/, '').trim() ?? ''))
}

describe('clone my voice', () => {
  it('shows a text to read, in the window language', async () => {
    const { panel } = await openVoices()
    expect(within(panel).getByText(/I am recording this sample so MiMo Voice can learn how I sound/)).toBeInTheDocument()
    const zh = renderApp(new FakeApi({ settings: { uiLanguage: 'zh' } }))
    await openTab(zh.user, '声音')
    const zhPanel = await screen.findByRole('region', { name: '克隆我的声音' })
    expect(within(zhPanel).getByText(/我正在录制这段样本/)).toBeInTheDocument()
    expect(within(zhPanel).getByRole('button', { name: '录音' })).toBeInTheDocument()
  })

  it('records in the main process with a timer and a level meter, then shows the figures; Save needs a name and consent', async () => {
    const fake = new FakeApi()
    const { user, panel } = await openVoices(fake)
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    expect(fake.channels()).toContain('samples:record-start')
    const timer = await within(panel).findByRole('timer', { name: 'Recording time' })
    expect(within(panel).getByText('aim for 5–30 s · stops at 35 s')).toBeInTheDocument()
    expect(within(panel).getByText('Keep reading…')).toBeInTheDocument()
    // The timer runs.
    const first = timer.textContent
    await waitFor(() => expect(timer.textContent).not.toBe(first))
    // The main process's level readings drive the meter.
    const meter = within(panel).getByRole('meter', { name: 'Recording level' })
    act(() => fake.emit('samples:level', { rmsDbfs: -18.4, peakDbfs: -6, speech: true, elapsedMs: 1200 }))
    expect(meter).toHaveAttribute('aria-valuenow', '-18')
    // Import is not offered while recording.
    expect(within(panel).getByRole('button', { name: 'Import a file…' })).toBeDisabled()

    await user.click(within(panel).getByRole('button', { name: 'Stop' }))
    expect(fake.channels().filter((c) => c.startsWith('samples:'))).toEqual(['samples:record-start', 'samples:record-stop'])
    expect(await within(panel).findByText('Your recording')).toBeInTheDocument()
    expect(within(panel).queryByRole('timer')).not.toBeInTheDocument()
    expect(figureRows(panel)).toEqual([
      ['Length of speech', '9.5 s', 'fine'],
      ['Clipping', '0.00 % of samples', 'fine'],
      ['Loudness', '-19.6 dBFS (best -30 to -10), peak -3.2', 'fine'],
      ['Silence trimmed', '0.41 s at the start, 0.66 s at the end', 'fine'],
      ['Background noise', '-62.5 dBFS (best below -45)', 'fine'],
      ['Channels', 'mono, 16000 Hz', 'fine'],
      ['Size as sent (base64)', '395 KB (limit 10 MB)', 'fine']
    ])

    const save = within(panel).getByRole('button', { name: 'Save voice' })
    const consent = within(panel).getByRole('checkbox', { name: "This is my voice, or I have the speaker’s permission" })
    expect(save).toBeDisabled()
    expect(within(panel).getByText('To save: give it a name and tick the box.')).toBeInTheDocument()
    await user.type(within(panel).getByLabelText('Name'), 'My voice')
    expect(save).toBeDisabled()
    expect(within(panel).getByText('To save: tick the box.')).toBeInTheDocument()
    await user.click(consent)
    expect(save).toBeEnabled()
    // A name of only spaces does not count.
    await user.clear(within(panel).getByLabelText('Name'))
    await user.type(within(panel).getByLabelText('Name'), '   ')
    expect(save).toBeDisabled()
    await user.clear(within(panel).getByLabelText('Name'))
    await user.type(within(panel).getByLabelText('Name'), 'My voice')

    // Hear it before saving.
    await user.click(within(panel).getByRole('button', { name: 'Preview this voice' }))
    const draftId = (fake.callsTo('samples:preview-draft')[0].payload as { draftId: string }).draftId
    expect(draftId).toMatch(/^draft-/)

    await user.click(save)
    expect(fake.callsTo('samples:save').map((c) => c.payload)).toEqual([{ draftId, name: 'My voice', consent: true }])
    expect(await within(panel).findByRole('status')).toHaveTextContent('Saved “My voice”.')
    // Listed under "Your voices" (from the app's voices:changed), and it can be used at once.
    const yours = screen.getByRole('region', { name: 'Your voices' })
    expect(within(yours).getByRole('radio', { name: 'My voice' })).not.toBeChecked()
    await user.click(within(panel).getByRole('button', { name: 'Use “My voice”' }))
    await waitFor(() => expect(within(yours).getByRole('radio', { name: 'My voice' })).toBeChecked())
    expect(within(panel).getByRole('status')).toHaveTextContent('“My voice” speaks now.')
    expect(within(panel).queryByRole('table')).not.toBeInTheDocument()
  })

  it('imports a WAV or MP3 file as bytes; a refused file shows why, with no way to save it', async () => {
    const fake = new FakeApi()
    fake.answer('samples:import', () => ({
      draftId: null,
      quality: {
        ...GOOD_SAMPLE,
        durationSec: 0,
        base64Bytes: 0,
        refusals: ["'notes.wav' is not a WAV or MP3 file (it holds text). Use a WAV or MP3 recording."],
        unavailable: ['durationSec', 'sampleRate', 'channelsIn', 'clippingShare', 'rmsDbfs', 'peakDbfs', 'noiseDbfs', 'trimmedLeadingSec', 'trimmedTrailingSec', 'base64Bytes']
      }
    }))
    const { user, panel } = await openVoices(fake)
    const input = within(panel).getByLabelText<HTMLInputElement>('Sample file (WAV or MP3)')
    expect(input).toHaveAttribute('type', 'file')
    expect(input).toHaveAttribute('accept', '.wav,.mp3,audio/wav,audio/mpeg')
    const text = 'Shopping list: milk, eggs.'
    await user.upload(input, new File([text], 'notes.wav', { type: 'audio/wav' }))

    await waitFor(() => expect(fake.callsTo('samples:import')).toHaveLength(1))
    const { fileName, bytes } = fake.callsTo('samples:import')[0].payload as { fileName: string; bytes: Uint8Array }
    expect(fileName).toBe('notes.wav')
    expect(bytes).toBeInstanceOf(Uint8Array)
    expect(new TextDecoder().decode(bytes)).toBe(text)

    const alert = await within(panel).findByRole('alert')
    expect(alert).toHaveTextContent('This sample cannot be used:')
    expect(alert).toHaveTextContent("'notes.wav' is not a WAV or MP3 file (it holds text).")
    expect(within(panel).getByText('File: notes.wav')).toBeInTheDocument()
    expect(figureRows(panel).map(([check, value, result]) => [check, value, result])).toContainEqual(['Length of speech', 'not measured', 'not measured'])
    expect(within(panel).queryByRole('button', { name: 'Save voice' })).not.toBeInTheDocument()
    expect(within(panel).queryByRole('checkbox')).not.toBeInTheDocument()
    expect(within(panel).queryByRole('button', { name: 'Preview this voice' })).not.toBeInTheDocument()
  })

  it('marks each figure that warns, and one that refuses', async () => {
    const fake = new FakeApi()
    const noisy: SampleQuality = {
      ...GOOD_SAMPLE,
      durationSec: 29.4,
      speechSec: 44.9,
      channelsIn: 2,
      sampleRate: 48000,
      inputSampleRate: 48000,
      clippingShare: 0.0123,
      rmsDbfs: -6.1,
      noiseDbfs: -38.2,
      warnings: ['The speech is 44.9 s long: only the first 29.4 s are kept.', '1.2 % of the samples are clipped.']
    }
    fake.answer('samples:import', () => ({ draftId: 'draft-noisy', quality: noisy }))
    const { user, panel } = await openVoices(fake)
    await user.upload(within(panel).getByLabelText('Sample file (WAV or MP3)'), new File([new Uint8Array([82, 73, 70, 70])], 'long.wav'))
    await within(panel).findByRole('table', { name: 'Quality of the sample' })
    expect(figureRows(panel)).toEqual([
      ['Length of speech', '29.4 s kept of 44.9 s', 'warning'],
      ['Clipping', '1.23 % of samples', 'warning'],
      ['Loudness', '-6.1 dBFS (best -30 to -10), peak -3.2', 'warning'],
      ['Silence trimmed', '0.41 s at the start, 0.66 s at the end', 'fine'],
      ['Background noise', '-38.2 dBFS (best below -45)', 'warning'],
      ['Channels', '2 channels → mono, 48000 Hz', 'fine'],
      ['Size as sent (base64)', '395 KB (limit 10 MB)', 'fine']
    ])
    expect(within(panel).getByText('1.2 % of the samples are clipped.')).toBeInTheDocument()
    // A warned sample can still be saved.
    expect(within(panel).getByRole('button', { name: 'Save voice' })).toBeInTheDocument()

    fake.answer('samples:import', () => ({
      draftId: null,
      quality: { ...GOOD_SAMPLE, durationSec: 1.2, speechSec: 1.2, refusals: ['There are only 1.2 s of speech: at least 3 s are needed.'] }
    }))
    await user.upload(within(panel).getByLabelText('Sample file (WAV or MP3)'), new File([new Uint8Array([82, 73, 70, 70])], 'short.wav'))
    await within(panel).findByRole('alert')
    expect(figureRows(panel)[0]).toEqual(['Length of speech', '1.2 s', 'refused'])
    // The earlier draft was dropped in the main process.
    expect(fake.callsTo('samples:discard').map((c) => c.payload)).toEqual([{ draftId: 'draft-noisy' }])
  })

  it('a file over 60 MB is refused in the window, before it is read or sent', async () => {
    const fake = new FakeApi()
    const { user, panel } = await openVoices(fake)
    const huge = new File([new Uint8Array(8)], 'concert.wav', { type: 'audio/wav' })
    Object.defineProperty(huge, 'size', { value: 61 * 1024 * 1024 })
    await user.upload(within(panel).getByLabelText('Sample file (WAV or MP3)'), huge)
    expect(await within(panel).findByRole('alert')).toHaveTextContent('“concert.wav” is 61 MB: a voice sample of 5 to 30 seconds is far smaller.')
    expect(fake.callsTo('samples:import')).toEqual([])
  })

  it('a recording that reaches 35 s is stopped and checked by itself', async () => {
    const fake = new FakeApi()
    const { user, panel } = await openVoices(fake)
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    await within(panel).findByRole('timer')
    act(() => fake.emit('samples:stopped', { reason: 'max-length' }))
    await within(panel).findByRole('table', { name: 'Quality of the sample' })
    expect(fake.callsTo('samples:record-stop')).toHaveLength(1)
    expect(within(panel).getByText(/The recording stopped at 35 s\./)).toBeInTheDocument()
  })

  it('a recorder that fails says why, and the microphone is released', async () => {
    const fake = new FakeApi()
    const { user, panel } = await openVoices(fake)
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    await within(panel).findByRole('timer')
    act(() =>
      fake.emit('samples:stopped', {
        reason: 'error',
        error: { kind: 'audio', message: 'The recorder (sox) stopped on its own; the microphone may have been disconnected.', hint: 'Check the microphone.' }
      })
    )
    expect(await within(panel).findByRole('alert')).toHaveTextContent('the microphone may have been disconnected')
    expect(fake.channels()).toContain('samples:record-cancel')
    expect(fake.callsTo('samples:record-stop')).toEqual([])
    expect(within(panel).getByRole('button', { name: 'Record' })).toBeEnabled()
  })

  it('Record that cannot start shows the reason; Cancel drops a recording', async () => {
    const fake = new FakeApi()
    fake.fail('samples:record-start', { kind: 'audio', message: 'No recorder found: install sox.', hint: 'sudo apt install sox' })
    const { user, panel } = await openVoices(fake)
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    expect(await within(panel).findByRole('alert')).toHaveTextContent('No recorder found: install sox.')
    expect(within(panel).queryByRole('timer')).not.toBeInTheDocument()

    fake.answer('samples:record-start', () => ({ maxDurationMs: 35_000 }))
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    await within(panel).findByRole('timer')
    await user.click(within(panel).getByRole('button', { name: 'Cancel' }))
    expect(fake.channels()).toContain('samples:record-cancel')
    expect(within(panel).queryByRole('timer')).not.toBeInTheDocument()
    expect(fake.callsTo('samples:record-stop')).toEqual([])
  })

  it('a save the app refuses (name taken) shows why and keeps the sample', async () => {
    const fake = new FakeApi()
    fake.fail('samples:save', { kind: 'input', message: "There is already a voice named 'Me': choose another name." })
    const { user, panel } = await openVoices(fake)
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    await user.click(await within(panel).findByRole('button', { name: 'Stop' }))
    await user.type(await within(panel).findByLabelText('Name'), 'Me')
    await user.click(within(panel).getByRole('checkbox'))
    await user.click(within(panel).getByRole('button', { name: 'Save voice' }))
    expect(await within(panel).findByRole('alert')).toHaveTextContent("There is already a voice named 'Me'")
    expect(within(panel).getByRole('table', { name: 'Quality of the sample' })).toBeInTheDocument()
    expect(within(panel).getByLabelText('Name')).toHaveValue('Me')
  })
})
