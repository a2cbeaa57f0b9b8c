// runner.test.mjs - tools/run-tests.sh judged on fake suites: a copy of the runner in a temporary tree
// with cmocka binaries built from fake_unit.c and node:test files written here, each run once.  The
// runner must count and name skips, fail a suite in which nothing passed (zero tests run, or all
// skipped), kill a suite that outlives its limit and fail it with a TIMEOUT line, and pass a Ctrl-C on to
// the suite (which timeout(1) puts in a process group of its own).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, rmSync, chmodSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let work;	// the temporary folder: fake binaries in bin/, one tree per run
let trees = 0;
const MODES = ['pass', 'skip', 'fail', 'none', 'empty', 'hang'];

before(() => {
  work = mkdtempSync(join(tmpdir(), 'yuanluo-runner-'));
  mkdirSync(join(work, 'bin'));
  for (const m of MODES) {
    const r = spawnSync(process.env.CC || 'cc', [`-DFAKE_${m.toUpperCase()}`, '-o', join(work, 'bin', m),
      join(ROOT, 'tests/runner/fake_unit.c'), '-lcmocka'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `building the fake ${m} binary: ${r.stderr}`);
  }
});

after(() => { if (work && !process.env.KEEP_TEST_DIRS) rmSync(work, { recursive: true, force: true }); });

// A tree of { unit: { test_NAME: mode }, api: { NAME: source } } with a copy of the runner; returns its folder.
function makeTree({ unit = {}, api = {} }) {
  const tree = join(work, `tree${++trees}`);
  for (const d of ['tools', 'build/tests', 'tests/api']) mkdirSync(join(tree, d), { recursive: true });
  copyFileSync(join(ROOT, 'tools/run-tests.sh'), join(tree, 'tools/run-tests.sh'));
  for (const [name, mode] of Object.entries(unit)) {
    copyFileSync(join(work, 'bin', mode), join(tree, 'build/tests', name));
    chmodSync(join(tree, 'build/tests', name), 0o755);
  }
  for (const [name, source] of Object.entries(api)) writeFileSync(join(tree, 'tests/api', `${name}.test.mjs`), source);
  return tree;
}

function envFor(limits) {
  const env = { ...process.env, TEST_TIMEOUT_UNIT: '30', TEST_TIMEOUT_API: '60', ...limits };
  for (const k of ['YUANLUO_TEST_PG', 'YUANLUO_TEST_PG_DSN', 'NODE_TEST_CONTEXT']) delete env[k];
  return env;
}

// Runs the runner on a tree (see makeTree); limits in seconds.
function run(suites, limits = {}) {
  const tree = makeTree(suites);
  const env = envFor(limits);
  const t0 = Date.now();
  const r = spawnSync('sh', [join(tree, 'tools/run-tests.sh')], { encoding: 'utf8', env, timeout: 120000 });
  const out = r.stdout + r.stderr;
  const last = r.stdout.trim().split('\n').pop();
  return { status: r.status, out, last, seconds: (Date.now() - t0) / 1000 };
}

const API_OK = `import { test } from 'node:test';
test('adds', () => {});
test('needs a tool', { skip: 'the tool is missing' }, () => {});
`;
const API_ALL_SKIPPED = `import { test, describe } from 'node:test';
describe('a whole group', { skip: 'no database' }, () => { test('inside', () => {}); });
test('alone', { skip: 'no database' }, () => {});
`;
const API_NO_TESTS = `// a test file whose tests were all left out\n`;
const API_HANGS = `import { test } from 'node:test';
test('adds', () => {});
test('waits for ever', () => new Promise(() => { setInterval(() => {}, 1000); }));
`;

test('a green tree: every suite ok, skips counted and named, the closing line', () => {
  const r = run({ unit: { test_a: 'pass', test_b: 'skip' }, api: { a: API_OK } });
  assert.equal(r.status, 0, r.out);
  assert.equal(r.last, '3 passed, 0 failed, 2 skipped', r.out);
  assert.match(r.out, /^ok {3}test_b \(1 tests, 1 skipped\)$/m);
  assert.match(r.out, /^ {4}skipped: skips$/m);
  assert.match(r.out, /^ok {3}api \(1 tests, 1 skipped\)$/m);
  assert.match(r.out, /^ {4}skipped: needs a tool — the tool is missing$/m);
});

test('a failing test fails its suite', () => {
  const r = run({ unit: { test_a: 'pass', test_f: 'fail' }, api: { a: API_OK } });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.last, '3 passed, 1 failed, 1 skipped', r.out);
  assert.match(r.out, /^FAIL test_f \(1 passed, 1 failed\)/m);
});

