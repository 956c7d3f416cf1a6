// Checks a Cucumber Messages stream (NDJSON) the way the Cucumber tools read it: every line
// against the Envelope schema that @cucumber/messages ships (JSON Schema 2020-12, through
// Ajv), exactly one message per line, and every ID a message refers to defined by an
// earlier line (the official HTML formatter throws on a dangling one).
//
// usage: node validate-messages.mjs FILE.ndjson    exit 0 valid, 1 invalid, 2 unreadable
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import Ajv2020 from 'ajv/dist/2020.js'

const require = createRequire(import.meta.url)
const schema = require('@cucumber/messages/schema')
const ajv = new Ajv2020({ allErrors: true })
ajv.addSchema(schema)
const validate = ajv.getSchema('https://cucumber.io/schema/Envelope.schema.json')

const file = process.argv[2]
let text
try {
  text = readFileSync(file, 'utf8')
} catch (e) {
  console.error(`cannot read ${file}: ${e.message}`)
  process.exit(2)
}
const lines = text.split('\n')
if (lines.at(-1) === '') lines.pop()

const problems = []
const defined = new Map() // kind -> Set of ids
const define = (kind, id, at) => {
  const ids = defined.get(kind) ?? new Set()
  if (ids.has(id)) problems.push(`${file}:${at}: ${kind} id ${id} is defined twice`)
  ids.add(id)
  defined.set(kind, ids)
}
const need = (kind, id, at, what) => {
  if (id !== undefined && !defined.get(kind)?.has(id)) {
    problems.push(`${file}:${at}: ${what} refers to ${kind} ${id}, which no earlier line defines`)
  }
}
const counts = {}
lines.forEach((line, index) => {
  const at = index + 1
  let envelope
  try {
    envelope = JSON.parse(line)
  } catch (e) {
    problems.push(`${file}:${at}: not JSON: ${e.message}`)
    return
  }
  if (!validate(envelope)) {
    for (const e of validate.errors) {
      problems.push(`${file}:${at}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
    }
  }
  const keys = Object.keys(envelope)
  if (keys.length !== 1) {
    problems.push(`${file}:${at}: an envelope holds exactly one message, this one ${keys.length}`)
    return
  }
  const kind = keys[0]
  const m = envelope[kind]
  counts[kind] = (counts[kind] ?? 0) + 1
  const walk = (node, visit) => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, visit))
    else if (node && typeof node === 'object') {
      visit(node)
      Object.values(node).forEach((n) => walk(n, visit))
    }
  }
  switch (kind) {
    case 'gherkinDocument':
      walk(m.feature, (n) => n.id !== undefined && define('node', n.id, at))
      break
    case 'pickle':
      define('pickle', m.id, at)
      m.astNodeIds.forEach((id) => need('node', id, at, 'pickle.astNodeIds'))
      m.tags.forEach((t) => need('node', t.astNodeId, at, 'pickle tag'))
      m.steps.forEach((s) => {
        define('pickleStep', s.id, at)
        s.astNodeIds.forEach((id) => need('node', id, at, 'pickle step astNodeIds'))
      })
      break
    case 'stepDefinition':
      define('stepDefinition', m.id, at)
      break
    case 'testRunStarted':
      if (m.id) define('testRun', m.id, at)
      break
    case 'testCase':
      define('testCase', m.id, at)
      need('pickle', m.pickleId, at, 'testCase.pickleId')
      need('testRun', m.testRunStartedId, at, 'testCase.testRunStartedId')
      m.testSteps.forEach((s) => {
        define('testStep', s.id, at)
        need('pickleStep', s.pickleStepId, at, 'testStep.pickleStepId')
        ;(s.stepDefinitionIds ?? []).forEach((id) => need('stepDefinition', id, at, 'stepDefinitionIds'))
      })
      break
    case 'testCaseStarted':
      define('testCaseStarted', m.id, at)
      need('testCase', m.testCaseId, at, 'testCaseStarted.testCaseId')
      break
    case 'testStepStarted':
    case 'testStepFinished':
    case 'attachment':
      need('testCaseStarted', m.testCaseStartedId, at, `${kind}.testCaseStartedId`)
      need('testStep', m.testStepId, at, `${kind}.testStepId`)
      break
    case 'testCaseFinished':
      need('testCaseStarted', m.testCaseStartedId, at, 'testCaseFinished.testCaseStartedId')
      break
    case 'testRunFinished':
      need('testRun', m.testRunStartedId, at, 'testRunFinished.testRunStartedId')
      break
  }
})
for (const p of problems.slice(0, 50)) console.log(p)
console.log(JSON.stringify({ lines: lines.length, problems: problems.length, counts }))
process.exit(problems.length === 0 ? 0 : 1)
