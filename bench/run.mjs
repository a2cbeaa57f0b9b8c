// run.mjs - `make bench`: loads BENCH_ORDERS work orders (default 10 million) into a demo database, measures
// this machine's limits (durable SQLite commits, a trivial libmicrohttpd answer) and the server's scenarios
// with wrk, prints each against its target, and writes bench/results/<date>-<orders>.json.
//   BENCH_ORDERS   orders to load (default 10000000)     BENCH_SECONDS  seconds per scenario (default 10)
//   BENCH_CONNS    wrk connections for the throughput scenarios, create and get one (default 16)
//   BENCH_LAT_CONNS  wrk connections for the latency scenarios, list, search and figures (default 2: one
//                  per core, so that p99 is the answer's time and not the queue behind 16 clients on 2 cores)
//   BENCH_DIR      where the database lives (build/bench/data)
//   BENCH_KEEP=1   reuse a database already loaded with the same BENCH_ORDERS
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'yuanluo');
const ORDERS = Number(process.env.BENCH_ORDERS || 10000000);
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNS = Number(process.env.BENCH_CONNS || 16);
const LAT_CONNS = Number(process.env.BENCH_LAT_CONNS || 2);
const DIR = resolve(process.env.BENCH_DIR || join(ROOT, 'build/bench/data'));
const DB = join(DIR, `orders-${ORDERS}.db`);
const KEY = join(DIR, `orders-${ORDERS}.key`);
const PASSWORD = 'Yuanluo-Bench-2026!';
const result = { date: new Date().toISOString(), orders: ORDERS, machine: machine(), limits: {}, scenarios: {}, server: {}, targets: {} };

function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_mib: Math.round(os.totalmem() / 1048576), kernel: os.release() };
}

function run(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'], maxBuffer: 1 << 26, ...opts });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || ''}`);
  return { out: r.stdout, seconds };
}

const sql = (q) => run('sqlite3', ['-cmd', '.timeout 5000', DB, q], { quiet: true }).out.trim();
const log = (m) => process.stderr.write(`bench: ${m}\n`);

// --- the data ----------------------------------------------------------------------------------------
function loadData() {
  mkdirSync(DIR, { recursive: true });
  if (process.env.BENCH_KEEP && existsSync(DB) && existsSync(join(DIR, `orders-${ORDERS}.json`))) {
    log(`reusing ${DB}`);
    return JSON.parse(readFileSync(join(DIR, `orders-${ORDERS}.json`), 'utf8'));
  }
  for (const f of [DB, `${DB}-wal`, `${DB}-shm`, KEY]) rmSync(f, { force: true });
  const common = ['--db', DB, '--key-file', KEY];
  const init = run(BIN, ['init', ...common], { quiet: true });
  const admin = /password:\s+(\S+)/.exec(init.out)[1];
  log('loading the demo (tree, people, a year of orders through the engine)');
  const demo = run('nice', [BIN, 'demo', ...common], { quiet: true });
  log(`loading ${ORDERS} orders with their events (bulk path)`);
  const load = run('nice', [join(ROOT, 'build/bench/load'), '--db', DB, String(ORDERS)]);
  const loaded = JSON.parse(load.out.trim().split('\n').pop());
  log('rebuilding the figures\' rollups (yuanluo stats rebuild)');
  const stats = run('nice', [BIN, 'stats', 'rebuild', ...common], { quiet: true });
  const info = {
    admin, demo_seconds: demo.seconds, load_seconds: load.seconds, stats_rebuild_seconds: stats.seconds,
    loaded, db_bytes: Number(sql('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size();')),
    total_orders: Number(sql('SELECT count(*) FROM work_orders;')), total_events: Number(sql('SELECT count(*) FROM wo_events;')),
  };
  writeFileSync(join(DIR, `orders-${ORDERS}.json`), JSON.stringify(info, null, 2));
  return info;
}

