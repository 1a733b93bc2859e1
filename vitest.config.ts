import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// One runner, three rooms: plain Node (core, fake server, shell logic), jsdom (React components),
// and end-to-end (built UI in Debian's Chromium, real audio stack). Files run one at a time in
// the audio and e2e rooms because they share one PulseAudio daemon and one X display.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', 'test/audio-stack/**']
        }
      },
      {
        extends: true,
        test: {
          name: 'audio-stack',
          environment: 'node',
          include: ['test/audio-stack/**/*.test.ts'],
          fileParallelism: false,
          // Real-time audio: a conversation of two spoken turns takes 20 s however fast the machine.
          testTimeout: 120_000
        }
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts']
        }
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000
        }
      }
    ]
  }
})
