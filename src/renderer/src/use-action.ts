import { useCallback, useLayoutEffect, useRef, useState } from 'react'
import type { UserError } from '../../shared/errors'
import { userErrorOf } from './api-client'

export interface Action<A extends unknown[], R> {
  /** Runs the call; resolves with its value, or undefined after recording the error. Never rejects. */
  run(...args: A): Promise<R | undefined>
  pending: boolean
  error: UserError | null
  clearError(): void
}

/** One async call with its pending flag and its last error, for buttons that call the main process. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<UserError | null>(null)
  const fnRef = useRef(fn)
  useLayoutEffect(() => {
    fnRef.current = fn
  })
  const run = useCallback(async (...args: A) => {
    setPending(true)
    setError(null)
    try {
      return await fnRef.current(...args)
    } catch (err) {
      setError(userErrorOf(err))
      return undefined
    } finally {
      setPending(false)
    }
  }, [])
  const clearError = useCallback(() => setError(null), [])
  return { run, pending, error, clearError }
}
