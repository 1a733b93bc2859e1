import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron'
import type { TrayIconName, TrayView } from './tray-menu'

export interface TrayPresenterOptions {
  createTray: (image: NativeImage) => Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu
  /** The icon for a state (resources/tray-<state>.png, with its @2x beside it). */
  icon: (name: TrayIconName) => NativeImage
  /** Left click (Windows, macOS without a menu): show the window. */
  onClick: () => void
}

/** Shows a TrayView: the tray itself has no logic (see tray-menu.ts). */
export function createTrayPresenter(o: TrayPresenterOptions): { render(view: TrayView): void; destroy(): void } {
  let tray: ReturnType<TrayPresenterOptions['createTray']> | null = null
  let shownIcon: TrayIconName | null = null
  return {
    render(view) {
      if (!tray) {
        tray = o.createTray(o.icon(view.icon))
        tray.on('click', () => o.onClick())
        shownIcon = view.icon
      } else if (shownIcon !== view.icon) {
        tray.setImage(o.icon(view.icon))
        shownIcon = view.icon
      }
      tray.setToolTip(view.tooltip)
      tray.setContextMenu(o.buildMenu(view.menu as MenuItemConstructorOptions[]))
    },
    destroy() {
      tray?.destroy()
      tray = null
    }
  }
}
