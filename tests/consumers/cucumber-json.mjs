// Reads a Cucumber JSON report with multiple-cucumber-html-reporter, a maintained consumer
// of the format, and checks that what it rendered names every scenario with its status.
// usage: node cucumber-json.mjs REPORT.json OUT_DIR      exit 0 read, 1 not
import { mkdirSync, copyFileSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { generate } from 'multiple-cucumber-html-reporter'

const [report, out] = process.argv.slice(2)
const input = join(out, 'input')
mkdirSync(input, { recursive: true })
copyFileSync(report, join(input, 'report.json'))
await generate({ jsonDir: input, reportPath: join(out, 'html'), disableLog: true })

const features = JSON.parse(readFileSync(report, 'utf8'))
const pages = readdirSync(join(out, 'html', 'features')).map((f) =>
  readFileSync(join(out, 'html', 'features', f), 'utf8'),
)
const index = readFileSync(join(out, 'html', 'index.html'), 'utf8')
const problems = []
let scenarios = 0
for (const feature of features) {
  for (const element of feature.elements) {
    scenarios++
    const name = element.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    if (!pages.some((p) => p.includes(name.slice(0, 40)))) problems.push(`scenario not rendered: ${element.name}`)
  }
}
const failed = features.flatMap((f) => f.elements).filter((e) => e.steps.some((s) => s.result.status === 'failed'))
if (failed.length > 0 && !/failed/i.test(index)) problems.push('the index shows no failure')
for (const p of problems.slice(0, 20)) console.log(p)
console.log(JSON.stringify({ features: features.length, scenarios, failed: failed.length, pages: pages.length, problems: problems.length }))
process.exit(problems.length === 0 ? 0 : 1)
