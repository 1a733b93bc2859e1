import { resolve } from 'node:path'
import { builtinModules } from 'node:module'
import { defineConfig } from 'vite'
import pkg from './package.json'

// The `mimo-voice` command: the same core as the app, bundled for plain Node.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: {
        'mimo-voice': resolve(__dirname, 'src/cli/index.ts'),
        // Decoding runs in a worker thread; its entry is emitted beside the command (src/core/audio/decode-off-thread.ts).
        'decode-worker': resolve(__dirname, 'src/core/audio/decode-worker.ts')
      },
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        ...Object.keys(pkg.dependencies ?? {})
      ],
      // .mjs throughout: out/ has no package.json saying the .js files are ES modules.
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' }
    }
  }
})
