import { useCallback, useEffect, useRef, useState } from 'react'
import type { LevelReading } from '../../../shared/assistant'
import type { UserError } from '../../../shared/errors'
import type { SampleCheckResult } from '../../../shared/voices'
import { userErrorOf, type ApiClient } from '../api-client'

export type RecordingPhase = 'idle' | 'starting' | 'recording' | 'stopping'

export interface SampleRecording {
  phase: RecordingPhase
  /** Time since the recording started, ticking while it runs. */
  elapsedMs: number
  maxDurationMs: number
  level: LevelReading | null
  /** The recording reached its length limit and stopped by itself. */
  autostopped: boolean
  start(): Promise<void>
  stop(): Promise<void>
  cancel(): void
}

/**
 * A voice sample recorded by the main process (the window has no microphone access): start, the level
 * and a ticking timer while it runs, stop gives the checked sample. A recording that ends by itself
 * (length limit) is stopped and checked the same way; a failed one reports its error.
 */
export function useSampleRecording(
  client: ApiClient,
  o: { onResult(result: SampleCheckResult, autostopped: boolean): void; onError(error: UserError): void }
): SampleRecording {
  const [phase, setPhase] = useState<RecordingPhase>('idle')
  const [elapsedMs, setElapsedMs] = useState(0)
  const [maxDurationMs, setMaxDurationMs] = useState(35_000)
  const [level, setLevel] = useState<LevelReading | null>(null)
  const [autostopped, setAutostopped] = useState(false)
  const phaseRef = useRef<RecordingPhase>('idle')
  /** Read through a function: the phase changes while a call is awaited. */
  const current = useCallback((): RecordingPhase => phaseRef.current, [])
  const startedAt = useRef(0)
  const callbacks = useRef(o)
  useEffect(() => {
    callbacks.current = o
  })

  const go = useCallback((next: RecordingPhase) => {
    phaseRef.current = next
    setPhase(next)
  }, [])

  const stopWith = useCallback(
    async (byItself: boolean) => {
      if (phaseRef.current !== 'recording') return
      go('stopping')
      setAutostopped(byItself)
      try {
        const result = await client.call('samples:record-stop')
        callbacks.current.onResult(result, byItself)
      } catch (err) {
        callbacks.current.onError(userErrorOf(err))
      } finally {
        go('idle')
        setLevel(null)
      }
    },
    [client, go]
  )

  const start = useCallback(async () => {
    if (phaseRef.current !== 'idle') return
    go('starting')
    setAutostopped(false)
    setLevel(null)
    setElapsedMs(0)
    try {
      const { maxDurationMs: max } = await client.call('samples:record-start')
      if (current() !== 'starting') {
        // Cancelled while the microphone was starting.
        client.call('samples:record-cancel').catch(() => {})
        return
      }
      setMaxDurationMs(max)
      startedAt.current = performance.now()
      go('recording')
    } catch (err) {
      if (current() !== 'starting') return
      go('idle')
      callbacks.current.onError(userErrorOf(err))
    }
  }, [client, go, current])

  const stop = useCallback(() => stopWith(false), [stopWith])

  const cancel = useCallback(() => {
    if (phaseRef.current !== 'recording' && phaseRef.current !== 'starting') return
    go('idle')
    setLevel(null)
    setElapsedMs(0)
    client.call('samples:record-cancel').catch(() => {})
  }, [client, go])

  useEffect(() => {
    const offs = [
      client.on('samples:level', (reading) => {
        if (phaseRef.current === 'recording') setLevel(reading)
      }),
      client.on('samples:stopped', (event) => {
        if (phaseRef.current !== 'recording') return
        if (event.reason === 'max-length') {
          void stopWith(true)
        } else {
          go('idle')
          setLevel(null)
          // The main side keeps the failed session until asked: drop it.
          client.call('samples:record-cancel').catch(() => {})
          callbacks.current.onError(event.error ?? { kind: 'audio', message: 'The recording stopped.' })
        }
      })
    ]
    return () => offs.forEach((off) => off())
  }, [client, go, stopWith])

  // The clock while recording.
  useEffect(() => {
    if (phase !== 'recording') return
    const tick = () => setElapsedMs(performance.now() - startedAt.current)
    tick()
    const timer = setInterval(tick, 100)
    return () => clearInterval(timer)
  }, [phase])

  // Leaving the view (or closing the window) never leaves the microphone recording.
  useEffect(
    () => () => {
      if (phaseRef.current === 'recording' || phaseRef.current === 'starting') client.call('samples:record-cancel').catch(() => {})
    },
    [client]
  )

  return { phase, elapsedMs, maxDurationMs, level, autostopped, start, stop, cancel }
}
