import { resolve } from 'node:path'
import { builtinModules } from 'node:module'
import { defineConfig } from 'vite'
import pkg from './package.json'

// The `mimo-voice` command: the same core as the app, bundled for plain Node.
export default defineConfig({
  build: {
    ssr: resolve(__dirname, 'src/cli/index.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        ...Object.keys(pkg.dependencies ?? {})
      ],
      output: { format: 'es', entryFileNames: 'mimo-voice.mjs' }
    }
  }
})