test('a unit binary in which nothing passed fails: all skipped, or nothing run at all', () => {
  const r = run({ unit: { test_a: 'pass', test_n: 'none', test_z: 'empty' }, api: { a: API_OK } });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.last, '2 passed, 2 failed, 2 skipped', r.out);
  assert.match(r.out, /^FAIL test_n: nothing passed \(1 skipped;/m);
  assert.match(r.out, /^FAIL test_z: nothing passed \(0 skipped;/m);
});

test('an API suite in which nothing passed fails: all skipped', () => {
  const r = run({ unit: { test_a: 'pass' }, api: { s: API_ALL_SKIPPED } });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.last, '1 passed, 1 failed, 2 skipped', r.out);
  assert.match(r.out, /^FAIL api: nothing passed \(2 skipped;/m);
  assert.match(r.out, /^ {4}skipped: a whole group — no database$/m);
});

test('an API test file with no test in it fails, alone or beside good ones', () => {
  let r = run({ unit: { test_a: 'pass' }, api: { e: API_NO_TESTS } });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.last, '1 passed, 1 failed, 0 skipped', r.out);
  assert.match(r.out, /^FAIL api \(0 passed, 1 failed\)/m);
  assert.match(r.out, /^ {4}ran no test: .*\/e\.test\.mjs$/m);
  r = run({ unit: { test_a: 'pass' }, api: { a: API_OK, e: API_NO_TESTS } });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.last, '2 passed, 1 failed, 1 skipped', r.out);
  assert.match(r.out, /^ {4}ran no test: .*\/e\.test\.mjs$/m);
});

test('a unit binary that hangs is killed at its limit and fails; the others still run', () => {
  const r = run({ unit: { test_a: 'pass', test_h: 'hang', test_z: 'pass' }, api: { a: API_OK } }, { TEST_TIMEOUT_UNIT: '2' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /^FAIL test_h: TIMEOUT, killed after 2 s/m);
  assert.match(r.out, /^ok {3}test_z \(1 tests\)$/m);
  assert.equal(r.last, '3 passed, 1 failed, 1 skipped', r.out);
  assert.ok(r.seconds < 20, `took ${r.seconds} s`);
});

test('an API suite that hangs is killed at its limit and fails', () => {
  const r = run({ unit: { test_a: 'pass' }, api: { h: API_HANGS } }, { TEST_TIMEOUT_API: '4' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /^FAIL api: TIMEOUT, killed after 4 s/m);
  assert.equal(r.last.replace(/^\d+ passed/, 'N passed'), 'N passed, 1 failed, 0 skipped', r.out);
  assert.ok(r.seconds < 25, `took ${r.seconds} s`);
});

test('an interrupt (Ctrl-C to the runner\'s process group) stops the running suite and its children', async () => {
  const tree = makeTree({ api: { h: `import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
test('waits for ever', () => { writeFileSync(${JSON.stringify(join(work, 'hung.pid'))}, String(process.pid));
  return new Promise(() => { setInterval(() => {}, 1000); }); });
` } });
  // A process group of its own, as a terminal gives the command it runs.
  const child = spawn('sh', [join(tree, 'tools/run-tests.sh')], { env: envFor({}), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const pidFile = join(work, 'hung.pid');
  for (const end = Date.now() + 20000; !existsSync(pidFile);) {
    assert.ok(Date.now() < end, `the hanging test never started: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const hung = Number(readFileSync(pidFile, 'utf8'));
  process.kill(-child.pid, 'SIGINT');
  assert.equal(await exited, 130, out);
  assert.match(out, /^interrupted: stopped during build\/test-logs\/api\.log$/m);
  let alive = true;
  for (const end = Date.now() + 15000; alive && Date.now() < end;) {
    try { process.kill(hung, 0); await new Promise((r) => setTimeout(r, 100)); } catch { alive = false; }
  }
  assert.equal(alive, false, `the test process ${hung} outlived the interrupt`);
});
