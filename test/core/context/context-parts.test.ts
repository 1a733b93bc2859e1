import { describe, expect, it } from 'vitest'
import { answerRequest } from '../../../src/core/assistant/requests'
import { ConversationHistory } from '../../../src/core/assistant/history'
import { historyMention, type GatheredContext } from '../../../src/core/context/context-parts'
import { ContextError } from '../../../src/core/context/errors'
import { validateRequest } from '../../../src/core/mimo/validation'
import { encodeWav } from '../../../src/core/audio/wav'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import type { Attachment } from '../../../src/shared/context'

// A 1×1 PNG, so the request passes the client's own checks.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const screen: Attachment = { id: 's', kind: 'screen', label: 'Screen', bytes: 1000, width: 1920, height: 1080, mime: 'image/jpeg' }
const selection: Attachment = { id: 't', kind: 'selection', label: 'Selected text', bytes: 30, chars: 12, truncated: false }
const context: GatheredContext = {
  images: [{ attachment: screen, dataUri: PNG }],
  texts: [{ attachment: selection, part: 'Selected text:\n"""\nbonjour\n"""' }]
}

describe('a question with context, as the request carries it', () => {
  it('a spoken question: images, then texts, then the audio and the instruction, in one user message', () => {
    const wav = encodeWav(new Int16Array(1600), 16000)
    const request = answerRequest(DEFAULT_SETTINGS, [], { kind: 'audio', bytes: wav }, context)
    const user = request.messages.at(-1)!
    expect(user.role).toBe('user')
    expect((user.content as Array<{ type: string }>).map((p) => p.type)).toEqual(['image_url', 'text', 'input_audio', 'text'])
    expect(() => validateRequest(request)).not.toThrow()
  })

  it('a typed question: the text last; no context leaves the message a plain string', () => {
    const request = answerRequest(DEFAULT_SETTINGS, [], { kind: 'text', text: 'Translate it.' }, context)
    expect(request.messages.at(-1)!.content).toEqual([
      { type: 'image_url', image_url: { url: PNG } },
      { type: 'text', text: 'Selected text:\n"""\nbonjour\n"""' },
      { type: 'text', text: 'Translate it.' }
    ])
    expect(answerRequest(DEFAULT_SETTINGS, [], { kind: 'text', text: 'Hi' }).messages.at(-1)!.content).toBe('Hi')
  })

  it('images only to a model that sees: a text model is a clear error; text context goes anywhere', () => {
    const settings = { ...DEFAULT_SETTINGS, chatModel: 'mimo-v2.5-pro' }
    const err = (() => {
      try {
        answerRequest(settings, [], { kind: 'text', text: 'What is this?' }, context)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ContextError)
    expect((err as ContextError).toUserError()).toMatchObject({ code: 'model-cannot-see', message: 'mimo-v2.5-pro does not take images, so it cannot look at the screen or a picture.' })
    const textOnly = answerRequest(settings, [], { kind: 'text', text: 'Translate it.' }, { images: [], texts: context.texts })
    expect(textOnly.model).toBe('mimo-v2.5-pro')
  })

  it('history keeps a one-line mention instead of the images', () => {
    const note = historyMention([screen, selection])
    expect(note).toBe('(With this question the user sent a screen capture, 1920×1080; selected text, 12 characters; it is not repeated here.)')
    const history = new ConversationHistory(() => 10)
    history.add('t1', 'What is this?', 'A chart.', note)
    expect(history.messages()).toEqual([
      { role: 'user', content: `${note}\nWhat is this?` },
      { role: 'assistant', content: 'A chart.' }
    ])
    expect(historyMention([])).toBeUndefined()
  })
})
