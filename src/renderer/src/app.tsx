import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react'
import type { UserError } from '../../shared/errors'
import type { AppInfo, HotkeyStatus, PublicSettings } from '../../shared/ipc'
import { userErrorOf, type ApiClient } from './api-client'
import { AppContext, type AppContextValue } from './app-context'
import { ErrorMessage } from './error-message'
import { FirstRunView } from './first-run/first-run-view'
import { HistoryView } from './history/history-view'
import { I18nContext, resolveLanguage, translator } from './i18n'
import { SettingsView } from './settings/settings-view'
import { TabBar, VIEWS, type View } from './tab-bar'
import { TalkView } from './talk/talk-view'
import { VoicesView } from './voices/voices-view'

function browserLanguage(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language
}

/** The window: loads settings, shows the first-run page until it is done, then the three tabs. */
export function App({ client }: { client: ApiClient }) {
  const [pub, setPub] = useState<PublicSettings | null>(null)
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [hotkey, setHotkey] = useState<HotkeyStatus | null>(null)
  const [loadError, setLoadError] = useState<UserError | null>(null)
  const [view, setView] = useState<View>('talk')
  // A tab stays mounted once opened, so a half-edited form or a running preview survives a tab switch.
  // The history loads its first page with the window, so its tab opens at once.
  const [opened, setOpened] = useState<ReadonlySet<View>>(() => new Set(['talk', 'history']))
  // A conversation continued from the history: the talk view starts again from the assistant's snapshot.
  const [talkKey, setTalkKey] = useState(0)

  const show = useCallback((next: View) => {
    setView(next)
    setOpened((prev) => (prev.has(next) ? prev : new Set([...prev, next])))
  }, [])

  const continued = useCallback(() => {
    setTalkKey((k) => k + 1)
    show('talk')
  }, [show])

  const load = useCallback(() => {
    setLoadError(null)
    client.call('settings:get').then(setPub, (err: unknown) => setLoadError(userErrorOf(err)))
    client.call('app:info').then(
      (value) => {
        setInfo(value)
        setHotkey(value.hotkey)
      },
      // Without it only the hotkey hint is missing; the window still works.
      () => {}
    )
  }, [client])

  useEffect(() => {
    const offs = [client.on('settings:changed', setPub), client.on('app:hotkey', setHotkey), client.on('app:navigate', ({ view: v }) => show(v))]
    load()
    return () => offs.forEach((off) => off())
  }, [client, load, show])

  const lang = resolveLanguage(pub?.settings.uiLanguage ?? 'system', browserLanguage())
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang])
  // Set with the render that changes the text, so screen readers never read Chinese as English.
  useLayoutEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
    document.title = i18n.t('app.title')
  }, [lang, i18n])

  const context: AppContextValue | null = useMemo(
    () =>
      pub && {
        client,
        settings: pub.settings,
        keyStatus: pub.key,
        hotkey,
        platform: info?.platform ?? 'linux',
        applyPublicSettings: setPub
      },
    [client, pub, hotkey, info]
  )

  const t = i18n.t
  let body
  if (!context) {
    body = (
      <main className="view loading">
        {loadError ? (
          <>
            <ErrorMessage error={loadError} />
            <button type="button" className="button" onClick={load}>
              {t('common.tryAgain')}
            </button>
          </>
        ) : (
          <p role="status">{t('common.loading')}</p>
        )}
      </main>
    )
  } else if (!context.settings.firstRunDone || !context.keyStatus.set) {
    body = <FirstRunView />
  } else {
    body = (
      <>
        <TabBar current={view} onSelect={show} />
        {VIEWS.map((v) => (
          <main key={v} id={`panel-${v}`} role="tabpanel" aria-labelledby={`tab-${v}`} className="panel" hidden={v !== view}>
            {opened.has(v) &&
              (v === 'talk' ? (
                <TalkView key={talkKey} />
              ) : v === 'history' ? (
                <HistoryView onContinued={continued} />
              ) : v === 'voices' ? (
                <VoicesView />
              ) : (
                <SettingsView />
              ))}
          </main>
        ))}
      </>
    )
  }

  return (
    <I18nContext.Provider value={i18n}>
      {context ? <AppContext.Provider value={context}>{body}</AppContext.Provider> : body}
    </I18nContext.Provider>
  )
}
