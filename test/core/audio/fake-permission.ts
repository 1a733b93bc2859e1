/** The macOS question, by hand: granted or not, and what the user answers when asked. */
export function permission(granted: boolean, answer: boolean) {
  const p = {
    asked: 0,
    isGranted: () => granted,
    ensure: async () => {
      p.asked++
      granted = answer
      return answer
    }
  }
  return p
}
