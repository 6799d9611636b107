// Parses an EDIFACT file end to end with the npm package `edifact` (1.2.12): every segment, element and component
// goes through the parser's events (syntax only: a Validator with no definitions). The file is read into memory
// first; only parsing is timed. Prints MB/s (median of RUNS).
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.argv[4] || path.join(process.cwd(), 'node_modules');
const Parser = require(path.join(modules, 'edifact', 'parser.js'));
const Validator = require(path.join(modules, 'edifact', 'validator.js'));

const file = process.argv[2];
const runs = parseInt(process.argv[3] || '3', 10);
const text = fs.readFileSync(file, 'latin1');
const times = [];
const cpus = [];
let segments = 0, elements = 0, components = 0;
for (let r = 0; r < runs; r++) {
  segments = 0; elements = 0; components = 0;
  const validator = new Validator();
  validator.disable();
  const parser = new Parser(validator);
  parser.encoding('UNOC'); // the generated files use lower case (UNOC), the package defaults to UNOA
  parser.on('opensegment', () => { segments++; });
  parser.on('element', () => { elements++; });
  parser.on('component', () => { components++; });
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  // Feed in 1 MiB pieces, as a stream would.
  for (let i = 0; i < text.length; i += 1 << 20) {
    parser.write(text.slice(i, i + (1 << 20)));
  }
  parser.end();
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1e6);
}
times.sort((a, b) => a - b);
cpus.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const bytes = fs.statSync(file).size;
console.log(`npm-edifact ${bytes} bytes, ${segments} segments, ${elements} elements, ${components} components, median ${(median * 1000).toFixed(1)} ms, ${(bytes / median / 1e6).toFixed(0)} MB/s, cpu ${(bytes / cpus[Math.floor(cpus.length / 2)] / 1e6).toFixed(0)} MB/s`);