// --- processes ---------------------------------------------------------------------------------------
function startProcess(cmd, args, re) {
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`${cmd} did not start: ${text}`)); }, 60000);
    const on = (d) => {
      text += d.toString();
      const m = re.exec(text);
      if (m) {
        clearTimeout(timer);
        ok({ child, port: Number(m[1]), startMs: Number(process.hrtime.bigint() - t0) / 1e6 });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (c) => { clearTimeout(timer); fail(new Error(`${cmd} exited ${c}: ${text}`)); });
  });
}

async function stopProcess(p) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await gone;
}

function serverArgs() {
  return ['serve', '--db', DB, '--key-file', KEY, '--listen', '127.0.0.1:0', '--threads', '2',
    '--access-log', 'off', '--upload-dir', join(DIR, 'uploads')];
}

const LISTEN_RE = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

// Resident memory beyond the page cache: the anonymous pages (heap, stacks); file and shared pages are cache.
function memory(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s) || [0, 0])[1]);
  return { rss_mib: kb('VmRSS') / 1024, anon_mib: kb('RssAnon') / 1024, file_mib: kb('RssFile') / 1024, shmem_mib: kb('RssShmem') / 1024, hwm_mib: kb('VmHWM') / 1024 };
}

// --- wrk -----------------------------------------------------------------------------------------------
function wrk(url, paths, { method = 'GET', body, session, seconds = SECONDS, conns = CONNS } = {}) {
  const file = join(DIR, `paths-${process.pid}.txt`);
  writeFileSync(file, paths.join('\n') + '\n');
  const env = { ...process.env, BENCH_METHOD: method, BENCH_PATHS: file };
  if (body) env.BENCH_BODY = body;
  if (session) { env.BENCH_COOKIE = session.cookie; env.BENCH_CSRF = session.csrf; }
  const r = spawnSync('wrk', ['-t', '2', '-c', String(conns), '-d', `${seconds}s`, '--timeout', '10s', '-s', join(ROOT, 'bench/wrk.lua'), url],
    { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  rmSync(file, { force: true });
  const m = /BENCH_JSON (\{.*\})/.exec(r.stdout || '');
  if (!m) throw new Error(`wrk gave no result: ${r.stdout} ${r.stderr}`);
  return JSON.parse(m[1]);
}

async function login(base, admin) {
  const post = (path, body, headers = {}) => fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  let res = await post('/api/v1/auth/login', { login: 'admin', password: PASSWORD });
  if (res.status !== 200) {
    res = await post('/api/v1/auth/login', { login: 'admin', password: admin });
    const b = await res.json();
    const cookie = res.headers.get('set-cookie').split(';')[0];
    const ch = await post('/api/v1/auth/password', { old_password: admin, password: PASSWORD }, { Cookie: cookie, 'X-CSRF-Token': b.csrf_token });
    if (ch.status !== 200) throw new Error(`password change: ${ch.status} ${await ch.text()}`);
    res = await post('/api/v1/auth/login', { login: 'admin', password: PASSWORD });
  }
  const body = await res.json();
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(body)}`);
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: body.csrf_token };
}

function localDay(unix) {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

// --- the run -------------------------------------------------------------------------------------------
const data = loadData();
result.data = { ...data, admin: undefined };	// the bench database's password stays out of the results
log(`${data.total_orders} orders, ${data.total_events} events, ${(data.db_bytes / 1073741824).toFixed(2)} GiB`);

log('measuring this disk\'s durable commits');
result.limits.commits = JSON.parse(run(join(ROOT, 'build/bench/commit_limit'), [DIR, '3']).out);

log('measuring a trivial libmicrohttpd answer');
const hello = await startProcess(join(ROOT, 'build/bench/hello_mhd'), ['2'], /listening on (\d+)/);
result.limits.trivial = wrk(`http://127.0.0.1:${hello.port}`, ['/']);
await stopProcess(hello);

// Start-up: the median of five starts on the loaded database.
const starts = [];
for (let i = 0; i < 5; i++) {
  const s = await startProcess(BIN, serverArgs(), LISTEN_RE);
  starts.push(s.startMs);
  await stopProcess(s);
}
starts.sort((a, b) => a - b);
result.server.startup_ms = starts[2];
result.server.startup_all_ms = starts;

const srv = await startProcess(BIN, serverArgs(), LISTEN_RE);
const base = `http://127.0.0.1:${srv.port}`;
try {
  const session = await login(base, data.admin);
  result.server.memory_idle = memory(srv.child.pid);
  // What the scenarios ask for, drawn with a fixed seed from the data.
  const sub = Number(sql("SELECT id FROM nodes WHERE level = 'subdistrict' ORDER BY id LIMIT 1;"));
  const communities = sql("SELECT id FROM nodes WHERE level = 'community' ORDER BY id;").split('\n').map(Number);
  const maxId = Number(sql('SELECT max(id) FROM work_orders;'));
  const households = sql("SELECT n.id FROM nodes n WHERE n.level = 'household' ORDER BY n.id LIMIT 50;").split('\n').map(Number);
  let seed = 12345;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const getPaths = Array.from({ length: 2000 }, () => `/api/v1/work-orders/${1 + rand(maxId)}`);
  const states = ['closed', 'dispatched', 'in_progress', 'replied'];
  const listPaths = [];
  for (const c of communities) for (const st of states) listPaths.push(`/api/v1/work-orders?under=${c}&state=${st}&limit=20`);
  const words = ['楼道灯', '广场舞', '暖气一直不热', '井盖破损', '高龄津贴', '业主委员会', '路灯坏了', '深夜拖拽家具', '积水', '停车位'];
  const searchPaths = [];
  for (const w of words) {
    searchPaths.push(`/api/v1/work-orders?q=${encodeURIComponent(w)}&limit=20`);
    searchPaths.push(`/api/v1/work-orders?q=${encodeURIComponent(w)}&under=${communities[rand(communities.length)]}&limit=20`);
  }
  // A calendar year of the loaded orders: the year before the one the load ends in.
  const year = Number(localDay(data.loaded.to).slice(0, 4)) - 1;
  const yearFrom = `${year}-01-01`, yearTo = `${year}-12-31`;
  const figurePaths = [`/api/v1/stats?node=${sub}&from=${yearFrom}&to=${yearTo}`];
  result.scenario_inputs = { subdistrict: sub, communities: communities.length, max_order_id: maxId, year: [yearFrom, yearTo], words };

  // Each path answers 200 before it is timed (a benchmark of 404s proves nothing).
  for (const p of [getPaths[0], listPaths[0], searchPaths[0], figurePaths[0]]) {
    const r = await fetch(base + p, { headers: { Cookie: session.cookie } });
    if (r.status !== 200) throw new Error(`${p}: ${r.status} ${await r.text()}`);
  }
  const order = {
    source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: households[0],
    text: '压测工单：楼道灯坏了，请尽快处理', caller_name: '张女士', caller_phone: '13812345678',
  };
  const probe = await fetch(base + '/api/v1/work-orders', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf }, body: JSON.stringify(order) });
  if (probe.status !== 201) throw new Error(`create: ${probe.status} ${await probe.text()}`);

  const before = Number(sql('SELECT count(*) FROM work_orders;'));
  log('scenario: create');
  result.scenarios.create = wrk(base, ['/api/v1/work-orders'], { method: 'POST', body: JSON.stringify(order), session });
  const created = Number(sql('SELECT count(*) FROM work_orders;')) - before;
  result.scenarios.create.orders_stored = created;
  result.scenarios.create.connections = CONNS;
  for (const [name, paths] of [['get_one', getPaths], ['list', listPaths], ['search', searchPaths], ['figures', figurePaths]]) {
    log(`scenario: ${name}`);
    result.scenarios[name] = wrk(base, paths, { session, conns: name === 'get_one' ? CONNS : LAT_CONNS });
    result.scenarios[name].connections = name === 'get_one' ? CONNS : LAT_CONNS;
  }
  result.server.memory_after = memory(srv.child.pid);
} finally {
  await stopProcess(srv);
}

