// Prints the closing line CI reads ("tests: N passed, N failed, N skipped") from vitest's JSON
// report, and lists every skipped test with the reason it printed.
import { readFileSync } from 'node:fs'

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'))
let passed = 0
let failed = 0
let skipped = 0
for (const file of report.testResults ?? []) {
  for (const t of file.assertionResults ?? []) {
    if (t.status === 'passed') passed++
    else if (t.status === 'failed') failed++
    else {
      skipped++
      console.log(`skipped: ${t.fullName}`)
    }
  }
  if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
    failed++
    console.log(`failed to load: ${file.name}: ${String(file.message ?? '').split('\n')[0]}`)
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
