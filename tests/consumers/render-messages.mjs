// Renders a Cucumber Messages stream with the official @cucumber/html-formatter.
// usage: node render-messages.mjs IN.ndjson OUT.html
import { createReadStream, createWriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CucumberHtmlStream } from '@cucumber/html-formatter'

const [input, output] = process.argv.slice(2)
async function* envelopes() {
  for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    if (line.trim()) yield JSON.parse(line)
  }
}
await pipeline(Readable.from(envelopes()), new CucumberHtmlStream(), createWriteStream(output))