// --- against the targets ---------------------------------------------------------------------------------
const S = result.scenarios, L = result.limits;
const T = result.targets;
T.create = { measured: S.create.rps, limit: L.commits.batched_rows_per_s, ratio: S.create.rps / L.commits.batched_rows_per_s, target: '>= 0.50 of batched durable rows/s' };
T.create.met = T.create.ratio >= 0.5;
T.get_one = { measured: S.get_one.rps, limit: L.trivial.rps, ratio: S.get_one.rps / L.trivial.rps, target: '>= 0.30 of the trivial answer' };
T.get_one.met = T.get_one.ratio >= 0.3;
for (const [n, ms] of [['list', 10], ['search', 10], ['figures', 50]]) {
  T[n] = { measured_p99_ms: S[n].p99_ms, limit_ms: ms, ratio: S[n].p99_ms / ms, target: `p99 <= ${ms} ms`, met: S[n].p99_ms <= ms };
}
T.memory = { measured_mib: result.server.memory_after.anon_mib, limit_mib: 64, ratio: result.server.memory_after.anon_mib / 64, target: 'resident beyond page cache <= 64 MiB', met: result.server.memory_after.anon_mib <= 64 };
T.startup = { measured_ms: result.server.startup_ms, limit_ms: 200, ratio: result.server.startup_ms / 200, target: 'start-up <= 200 ms', met: result.server.startup_ms <= 200 };

