import type { Notification as ElectronNotification, NotificationConstructorOptions } from 'electron'
import type { Notifier } from '../../core/ports'

export interface NotificationClass {
  new (options: NotificationConstructorOptions): Pick<ElectronNotification, 'show' | 'on'>
  isSupported(): boolean
}

/** Desktop notifications (answers to tray questions, hotkey problems). Long text is cut for the bubble. */
export function createNotifier(Notification: NotificationClass, o: { icon?: string; onClick?: () => void } = {}): Notifier {
  return {
    isSupported: () => Notification.isSupported(),
    show({ title, body }) {
      if (!Notification.isSupported()) return
      const n = new Notification({
        title: title.length > 80 ? `${title.slice(0, 79)}…` : title,
        body: body.length > 400 ? `${body.slice(0, 399)}…` : body,
        silent: true, // the answer is spoken already
        ...(o.icon ? { icon: o.icon } : {})
      })
      if (o.onClick) n.on('click', o.onClick)
      n.show()
    }
  }
}
