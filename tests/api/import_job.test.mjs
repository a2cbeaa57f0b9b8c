// import_job.test.mjs - imports as background jobs (POST /api/v1/import-jobs/...): a 50,000-row hotline
// file checked whole and then written in short chunks while new orders are filed and answered within the
// bound and logins never meet a 5xx; progress that climbs; the result kept (created, unchanged, refused
// with reasons, the unmapped categories); a bad file writing nothing; a dry run; whose jobs one sees; and
// a store held busy answering 503 with Retry-After, never 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, errorOf, PG, ADMIN_PASSWORD, sqlite, expectStatus as ok, realClockEnv } from './harness.mjs';
import { tree, hotlineFile } from '../../bench/hotline_file.mjs';

// 50,000 rows take a minute or two alone and far longer beside the rest of the suite on a 2-core machine:
// make test runs 10,000 (IMPORT_JOB_ROWS=50000 for the figure; bench/import.mjs for 100,000).
const ROWS = Number(process.env.IMPORT_JOB_ROWS || 10000);
const INIT_PW = 'Initial-Pass-2026!';
const PW = 'Yuanluo-Test-2026!';
let srv;
let courtyard;


const submit = (client, kind, text, query = '') => client.req('POST', `/api/v1/import-jobs/${kind}${query}`, text,
  { 'Content-Type': 'text/csv; charset=utf-8' });

async function finished(id, client = srv, ms = 600000) {
  const end = Date.now() + ms;
  for (;;) {
    const j = await ok(client.get(`/api/v1/import-jobs/${id}`));
    if (j.state === 'done' || j.state === 'failed') return j;
    if (Date.now() > end) assert.fail(`job ${id} still ${j.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  srv = await startServer({ args: ['--max-body', String(64 * 1024 * 1024)] });
  await tree(async (p, b) => ok(srv.post(p, b), 201));
  courtyard = (await ok(srv.get('/api/v1/nodes?level=courtyard&limit=1'))).items[0].id;
});

after(async () => { if (srv) await srv.stop(); });

test(`a ${ROWS}-row hotline file imports as a job while orders are filed within the bound and logins never fail`, async () => {
  const file = hotlineFile(ROWS);
  // The same orders without an import running, on this machine now: the bound below is over this.
  const base = [];
  for (let i = 0; i < 40; i++) {
    const a = Date.now();
    await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: courtyard, text: '平时来电' }), 201);
    base.push(Date.now() - a);
    await new Promise((res) => setTimeout(res, 50));
  }
  base.sort((a, b) => a - b);
  const baseP99 = base[Math.floor(base.length * 0.99)];
  const t0 = Date.now();
  const job = await ok(submit(srv, 'hotline', file), 202);
  assert.equal(job.state, 'queued');
  assert.equal(job.bytes, Buffer.byteLength(file));
  const lat = [];
  const progress = [];
  const logins = [];
  let j = job;
  let filed = 0;
  // Two clients filing orders and one logging in, for as long as the job runs.
  const writer = async () => {
    while (j.state !== 'done' && j.state !== 'failed') {
      const a = Date.now();
      const r = await srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2,
        node_id: courtyard, text: '导入时来电' });
      lat.push(Date.now() - a);
      assert.equal(r.status, 201, r.text);
      filed++;
      await new Promise((res) => setTimeout(res, 50));	// a busy office's pace, not a flood
    }
  };
  const loginLoop = async () => {
    while (j.state !== 'done' && j.state !== 'failed') {
      const r = await fetch(`${srv.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
      logins.push(r.status);
      await r.text();
      // Sparse: a login holds the writer while it checks the password hash (Argon2id), which is not the import's doing.
      await new Promise((res) => setTimeout(res, 2000));
    }
  };
  const watcher = async () => {
    while (j.state !== 'done' && j.state !== 'failed') {
      j = await ok(srv.get(`/api/v1/import-jobs/${job.id}`));
      progress.push(j.progress);
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  await Promise.all([writer(), writer(), loginLoop(), watcher()]);
  const secs = (Date.now() - t0) / 1000;
  assert.equal(j.state, 'done', JSON.stringify(j.result).slice(0, 400));
  assert.equal(j.result.created, ROWS);
  assert.equal(j.result.refused, 0);
  assert.equal(j.rows_total, ROWS);
  assert.equal(j.rows_done, ROWS);
  assert.equal(j.progress, 1);
  assert.ok(j.result.unmapped_orders > 0, 'the hotline categories we lack are mapped, not refused');
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1], `progress went back: ${progress}`);
  assert.ok(progress.some((p) => p > 0 && p < 1), 'progress was seen between the start and the end');
  lat.sort((a, b) => a - b);
  const p99 = lat[Math.floor(lat.length * 0.99)];
  assert.ok(!logins.some((s) => s >= 500), `a login answered ${logins.filter((s) => s >= 500)}`);
  assert.ok(filed > 10, `only ${filed} orders were filed meanwhile`);
  // The bound: a few hundred milliseconds at worst while the import runs (it holds the writer 100 ms at a time).
  const figures = `${ROWS} rows in ${secs.toFixed(1)} s (${(ROWS / secs).toFixed(0)} rows/s); ${filed} orders `
    + `filed meanwhile: p50 ${lat[Math.floor(lat.length / 2)]} ms, p99 ${p99} ms, max ${lat[lat.length - 1]} ms; `
    + `without the import p99 ${baseP99} ms; longest chunk ${j.result.longest_chunk_ms} ms`;
  process.stderr.write(`# ${figures}\n`);
  // The bound is the import's own: it holds the writer one chunk at a time (100 ms of rows and the commit), so
  // another writer waits about that long at most; the assertion keeps a wide margin for a loaded machine.  The
  // orders' latencies carry the machine's load (other suites run at once), so they are reported here and
  // measured against their target by bench/import.mjs, never asserted on time in a test.
  assert.ok(j.result.longest_chunk_ms <= 1000, `a chunk held the writer ${j.result.longest_chunk_ms} ms; ${figures}`);

  // The same file again: every row unchanged, nothing new.
  const again = await finished((await ok(submit(srv, 'hotline', file), 202)).id);
  assert.deepEqual([again.state, again.result.created, again.result.unchanged], ['done', 0, ROWS]);
});

