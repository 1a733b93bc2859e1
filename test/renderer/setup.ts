import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

// Globals are off in this project, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup()
})

// jsdom's Blob has no arrayBuffer() (browsers and Electron do): read it the older way, as they would.
if (typeof Blob.prototype.arrayBuffer !== 'function') {
  Blob.prototype.arrayBuffer = function arrayBuffer(this: Blob): Promise<ArrayBuffer> {
    return new Promise((resolve, reject) => {
      const reader = new FileReader()
      reader.onload = () => resolve(reader.result as ArrayBuffer)
      reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'))
      reader.readAsArrayBuffer(this)
    })
  }
}
