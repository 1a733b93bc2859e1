import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react'
import type { AssistantPhase, AssistantState } from '../../../shared/assistant'
import type { UserError } from '../../../shared/errors'
import { HOLD_THRESHOLD_MS, isHold } from '../../../shared/push-to-talk'
import { userErrorOf, type ApiClient } from '../api-client'
import { useT, type MessageKey } from '../i18n'


type Source = 'pointer' | 'key'
/** One press of the button: `ends` says whether its let-go may end the recording. */
type Gesture = { source: Source; downAt: number; ends: boolean }

interface Props {
  client: ApiClient
  phase: AssistantPhase
  onState(state: AssistantState): void
  onError(error: UserError | null): void
}

/**
 * The big talk button, with the hotkey's hybrid rule. Pointer or Space down starts recording at once
 * ('assistant:press', which also cuts off an answer being spoken), so the first word is not lost.
 * Let go after HOLD_THRESHOLD_MS or more: 'assistant:release' (hold to talk). A quicker tap leaves
 * the recording running ("latched"); the next press sends it ('assistant:release').
 */
export function PushToTalkButton({ client, phase, onState, onError }: Props) {
  const t = useT()
  const gesture = useRef<Gesture | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  /** A tap left a recording running: the next press ends it. */
  const latched = useRef(false)
  const [holding, setHolding] = useState(false)

  const send = useCallback(
    (channel: 'assistant:press' | 'assistant:release' | 'assistant:toggle') => {
      client.call(channel).then(
        (state) => {
          onError(null)
          onState(state)
        },
        (err: unknown) => {
          latched.current = false
          onError(userErrorOf(err))
        }
      )
    },
    [client, onState, onError]
  )

  // The recording ended elsewhere (silence, length limit, hotkey, error): no latch is left.
  const lastPhase = useRef(phase)
  useEffect(() => {
    if (lastPhase.current === 'recording' && phase !== 'recording') latched.current = false
    lastPhase.current = phase
  }, [phase])

  const clearTimer = () => {
    if (timer.current !== null) clearTimeout(timer.current)
    timer.current = null
  }

  const begin = (source: Source) => {
    if (gesture.current) return
    if (latched.current || phase === 'recording') {
      // A press while recording (after a tap, or started by the hotkey) sends it; its let-go does nothing more.
      latched.current = false
      gesture.current = { source, downAt: Date.now(), ends: false }
      send('assistant:release')
      return
    }
    gesture.current = { source, downAt: Date.now(), ends: true }
    send('assistant:press')
    // Only the hint changes when the press turns out to be a hold.
    timer.current = setTimeout(() => {
      timer.current = null
      if (gesture.current?.ends) setHolding(true)
    }, HOLD_THRESHOLD_MS)
  }

  const end = (source: Source) => {
    const g = gesture.current
    if (!g || g.source !== source) return
    gesture.current = null
    clearTimer()
    setHolding(false)
    if (!g.ends) return
    if (isHold(Date.now() - g.downAt)) send('assistant:release')
    else latched.current = true
  }

  /** Focus or pointer lost mid-press: the recording it started is sent, as if let go after a hold. */
  const abandon = useCallback(() => {
    const g = gesture.current
    if (!g) return
    gesture.current = null
    if (timer.current !== null) clearTimeout(timer.current)
    timer.current = null
    setHolding(false)
    if (g.ends) send('assistant:release')
  }, [send])

  useEffect(() => {
    window.addEventListener('blur', abandon)
    return () => {
      window.removeEventListener('blur', abandon)
      abandon()
    }
  }, [abandon])

  const onPointerDown = (e: PointerEvent<HTMLButtonElement>) => {
    if (e.button !== 0) return
    // Keep receiving the pointer's up even if it leaves the button while held.
    if (typeof e.currentTarget.setPointerCapture === 'function') {
      try {
        e.currentTarget.setPointerCapture(e.pointerId)
      } catch {
        /* a synthetic pointer cannot be captured; the button still works */
      }
    }
    begin('pointer')
  }
  const onPointerUp = (e: PointerEvent<HTMLButtonElement>) => {
    if (e.button !== 0) return
    end('pointer')
  }

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === ' ' || e.code === 'Space') {
      // No page scroll, and no native click on key-up: the gesture is ours.
      e.preventDefault()
      if (!e.repeat) begin('key')
    } else if (e.key === 'Enter') {
      e.preventDefault()
      if (!e.repeat) send('assistant:toggle')
    }
  }
  const onKeyUp = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === ' ' || e.code === 'Space') {
      e.preventDefault()
      end('key')
    }
  }
  // Pointer and keys are handled above; a click without a pointer (detail 0) comes from assistive
  // technology activating the button, and counts as a click.
  const onClick = (e: MouseEvent<HTMLButtonElement>) => {
    if (e.detail === 0 && !gesture.current) send('assistant:toggle')
  }

  const hint: MessageKey = holding
    ? 'talk.button.release'
    : phase === 'recording'
      ? 'talk.button.clickToSend'
      : phase === 'thinking'
        ? 'talk.button.thinking'
        : phase === 'speaking'
          ? 'talk.button.interrupt'
          : 'talk.button.idle'

  return (
    <button
      type="button"
      className={`ptt ptt--${phase}${holding ? ' ptt--holding' : ''}`}
      aria-label={t('talk.button')}
      aria-pressed={phase === 'recording'}
      aria-describedby="ptt-hint"
      onPointerDown={onPointerDown}
      onPointerUp={onPointerUp}
      onPointerCancel={abandon}
      onLostPointerCapture={() => gesture.current?.source === 'pointer' && abandon()}
      onKeyDown={onKeyDown}
      onKeyUp={onKeyUp}
      onBlur={abandon}
      onClick={onClick}
      onContextMenu={(e) => e.preventDefault()}
    >
      <MicIcon />
      <span className="ptt__hint" id="ptt-hint">
        {t(hint)}
      </span>
    </button>
  )
}

function MicIcon() {
  return (
    <svg className="ptt__icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"
      />
    </svg>
  )
}
