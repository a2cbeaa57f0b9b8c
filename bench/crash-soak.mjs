// crash-soak.mjs - the 20-cycle crash soak: clients submit work orders while the server is killed with
// SIGKILL at random moments and restarted; zero acknowledged orders may be lost.
//   node bench/crash-soak.mjs [CYCLES] [CLIENTS] [SEED]     (writes bench/results/crash-soak.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crashCycles } from '../tests/api/crash_lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [cycles = 20, clients = 16, seed = Date.now() % 1000000] = process.argv.slice(2).map(Number);
const t0 = Date.now();
const r = await crashCycles({ cycles, clients, seed, minMs: 100, maxMs: 2500, log: (m) => console.error(m) });
r.seconds = (Date.now() - t0) / 1000;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'crash-soak.json'), JSON.stringify(r, null, 2) + '\n');
console.log(JSON.stringify(r, null, 2));
const bad = r.lost !== 0 || r.integrity !== 'ok' || r.duplicateNumbers !== 0 || r.readBack === false;
console.log(bad ? 'crash soak: FAILED' : `crash soak: ok, ${r.acknowledged} acknowledged, 0 lost over ${cycles} kills`);
process.exit(bad ? 1 : 0);
