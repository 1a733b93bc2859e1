import { screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DICTIONARIES, resolveLanguage, translator } from '../../src/renderer/src/i18n'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('languages', () => {
  it('shows Chinese when uiLanguage is zh', async () => {
    const { user } = renderApp(new FakeApi({ settings: { uiLanguage: 'zh' } }))
    expect(await screen.findByRole('tab', { name: '对话' })).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByRole('button', { name: '按住说话' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: '停止说话' })).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: '输入问题' })).toBeInTheDocument()
    expect(document.documentElement.lang).toBe('zh-CN')
    await openTab(user, '设置')
    expect(await screen.findByRole('button', { name: '保存' })).toBeInTheDocument()
    expect(screen.getByLabelText('对话模型')).toBeInTheDocument()
  })

  it('follows the system language when set to system, and switches when the setting changes', async () => {
    vi.stubGlobal('navigator', { ...navigator, language: 'zh-TW' })
    const fake = new FakeApi({ settings: { uiLanguage: 'system' } })
    const { user } = renderApp(fake)
    expect(await screen.findByRole('tab', { name: '声音' })).toBeInTheDocument()
    await openTab(user, '设置')
    await user.selectOptions(screen.getByLabelText('界面语言'), 'English')
    await user.click(screen.getByRole('button', { name: '保存' }))
    expect(await screen.findByRole('tab', { name: 'Voices' })).toBeInTheDocument()
    expect(document.documentElement.lang).toBe('en')
  })

  it('resolves the language from the setting, then the system', () => {
    expect(resolveLanguage('zh', 'en-US')).toBe('zh')
    expect(resolveLanguage('en', 'zh-CN')).toBe('en')
    expect(resolveLanguage('system', 'zh-CN')).toBe('zh')
    expect(resolveLanguage('system', 'de-DE')).toBe('en')
    expect(resolveLanguage('system', undefined)).toBe('en')
  })

  it('every Chinese message is written and keeps the English placeholders', () => {
    for (const [key, en] of Object.entries(DICTIONARIES.en)) {
      const zh = DICTIONARIES.zh[key as keyof typeof DICTIONARIES.en]
      expect(zh, key).toBeTruthy()
      expect(placeholders(zh), key).toEqual(placeholders(en))
    }
    expect(translator('zh')('key.setEnding', { last4: 'ab12' })).toBe('已设置，末尾为 …ab12')
  })
})