test('a bad file: every problem listed, nothing written; a dry run writes nothing either', async () => {
  const before_ = (await ok(srv.get('/api/v1/work-orders?source=hotline&limit=1&q=JN-BAD'))).items.length;
  const good = hotlineFile(3, { prefix: 'JN-BAD' });
  const bad = `${good.trimEnd()}\r\nJN-BAD-X,2025-13-01 09:00:00,,电话,投诉,城乡建设>物业管理,一般,,,否,明水街道龙泉社区泉景花园,龙泉社区,x,5\r\n`;
  const j = await finished((await ok(submit(srv, 'hotline', bad), 202)).id);
  assert.equal(j.state, 'failed');
  assert.equal(j.result.ok, false);
  assert.equal(j.result.error.code, 'invalid_csv');
  assert.deepEqual(j.result.problems.map((p) => [p.line, p.column]), [[5, '受理时间']]);
  assert.equal((await ok(srv.get('/api/v1/work-orders?source=hotline&limit=5&q=JN-BAD'))).items.length, before_);
  const dry = await finished((await ok(submit(srv, 'hotline', good, '?dry_run=true'), 202)).id);
  assert.deepEqual([dry.state, dry.dry_run, dry.result.created], ['done', true, 3]);
  assert.equal((await ok(srv.get('/api/v1/work-orders?source=hotline&limit=5&q=JN-BAD'))).items.length, before_);
  const whole = await finished((await ok(submit(srv, 'hotline', good, '?all_or_nothing=true'), 202)).id);
  assert.deepEqual([whole.state, whole.all_or_nothing, whole.result.created], ['done', true, 3]);
  const nodes = await finished((await ok(submit(srv, 'nodes', 'code,name,level,parent_code\r\nnew-c,新社区,community,\r\n'), 202)).id);
  assert.equal(nodes.state, 'failed', 'a community needs its subdistrict');
  assert.ok(nodes.result.problems.length > 0);
  await ok(submit(srv, 'hotline', good, '?dry_run=maybe'), 400);
  assert.equal((await srv.req('POST', '/api/v1/import-jobs/hotline', good, { 'Content-Type': 'application/json' })).status, 415);
});