const fmt = (x, d = 1) => (x === undefined || x === null ? '-' : Number(x).toFixed(d));
console.log(`\nYuanluo benchmark: ${data.total_orders} work orders, ${data.total_events} events, ${(data.db_bytes / 1073741824).toFixed(2)} GiB; ${result.machine.cpus} cores`);
console.log(`limits: ${fmt(L.commits.single_commits_per_s)} durable commits/s (1 row each), ${fmt(L.commits.batched_rows_per_s)} rows/s batched by ${L.commits.batch}; trivial answer ${fmt(L.trivial.rps)} req/s (p99 ${fmt(L.trivial.p99_ms, 2)} ms)`);
console.log('scenario     conns    req/s   p50 ms   p99 ms   errors  target');
for (const n of ['create', 'get_one', 'list', 'search', 'figures']) {
  const s = S[n];
  const e = s.errors.connect + s.errors.read + s.errors.write + s.errors.status + s.errors.timeout;
  const t = T[n];
  const verdict = t.met ? 'met' : 'MISSED';
  const what = t.measured !== undefined ? `${fmt(t.ratio, 2)} of limit (${t.target})` : `p99 ${fmt(t.ratio, 2)} of ${t.limit_ms} ms`;
  console.log(`${n.padEnd(12)} ${String(s.connections).padStart(5)} ${fmt(s.rps).padStart(8)} ${fmt(s.p50_ms, 2).padStart(8)} ${fmt(s.p99_ms, 2).padStart(8)} ${String(e).padStart(8)}  ${what}: ${verdict}`);
}
console.log(`memory: ${fmt(result.server.memory_after.anon_mib)} MiB beyond the page cache (RSS ${fmt(result.server.memory_after.rss_mib)} MiB): ${T.memory.met ? 'met' : 'MISSED'} (<= 64 MiB)`);
console.log(`start-up: ${fmt(result.server.startup_ms)} ms (median of 5): ${T.startup.met ? 'met' : 'MISSED'} (<= 200 ms)`);
console.log(`load: ${ORDERS} orders in ${fmt(data.load_seconds)} s (${fmt(ORDERS / data.load_seconds, 0)}/s), figures rebuilt in ${fmt(data.stats_rebuild_seconds)} s`);

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const out = join(ROOT, 'bench/results', `${result.date.slice(0, 10)}-${ORDERS}.json`);
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written: ${out}`);
