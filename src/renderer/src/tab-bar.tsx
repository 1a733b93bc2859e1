import { useRef, type KeyboardEvent } from 'react'
import { useT, type MessageKey } from './i18n'

export const VIEWS = ['talk', 'voices', 'history', 'settings'] as const
export type View = (typeof VIEWS)[number]

const LABEL: Record<View, MessageKey> = { talk: 'tab.talk', history: 'tab.history', voices: 'tab.voices', settings: 'tab.settings' }

/** ARIA tabs: one tab stop, arrow keys and Home/End move between tabs. */
export function TabBar({ current, onSelect }: { current: View; onSelect(view: View): void }) {
  const t = useT()
  const refs = useRef<Partial<Record<View, HTMLButtonElement | null>>>({})
  const onKeyDown = (e: KeyboardEvent) => {
    const i = VIEWS.indexOf(current)
    const next =
      e.key === 'ArrowRight' ? VIEWS[(i + 1) % VIEWS.length]
      : e.key === 'ArrowLeft' ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length]
      : e.key === 'Home' ? VIEWS[0]
      : e.key === 'End' ? VIEWS[VIEWS.length - 1]
      : null
    if (!next) return
    e.preventDefault()
    onSelect(next)
    refs.current[next]?.focus()
  }
  return (
    <nav className="tabbar">
      <div role="tablist" aria-label={t('tab.list')} onKeyDown={onKeyDown}>
        {VIEWS.map((v) => (
          <button
            key={v}
            ref={(el) => {
              refs.current[v] = el
            }}
            type="button"
            role="tab"
            id={`tab-${v}`}
            aria-selected={v === current}
            aria-controls={`panel-${v}`}
            tabIndex={v === current ? 0 : -1}
            className="tab"
            onClick={() => onSelect(v)}
          >
            {t(LABEL[v])}
          </button>
        ))}
      </div>
    </nav>
  )
}