test('one sees one\'s own jobs; the administrator sees every one; the import is audited as the submitter', async () => {
  const com = (await ok(srv.get('/api/v1/nodes?level=community&limit=1'))).items[0].id;
  await ok(srv.post('/api/v1/users', { login: 'desk', role: 'community_staff', password: INIT_PW, scope_node_id: com }), 201);
  const desk = await srv.loginAs('desk', INIT_PW, PW);
  const mine = await finished((await ok(submit(desk, 'hotline', hotlineFile(2, { prefix: 'JN-DESK' })), 202)).id, desk);
  assert.equal(mine.login, 'desk');
  const list = await ok(desk.get('/api/v1/import-jobs'));
  assert.deepEqual(list.items.map((x) => x.id), [mine.id]);
  assert.equal((await desk.get('/api/v1/import-jobs/1')).status, 404, 'another\'s job is not found');
  assert.ok((await ok(srv.get('/api/v1/import-jobs'))).items.some((x) => x.id === mine.id));
  // desk's scope is one community: the rows of other communities are refused by it, not by the administrator's.
  assert.ok(mine.result.problems.length > 0 || mine.result.created > 0);
  const grid = await ok(srv.post('/api/v1/users', { login: 'grid', role: 'grid_member', password: INIT_PW, scope_node_id: com }), 201);
  assert.ok(grid.id);
  const g = await srv.loginAs('grid', INIT_PW, PW);
  assert.equal((await submit(g, 'hotline', hotlineFile(1))).status, 403);
});

test('a store held busy past the wait answers 503 with Retry-After, never 500', { skip: PG && 'SQLite only (PostgreSQL queues writers)' }, async () => {
  // Another process holds the write lock for 12 s: longer than the 10 s the server waits.
  const holder = spawn('/usr/bin/python3', ['-c', `
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN IMMEDIATE')
print('held', flush=True)
time.sleep(12)
c.execute('ROLLBACK')
`, srv.db], { stdio: ['ignore', 'pipe', 'inherit'], env: realClockEnv() });
  await new Promise((res) => holder.stdout.once('data', res));
  const [order, login] = await Promise.all([
    srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: courtyard, text: '忙' }),
    fetch(`${srv.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) }),
  ]);
  const loginText = await login.text();
  await new Promise((res) => holder.once('exit', res));
  assert.equal(order.status, 503, order.text);
  assert.equal(errorOf(order).code, 'busy');
  assert.equal(order.headers.get('retry-after'), '1');
  assert.ok(login.status < 500 || (login.status === 503 && login.headers.get('retry-after') === '1'), `login: ${login.status} ${loginText}`);
  // Once the lock is gone, the same order goes through.
  await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: courtyard, text: '不忙了' }), 201);
});

test('a server stopped mid-import leaves the job between two chunks; after the restart it completes the file', async () => {
  const first = await startServer({ args: ['--max-body', String(64 * 1024 * 1024)] });
  let again;
  try {
    await tree(async (p, b) => ok(first.post(p, b), 201));
    const rows = 8000;
    const job = await ok(submit(first, 'hotline', hotlineFile(rows, { prefix: 'JN-STOP' })), 202);
    let j;
    do {
      j = await ok(first.get(`/api/v1/import-jobs/${job.id}`));
      await new Promise((r) => setTimeout(r, 50));
    } while (j.state !== 'done' && j.rows_done === 0);
    const t0 = Date.now();
    await first.stop({ keep: true });
    assert.ok(Date.now() - t0 < 5000, `the stop took ${Date.now() - t0} ms`);
    again = await startServer({ reuse: first, args: ['--max-body', String(64 * 1024 * 1024)] });
    const left = await ok(again.get(`/api/v1/import-jobs/${job.id}`));
    if (left.state !== 'done') {
      assert.equal(left.state, 'running', 'left to be taken again');
      assert.ok(left.rows_done < rows);
      // Its lease runs out (120 s at most); here it is made to at once.
      sqlite(first.db, `UPDATE import_jobs SET lease_until = 0 WHERE id = ${job.id}`);
    }
    const done = await finished(job.id, again);
    assert.equal(done.state, 'done');
    assert.equal(done.result.created + done.result.unchanged, rows, 'every row once');
    const count = sqlite(first.db, "SELECT COUNT(*) FROM work_orders WHERE external_no LIKE 'JN-STOP-%'");
    assert.equal(Number(count.trim()), rows, 'no row imported twice, none lost');
  } finally {
    if (again) await again.stop();
    else await first.stop();
  }
});
