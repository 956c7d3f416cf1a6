// Opens an HTML report in headless Chromium (puppeteer-core driving the browser named by
// $CHROMIUM) from file://, and fails on any console error, page error or request that leaves
// the file (a report must work offline).
//
// usage: node browse.mjs cucumber REPORT.html [--expect TEXT]...
//          the official Cucumber HTML formatter's page: waits for its app to render, then
//          looks for each TEXT in what it shows
//        node browse.mjs apitest REPORT.html --failed NAME --passed NAME --tag TAG [--screenshot PNG]
//          apitest's own report: the failed scenario is shown open, the status filter hides
//          passed scenarios, the search and the tag list narrow the list
// Prints a JSON summary; exit 0 when every check holds, 1 otherwise.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import puppeteer from 'puppeteer-core'

const [mode, file, ...rest] = process.argv.slice(2)
const option = (name) => rest.flatMap((a, i) => (a === name ? [rest[i + 1]] : []))
const problems = []
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || 'chromium',
  headless: true,
  // Root in a container needs --no-sandbox; a small /dev/shm needs the other.
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
})
const summary = { mode }
try {
  const page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 900 })
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    const url = r.url()
    if (!/^(file|data|blob):/.test(url) && url !== 'about:blank') problems.push(`request leaves the file: ${url}`)
  })
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load', timeout: 60000 })
  if (mode === 'cucumber') {
    await page
      .waitForFunction(() => (document.querySelector('#content')?.innerText ?? '').includes('Scenarios'), { timeout: 30000 })
      .catch(() => problems.push('the formatter app rendered nothing within 30 s'))
    const text = await page.evaluate(() => document.querySelector('#content')?.innerText ?? '')
    for (const e of option('--expect')) if (!text.includes(e)) problems.push(`not shown: ${JSON.stringify(e)}`)
    summary.shown = text.length
  } else {
    const [failed] = option('--failed')
    const [passed] = option('--passed')
    const [tag] = option('--tag')
    const visible = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('details.scenario')]
          .filter((d) => d.offsetParent !== null)
          .map((d) => ({ status: d.dataset.status, name: d.querySelector('summary').innerText, open: d.open, tags: d.dataset.tags })),
      )
    let all = await visible()
    summary.scenarios = all.length
    const failing = all.find((s) => s.name.includes(failed))
    if (!failing) problems.push(`failed scenario not shown: ${failed}`)
    else if (failing.status !== 'failed' || !failing.open) problems.push(`failed scenario not open as failed: ${JSON.stringify(failing)}`)
    const failureText = await page.evaluate(() => document.querySelector('details.failed pre.failure')?.innerText ?? '')
    if (!/-->\s+\S+:\d+:\d+/.test(failureText)) problems.push(`the failure block names no file:line:column: ${failureText.slice(0, 200)}`)
    if (!(await page.evaluate(() => document.querySelector('details.failed pre.curl')?.innerText ?? '')).startsWith('curl ')) {
      problems.push('no curl line under a failure')
    }
    if (!all.some((s) => s.name.includes(passed))) problems.push(`passed scenario not shown: ${passed}`)
    // Status filter: passed off.
    await page.click('input[name=status][value=passed]')
    all = await visible()
    if (all.some((s) => s.status === 'passed')) problems.push('unchecking "passed" left passed scenarios shown')
    if (!all.some((s) => s.status === 'failed')) problems.push('unchecking "passed" hid the failed ones')
    summary.afterStatusFilter = all.length
    await page.click('input[name=status][value=passed]')
    // Search by name.
    await page.type('#search', passed)
    all = await visible()
    if (all.length === 0 || all.some((s) => !s.name.toLowerCase().includes(passed.toLowerCase()))) {
      problems.push(`searching ${JSON.stringify(passed)} shows ${JSON.stringify(all.map((s) => s.name))}`)
    }
    summary.afterSearch = all.length
    await page.evaluate(() => {
      const s = document.querySelector('#search')
      s.value = ''
      s.dispatchEvent(new Event('input'))
    })
    // Tag list.
    await page.select('#tag', tag)
    all = await visible()
    if (all.length === 0 || all.some((s) => !s.tags.includes(` ${tag} `))) problems.push(`tag ${tag} shows ${all.length} scenarios, some without it`)
    summary.afterTag = all.length
    await page.select('#tag', '')
    const [shot] = option('--screenshot')
    if (shot) {
      await page.click('input[name=status][value=passed]')
      await page.screenshot({ path: shot, fullPage: false })
    }
  }
  summary.browser = await browser.version()
} catch (e) {
  problems.push(`${e.message}`)
} finally {
  await browser.close()
}
for (const p of problems) console.log(p)
console.log(JSON.stringify({ ...summary, problems: problems.length }))
process.exit(problems.length === 0 ? 0 : 1)
