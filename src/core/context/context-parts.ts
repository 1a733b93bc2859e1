/**
 * Gathered context as the request carries it: images as image_url parts with data URIs, then texts as
 * labelled text parts, all before the question's own audio and instruction (or its text). Later turns
 * never carry them again: history keeps a one-line mention instead.
 */
import type { Attachment } from '../../shared/context'
import { IMAGE_INPUT_MODELS } from '../../shared/models'
import type { UserContentPart } from '../mimo/types'
import { ContextError } from './errors'

/** What a question carries besides itself, ready to send. */
export interface GatheredContext {
  images: Array<{ attachment: Attachment; dataUri: string }>
  texts: Array<{ attachment: Attachment; part: string }>
}

export const EMPTY_CONTEXT: GatheredContext = { images: [], texts: [] }

export function attachmentsOf(context: GatheredContext): Attachment[] {
  return [...context.images.map((i) => i.attachment), ...context.texts.map((t) => t.attachment)]
}

export function hasContext(context: GatheredContext | undefined): context is GatheredContext {
  return !!context && (context.images.length > 0 || context.texts.length > 0)
}

/** The parts that go before the question in its user message. */
export function contextParts(context: GatheredContext): UserContentPart[] {
  return [
    ...context.images.map((i): UserContentPart => ({ type: 'image_url', image_url: { url: i.dataUri } })),
    ...context.texts.map((t): UserContentPart => ({ type: 'text', text: t.part }))
  ]
}

/** The one rule for images: only models that see get them; anything else is a clear error, before a byte is sent. */
export function checkModelSees(model: string): void {
  if (IMAGE_INPUT_MODELS.includes(model)) return
  throw new ContextError(
    `${model} does not take images, so it cannot look at the screen or a picture.`,
    'model-cannot-see',
    `Choose ${IMAGE_INPUT_MODELS[0]} as the chat model in Settings (or --model ${IMAGE_INPUT_MODELS[0]}).`
  )
}

/** "(With this question: a screen capture, 1920×1080; selected text, 120 characters.)" for history. */
export function historyMention(attachments: Attachment[] | undefined): string | undefined {
  if (!attachments?.length) return undefined
  const what = attachments.map((a) => {
    switch (a.kind) {
      case 'screen':
        return `a screen capture, ${a.width}×${a.height}`
      case 'window':
        return `a capture of the window "${a.label}", ${a.width}×${a.height}`
      case 'image':
        return `the image ${a.label}, ${a.width}×${a.height}`
      case 'selection':
        return `selected text, ${a.chars} characters`
      case 'clipboard':
        return `the clipboard text, ${a.chars} characters`
    }
  })
  return `(With this question the user sent ${what.join('; ')}; it is not repeated here.)`
}
