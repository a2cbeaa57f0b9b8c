// harness.mjs - starts `yuanluo serve` on 127.0.0.1 with a fresh database for a test file,
// and offers small fetch helpers.  Each server is stopped by its PID when the file ends.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.YUANLUO_BIN || join(ROOT, 'yuanluo');
export const WEB_ROOT = join(ROOT, 'web');
// `make test-pg` sets YUANLUO_TEST_PG to the folder of a throwaway PostgreSQL cluster
// (tools/pg-cluster.sh): every server then gets a database of its own in it instead of a file.
export const PG_DIR = process.env.YUANLUO_TEST_PG || '';
export const PG = PG_DIR !== '';
let pgDatabases = 0;

// A fresh, empty PostgreSQL database in the test cluster; returns its DSN.
export function pgCreateDb() {
  const name = `t${process.pid}_${++pgDatabases}`;
  const r = spawnSync('sh', [join(ROOT, 'tools/pg-cluster.sh'), 'createdb', PG_DIR, name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`createdb ${name} failed: ${r.stderr}`);
  return r.stdout.trim();
}

export function pgDropDb(dsn) {
  const name = /^postgresql:\/\/\/([^?]+)/.exec(dsn)[1];
  const admin = dsn.replace(`:///${name}?`, ':///postgres?');
  spawnSync('psql', ['-X', '-q', admin, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { encoding: 'utf8' });
}

// A moved clock (libfaketime, Debian's faketime package): the environment that makes a process's
// wall clock read `at` now and run on from there, monotonic clocks untouched.  A suite already
// run under a moved clock (tools/test-dates.sh sets FAKETIME to an offset) moves from there.
function faketimeLib() {
  for (const dir of ['/usr/lib/x86_64-linux-gnu/faketime', '/usr/lib/aarch64-linux-gnu/faketime', '/usr/lib/faketime']) {
    if (existsSync(join(dir, 'libfaketimeMT.so.1'))) return join(dir, 'libfaketimeMT.so.1');
  }
  throw new Error('libfaketime is not installed (Debian package faketime: make deps installs it)');
}
export function clockEnv(at) {
  const parent = /^([+-]\d+)$/.exec(process.env.FAKETIME || '');
  const offset = Math.round((Date.parse(at) - Date.now()) / 1000) + (parent ? Number(parent[1]) : 0);
  return {
    // The monotonic clock moves with the wall clock: with FAKETIME_DONT_FAKE_MONOTONIC, Debian 12's
    // libfaketime (0.9.10) ends every pthread_cond_timedwait on CLOCK_MONOTONIC at once, and the server's
    // sweep, webhook and import threads spin (fixed upstream in libfaketime PR 503).
    ...process.env, LD_PRELOAD: faketimeLib(), FAKETIME: `${offset >= 0 ? '+' : ''}${offset}`,
    FAKETIME_DONT_RESET: '1',
  };
}

// The environment without a moved clock, for helper programs that need none (python3 sleeping under
// libfaketime fails with EINVAL): tools/test-dates.sh moves every process's clock, these keep the real one.
export function realClockEnv() {
  const env = { ...process.env };
  for (const k of ['LD_PRELOAD', 'FAKETIME', 'FAKETIME_DONT_FAKE_MONOTONIC', 'FAKETIME_DONT_RESET']) delete env[k];
  return env;
}

// The local (Asia/Shanghai) year of an instant in ms.
export const shanghaiYear = (ms) => new Date(ms + 8 * 3600000).getUTCFullYear();

// A made-up working-day calendar for a year, in the file format of share/calendar: tests never
// depend on which official years are shipped.  Holidays 1-2 January, 10-16 February, 1-3 May
// and 1-7 October; the first Saturday of February is worked in exchange.
export function madeUpCalendar(year) {
  const pad = (n) => String(n).padStart(2, '0');
  const rows = [];
  const add = (m, d, kind, name) => rows.push(`${year}-${pad(m)}-${pad(d)},${kind},${name}`);
  for (const d of [1, 2]) add(1, d, 'holiday', '元旦(测试)');
  let sat = 1;
  while (new Date(Date.UTC(year, 1, sat)).getUTCDay() !== 6) sat++;
  add(2, sat, 'workday', '春节调休上班(测试)');
  for (let d = 10; d <= 16; d++) add(2, d, 'holiday', '春节(测试)');
  for (let d = 1; d <= 3; d++) add(5, d, 'holiday', '劳动节(测试)');
  for (let d = 1; d <= 7; d++) add(10, d, 'holiday', '国庆节(测试)');
  rows.sort();
  return `# made-up calendar for tests (tests/api/harness.mjs)\ndate,kind,name\n${rows.join('\n')}\n`;
}

const SHIPPED = new Set(readdirSync(join(ROOT, 'share/calendar')).map((f) => Number(f.replace(/\.csv$/, ''))));

// Loads a made-up calendar for each of years that is not shipped (init loads those).
function loadCalendars(dir, dbArgs, years, env) {
  for (const y of years) {
    if (SHIPPED.has(y)) continue;
    const file = join(dir, `${y}.csv`);
    writeFileSync(file, madeUpCalendar(y));
    const r = cli(['calendar', 'load', file, ...dbArgs], { env });
    if (r.status !== 0) throw new Error(`calendar load ${y} failed: ${r.stderr}`);
  }
}

// Runs the CLI synchronously; returns { status, stdout, stderr }.
export function cli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000, ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts a server.  options: { clock: '2098-12-28T10:00:00+08:00' } runs it (and the CLI calls that
// make its database) with its wall clock moved there; { calendars: [years] } loads made-up
// calendars for those years when they are not shipped (default: the year of the server's clock
// and the next, so deadlines never depend on the shipped files; [] loads none: a test of the
// provisional calendar); { demo: true } loads the demo data set first (with its year of work
// orders; { demoArgs: ['--no-orders'] } passes flags to `yuanluo demo`, here: the tree only);
// { args: [...] } adds flags to `serve`; { init: false } skips `yuanluo init`;
// { reuse: stoppedServer } serves the database and key file of a server stopped with
// stop({ keep: true }) again (no init; the administrator logs in with ADMIN_PASSWORD).
//
// { share: runningServer } starts a second server on the same database and key file while the
// first still runs (several app servers on one PostgreSQL); stopping it leaves them in place.
export async function startServer(options = {}) {
  const share = options.share || null;
  const reuse = options.reuse || share;
  const dir = reuse ? reuse.dir : mkdtempSync(join(tmpdir(), 'yuanluo-api-'));
  const db = reuse ? reuse.db : (PG ? pgCreateDb() : join(dir, 'test.db'));
  const key = reuse ? reuse.key : join(dir, 'test.key');
  const common = ['--db', db, '--key-file', key];
  const env = options.clock ? clockEnv(options.clock) : (reuse && reuse.env) || process.env;
  const nowYear = shanghaiYear(options.clock ? Date.parse(options.clock) : Date.now());
  const calendars = options.calendars || [nowYear, nowYear + 1];
  // A start that fails leaves no folder behind (a reused one is the caller's).
  const fail = (message) => {
    if (!reuse && !process.env.KEEP_TEST_DIRS && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    if (!reuse && PG) pgDropDb(db);
    throw new Error(message);
  };
  if (reuse) {
    options = { ...options, init: false, demo: false, adminPassword: ADMIN_PASSWORD };
  } else if (PG && options.demo && options.init !== false) {
    // The demo data set is made by the work-order engine one statement at a time, which costs
    // PostgreSQL a round trip each (minutes for the year of orders): it is made in SQLite here and
    // moved with `yuanluo migrate-db`, which checks every table's rows and checksum on the way.
    const lite = ['--db', join(dir, 'demo.db'), '--key-file', key];
    const r = cli(['init', ...lite], { env });
    if (r.status !== 0) fail(`yuanluo init failed: ${r.stderr}`);
    const m = /password:\s+(\S+)/.exec(r.stdout);
    options.adminPassword = m ? m[1] : null;
    try { loadCalendars(dir, lite, calendars, env); } catch (e) { fail(e.message); }
    const d = cli(['demo', ...lite, ...(options.demoArgs || [])], { timeout: 300000, env });
    if (d.status !== 0) fail(`yuanluo demo failed: ${d.stderr}`);
    const c = cli(['migrate-db', '--from', `sqlite:${join(dir, 'demo.db')}`, '--to', db], { timeout: 300000, env });
    if (c.status !== 0) fail(`yuanluo migrate-db failed: ${c.stderr}`);
    options = { ...options, demo: false };
  } else if (options.init !== false) {
    const r = cli(['init', ...common], { env });
    if (r.status !== 0) fail(`yuanluo init failed: ${r.stderr}`);
    const m = /password:\s+(\S+)/.exec(r.stdout);
    options.adminPassword = m ? m[1] : null;
    try { loadCalendars(dir, common, calendars, env); } catch (e) { fail(e.message); }
  }
  if (options.demo) {
    const r = cli(['demo', ...common, ...(options.demoArgs || [])], { timeout: 300000, env });
    if (r.status !== 0) fail(`yuanluo demo failed: ${r.stderr}`);
  }
  const child = spawn(BIN, ['serve', ...common, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT,
    '--threads', '2', ...(options.args || [])], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  let port;
  try {
    port = await new Promise((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 10000);
      child.stderr.on('data', (chunk) => {
        log += chunk.toString();
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
        if (m) { clearTimeout(timer); resolvePort(Number(m[1])); }
      });
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${log}`)); });
    });
  } catch (e) {
    // Never leave a server behind a failed start: stop it by its PID.
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    fail(e.message);
  }
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base, port, dir, db, key, pid: child.pid, adminPassword: options.adminPassword, env,
    log: () => log,
    // Stops the server by its PID; { keep: true } keeps its folder (database and key) for a restart.
    async stop({ keep = false } = {}) {
      let code = child.exitCode;
      if (code === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', (c) => r(c)));
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
        code = await exited;
        clearTimeout(timer);
      }
      if (process.env.SHOW_SERVER_LOG) process.stderr.write(log);
      if (share) return code;
      if (!keep && !process.env.KEEP_TEST_DIRS && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      if (!keep && PG) pgDropDb(db);
      return code;
    },
    // A client logged in as login (changing a forced password to newPassword first).
    async loginAs(login, password, newPassword = ADMIN_PASSWORD) {
      return makeClient(base, await login_(base, login, password, newPassword));
    },
    // A client with no session at all.
    anonymous() { return makeClient(base, null); },
    // A client that sends an API token (Authorization: Bearer) and no cookie.
    bearer(token) { return makeClient(base, null, { Authorization: `Bearer ${token}` }); },
  };
  // The server's own methods act as the administrator, so tests of other rules need no ceremony.
  if ((reuse || options.init !== false) && options.login !== false) {
    try {
      const admin = await server.loginAs('admin', options.adminPassword, ADMIN_PASSWORD);
      server.session = admin.session;
      Object.assign(server, pick(admin));
    } catch (e) {
      await server.stop();	// never leave a server behind a failed start
      throw e;
    }
  } else {
    Object.assign(server, pick(makeClient(base, null)));
  }
  return server;
}

export const ADMIN_PASSWORD = 'Yuanluo-Test-2026!';

// The sqlite3 command-line tool, for tests that look into or tamper with a database file
// (false under PostgreSQL: those tests read SQLite's file and its dot commands).
export function hasSqlite3() {
  if (PG) return false;
  const r = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  return r.status === 0;
}

// Whether sqlite(db, sql) can run plain SQL on this run's databases: the sqlite3 tool on a file, psql on
// a PostgreSQL DSN.  Tests of plain SQL use this; dot commands, PRAGMAs and the file itself stay with
// hasSqlite3().
export function canRunSql() {
  const r = spawnSync(PG ? 'psql' : 'sqlite3', [PG ? '--version' : '-version'], { encoding: 'utf8' });
  return r.status === 0;
}
export const NO_SQL = (PG ? 'psql' : 'the sqlite3 command-line tool') + ' is missing (tools/deps.sh installs it)';

// Runs SQL (or a dot command) with the sqlite3 tool on a database file; returns stdout, throws on
// failure.  On a PostgreSQL DSN, plain SQL runs with psql, its output in sqlite3's form (a|b).
export function sqlite(db, sql) {
  if (db.startsWith('postgresql:')) {
    const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', db],
      { input: sql, encoding: 'utf8', timeout: 30000 });
    if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }
  const r = spawnSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', db], { input: sql, encoding: 'utf8', timeout: 30000,
    maxBuffer: 1 << 30 });	// a .dump of a test database passes the 1 MiB default
  if (r.status !== 0) throw new Error(`sqlite3 ${db} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function pick(c) {
  const { req, get, post, patch, put, del, session } = c;
  return { req, get, post, patch, put, del, session };
}

// Logs in; when the password must change, changes it and logs in again.  Returns { cookie, csrf, me }.
async function login_(base, login, password, newPassword) {
  const once = async (pw) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: pw }),
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${JSON.stringify(body)}`);
    const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
    return { cookie, csrf: body.csrf_token, me: body };
  };
  let s = await once(password);
  if (s.me.must_change_password) {
    const res = await fetch(`${base}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: s.cookie, 'X-CSRF-Token': s.csrf },
      body: JSON.stringify({ old_password: password, password: newPassword }),
    });
    if (res.status !== 200) throw new Error(`password change for ${login} failed: ${res.status} ${await res.text()}`);
    s = await once(newPassword);
  }
  return s;
}

// JSON client: { status, headers, body, text } with body parsed when JSON.  A session's
// cookie and CSRF token go with every request unless the caller's headers say otherwise
// (a header given as undefined is left out); defaults are headers sent with every request.
export function makeClient(base, session, defaults = {}) {
  const c = {
    session,
    async req(method, path, body, headers = {}) {
      const init = { method, headers: {} };
      if (session) {
        init.headers.Cookie = session.cookie;
        init.headers['X-CSRF-Token'] = session.csrf;
      }
      Object.assign(init.headers, defaults, headers);
      for (const k of Object.keys(init.headers)) if (init.headers[k] === undefined) delete init.headers[k];
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        if (!Object.keys(init.headers).some((k) => k.toLowerCase() === 'content-type')) {
          init.headers['Content-Type'] = 'application/json';
        }
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      let parsed = text;
      if ((res.headers.get('content-type') || '').startsWith('application/json')) {
        parsed = JSON.parse(text);
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    get(path, headers) { return c.req('GET', path, undefined, headers); },
    post(path, body, headers) { return c.req('POST', path, body, headers); },
    patch(path, body, headers) { return c.req('PATCH', path, body, headers); },
    put(path, body, headers) { return c.req('PUT', path, body, headers); },
    del(path, headers) { return c.req('DELETE', path, undefined, headers); },
  };
  return c;
}

// Asserts the error shape {"error":{"code","message","field"}} and returns the error object.
export function errorOf(res) {
  if (!res.body || typeof res.body !== 'object' || !res.body.error) {
    throw new Error(`expected a JSON error body, got ${res.status} ${res.text}`);
  }
  const e = res.body.error;
  if (typeof e.code !== 'string' || typeof e.message !== 'string' || !('field' in e)) {
    throw new Error(`malformed error body: ${res.text}`);
  }
  return e;
}

// The answer's body when its status is the one expected (200 unless said), else a failed assertion with the text.
export async function expectStatus(pending, status = 200) {
  const r = await pending;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${String(r.text).slice(0, 400)}`);
  return r.body;
}

// The error of an answer with the status expected, checked to name field (when one is given).
export async function expectError(pending, status, field) {
  const r = await pending;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${String(r.text).slice(0, 400)}`);
  const e = errorOf(r);
  if (field !== undefined && e.field !== field) throw new Error(`expected the field ${field}, got ${e.field}: ${r.text}`);
  return e;
}
