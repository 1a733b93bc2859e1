import { describe, expect, it } from 'vitest'
import { Microphone, MicrophoneDeniedError, type MicrophoneUser } from '../../../src/core/audio/microphone'
import { permission } from './fake-permission'

describe('the microphone: permission and one user at a time', () => {
  it('asks the system once; a granted microphone is claimed at once afterwards', async () => {
    const p = permission(false, true)
    const mic = new Microphone(p)
    expect(mic.claimIfAllowed('push-to-talk', () => {})).toBeUndefined()
    const claim = await mic.claim('push-to-talk', () => {})
    expect(claim.user).toBe('push-to-talk')
    expect(mic.claimIfAllowed('voice-sample', () => {})?.user).toBe('voice-sample')
    expect(p.asked).toBe(1)
  })

  it('a refusal is a MicrophoneDeniedError that says where to allow it, and nobody holds the microphone', async () => {
    const mic = new Microphone(permission(false, false))
    const err = await mic.claim('voice-sample', () => {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MicrophoneDeniedError)
    expect((err as MicrophoneDeniedError).toUserError()).toMatchObject({ kind: 'audio', code: 'microphone-denied', hint: expect.stringMatching(/Privacy & Security/) })
    expect(mic.holder).toBeUndefined()
  })

  it('a new claim takes the microphone: the previous holder is told once, by whom; its late release changes nothing', async () => {
    const mic = new Microphone()
    const taken: Array<[MicrophoneUser, MicrophoneUser]> = []
    const first = await mic.claim('voice-sample', (by) => taken.push(['voice-sample', by]))
    await mic.claim('push-to-talk', (by) => taken.push(['push-to-talk', by]))
    expect(taken).toEqual([['voice-sample', 'push-to-talk']])
    first.release()
    expect(mic.holder).toBe('push-to-talk')
  })
})
