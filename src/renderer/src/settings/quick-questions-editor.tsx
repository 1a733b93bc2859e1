import { useRef } from 'react'
import { useT } from '../i18n'
import { MAX_QUICK_QUESTIONS } from './settings-form'

interface Props {
  questions: string[]
  errors: Record<string, string>
  onChange(questions: string[]): void
}

/** The quick questions: edit, add, remove, move up and down. */
export function QuickQuestionsEditor({ questions, errors, onChange }: Props) {
  const t = useT()
  const list = useRef<HTMLOListElement>(null)

  const focusItem = (index: number) => {
    // After the list re-renders, keep the keyboard on the moved or added question.
    requestAnimationFrame(() => list.current?.querySelectorAll('input')[index]?.focus())
  }
  const set = (i: number, text: string) => onChange(questions.map((q, j) => (j === i ? text : q)))
  const move = (i: number, by: -1 | 1) => {
    const next = questions.slice()
    ;[next[i], next[i + by]] = [next[i + by], next[i]]
    onChange(next)
    focusItem(i + by)
  }
  const remove = (i: number) => onChange(questions.filter((_, j) => j !== i))
  const add = () => {
    onChange([...questions, ''])
    focusItem(questions.length)
  }

  return (
    <div className="questions">
      <ol className="questions__list" ref={list}>
        {questions.map((q, i) => {
          const n = i + 1
          const error = errors[`quickQuestions.${i}`]
          const id = `quick-question-${i}`
          return (
            <li key={i} className="questions__item">
              <div className="row">
                <input
                  id={id}
                  className="input"
                  type="text"
                  value={q}
                  maxLength={300}
                  aria-label={t('settings.quick.item', { n })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(e) => set(i, e.target.value)}
                />
                <button type="button" className="icon-button" aria-label={t('settings.quick.up', { n })} disabled={i === 0} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('settings.quick.down', { n })}
                  disabled={i === questions.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </button>
                <button type="button" className="icon-button" aria-label={t('settings.quick.remove', { n })} onClick={() => remove(i)}>
                  ×
                </button>
              </div>
              {error && (
                <p className="field-error" id={`${id}-error`}>
                  {t('settings.quick.empty')}
                </p>
              )}
            </li>
          )
        })}
      </ol>
      {errors.quickQuestions && <p className="field-error">{t('settings.quick.tooMany', { max: MAX_QUICK_QUESTIONS })}</p>}
      <button type="button" className="button" onClick={add} disabled={questions.length >= MAX_QUICK_QUESTIONS}>
        {t('settings.quick.add')}
      </button>
    </div>
  )
}
