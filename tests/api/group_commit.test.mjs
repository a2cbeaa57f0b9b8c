// group_commit.test.mjs - POST /api/v1/work-orders is committed in groups: many concurrent orders share one
// transaction (one fsync), each still answered only after its group is on disk, each with its own answer;
// a failed order does not undo the others; a client gone while its order waits does not hurt the server;
// a stop answers what is queued before the connections close.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, errorOf, canRunSql, NO_SQL, sqlite } from './harness.mjs';

// Plain-SQL checks run on both backends (sqlite3, or psql under make test-pg); without the tool the
// test reports itself skipped rather than passing without them.
const sqlChecks = (t) => canRunSql() || (t.skip(`its SQL checks: ${NO_SQL}`), false);

let srv;
const T = {};

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

async function node(level, name, parent_id, extra = {}) {
  return (await ok(srv.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
}

// A phone order taken by the intake desk (the administrator holds workorder.dispatch).
function order(i, extra = {}) {
  return {
    source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: T.h1,
    text: `并发工单 ${i}: 楼道灯坏了`, caller_name: '张女士', caller_phone: '13812345678', ...extra,
  };
}

async function counters(s = srv) {
  const h = await ok(s.get('/healthz'));
  assert.ok(h.group_commit, JSON.stringify(h));
  return h.group_commit;
}

// n requests at once (each its own connection, as many clients would).
function together(n, f) {
  return Promise.all(Array.from({ length: n }, (_, i) => f(i)));
}

before(async () => {
  srv = await startServer();
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下', T.com, { kind: 'residential' });
  T.b1 = await node('building', '1号楼', T.y1);
  T.h1 = await node('household', '101', T.b1);
});

after(async () => {
  // A clean exit: under the sanitizer build a leak or a stray access would show here.
  if (srv) assert.equal(await srv.stop(), 0, srv.log().slice(-3000));
});

test('the health check shows the committer counters, and nothing else of the data', async () => {
  const h = await ok(srv.anonymous().get('/healthz'));
  assert.deepEqual(Object.keys(h.group_commit).sort(), ['failed_groups', 'groups', 'jobs', 'largest_group']);
  for (const v of Object.values(h.group_commit)) assert.ok(Number.isInteger(v) && v >= 0);
});

test('one order alone: 201 once committed, the same answer as ever', async () => {
  const before_ = await counters();
  const o = await ok(srv.post('/api/v1/work-orders', order(0)), 201);
  assert.match(o.number, /^YL\d{13}$/);
  assert.equal(o.state, 'dispatched', 'a phone order is dispatched at intake');
  assert.equal(o.category_path, '城乡建设 > 物业管理');
  const after_ = await counters();
  assert.equal(after_.jobs - before_.jobs, 1);
  assert.equal(after_.groups - before_.groups, 1);
  const again = await ok(srv.get(`/api/v1/work-orders/${o.id}`));
  assert.equal(again.number, o.number);
});

test('200 concurrent orders: all 201 with distinct numbers, all there afterwards, in fewer commits', async (t) => {
  const N = 200;
  const c0 = await counters();
  const res = await together(N, (i) => srv.post('/api/v1/work-orders', order(i)));
  for (const r of res) assert.equal(r.status, 201, r.text);
  const numbers = new Set(res.map((r) => r.body.number));
  const ids = new Set(res.map((r) => r.body.id));
  assert.equal(numbers.size, N, 'distinct numbers');
  assert.equal(ids.size, N, 'distinct ids');
  const c1 = await counters();
  assert.equal(c1.jobs - c0.jobs, N);
  assert.ok(c1.groups - c0.groups < N, `groups ${c1.groups - c0.groups} < orders ${N}`);
  assert.ok(c1.largest_group > 1, `largest group ${c1.largest_group}`);
  assert.equal(c1.failed_groups, c0.failed_groups);
  // Every acknowledged order is there, with its intake event.
  for (const r of res.slice(0, 20)) {
    const o = await ok(srv.get(`/api/v1/work-orders/${r.body.id}`));
    assert.equal(o.number, r.body.number);
    assert.equal(o.events[0].action, 'create');
  }
  if (sqlChecks(t)) {
    const list = [...ids].join(',');
    assert.equal(sqlite(srv.db, `SELECT COUNT(*) FROM work_orders WHERE id IN (${list});`).trim(), String(N));
    // Each has its own success row in the audit log, naming it.
    assert.equal(sqlite(srv.db, "SELECT COUNT(DISTINCT object_id) FROM audit_log WHERE action = 'POST /api/v1/work-orders'"
      + ` AND result = 'success' AND object_id IN (${[...ids].map((x) => `'${x}'`).join(',')});`).trim(), String(N));
  }
});

test('one invalid order among concurrent valid ones gets its 400; the others get 201 and persist', async (t) => {
  const N = 40;
  const bad = 17;
  const res = await together(N, (i) => srv.post('/api/v1/work-orders',
    i === bad ? order(i, { node_id: 987654 }) : order(i, { text: `混合组 ${i}` })));
  for (const [i, r] of res.entries()) {
    if (i === bad) {
      assert.equal(r.status, 400, r.text);
      assert.equal(errorOf(r).field, 'node_id');
    } else {
      assert.equal(r.status, 201, r.text);
    }
  }
  // A failure the domain finds late (after the idempotency lookup and the category) is as harmless.
  const late = await together(10, (i) => srv.post('/api/v1/work-orders',
    i % 5 === 0 ? order(i, { photo_ids: [424242] }) : order(i)));
  for (const [i, r] of late.entries()) assert.equal(r.status, i % 5 === 0 ? 400 : 201, r.text);
  for (const r of [...res, ...late].filter((x) => x.status === 201)) {
    await ok(srv.get(`/api/v1/work-orders/${r.body.id}`));
  }
  if (sqlChecks(t)) {
    const failures = sqlite(srv.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'POST /api/v1/work-orders'"
      + " AND result = 'failure';").trim();
    assert.equal(failures, '3', 'each refused order has its failure row');
  }
});

test('concurrent retries with one Idempotency-Key make one order, even within one group', async () => {
  const key = 'same-key-' + Date.now();
  const res = await together(12, () => srv.post('/api/v1/work-orders', order(99), { 'Idempotency-Key': key }));
  const created = res.filter((r) => r.status === 201);
  assert.equal(created.length, 1, res.map((r) => r.status).join(','));
  for (const r of res) {
    assert.ok(r.status === 201 || r.status === 200, r.text);
    assert.equal(r.body.id, created[0].body.id);
    assert.equal(r.body.number, created[0].body.number);
  }
});

test('a hotline bridge with an API token: concurrent orders in groups, the use of the token recorded', async () => {
  const t = await ok(srv.post('/api/v1/tokens', {
    name: 'hotline-bridge', permissions: ['workorder.create', 'workorder.dispatch', 'workorder.read', 'workorder.read_all'],
    expires_at: Math.floor(Date.now() / 1000) + 86400,
  }), 201);
  const bridge = srv.bearer(t.token);
  const c0 = await counters();
  const res = await together(60, (i) => bridge.post('/api/v1/work-orders', {
    source: 'hotline', external_no: `JN12345-20261103-${String(i).padStart(6, '0')}`, type: 'help',
    category: '城乡建设>物业管理', node_id: T.h1, text: `热线转来的工单 ${i}`, received_at: '2026-11-03 09:12:45',
  }));
  for (const r of res) assert.equal(r.status, 201, r.text);
  assert.equal(new Set(res.map((r) => r.body.number)).size, 60);
  const c1 = await counters();
  assert.equal(c1.jobs - c0.jobs, 60);
  assert.ok(c1.groups - c0.groups < 60, `groups ${c1.groups - c0.groups}`);
  // The same hotline number again is a conflict, inside a group like any other failure.
  const dup = await bridge.post('/api/v1/work-orders', {
    source: 'hotline', external_no: 'JN12345-20261103-000007', type: 'help', category: '城乡建设>物业管理',
    node_id: T.h1, text: '重复推送',
  });
  assert.equal(dup.status, 409, dup.text);
  assert.equal(errorOf(dup).field, 'external_no');
  const tokens = await ok(srv.get('/api/v1/tokens'));
  const mine = tokens.items.find((x) => x.id === t.id);
  assert.ok(mine && mine.last_used_at, JSON.stringify(mine));
});

test('the authorization and CSRF checks still come first', async () => {
  const anon = await srv.anonymous().post('/api/v1/work-orders', order(1));
  assert.equal(anon.status, 401);
  const noCsrf = await srv.post('/api/v1/work-orders', order(1), { 'X-CSRF-Token': undefined });
  assert.equal(noCsrf.status, 403);
  assert.equal(errorOf(noCsrf).code, 'csrf');
  const badJson = await srv.post('/api/v1/work-orders', '{"source":');
  assert.equal(badJson.status, 400);
  assert.equal(errorOf(badJson).code, 'invalid_json');
});

// Sends a whole POST on a raw socket and closes it at once, without reading the answer.
function postAndVanish(s, body) {
  return new Promise((resolve) => {
    const text = JSON.stringify(body);
    const sock = net.connect(s.port, '127.0.0.1', () => {
      sock.write(`POST /api/v1/work-orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`
        + `Cookie: ${s.session.cookie}\r\nX-CSRF-Token: ${s.session.csrf}\r\n`
        + `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`, () => {
        sock.destroy();
        resolve();
      });
    });
    sock.on('error', () => resolve());
  });
}

test('clients that disconnect while their orders wait do not hurt the server or the others', async () => {
  const vanish = together(30, (i) => postAndVanish(srv, order(i, { text: `断开的客户 ${i}` })));
  const stay = together(30, (i) => srv.post('/api/v1/work-orders', order(i, { text: `留下的客户 ${i}` })));
  const [, res] = await Promise.all([vanish, stay]);
  for (const r of res) assert.equal(r.status, 201, r.text);
  // Give the committer time to answer the vanished ones, then check the server is well.
  await new Promise((r) => setTimeout(r, 300));
  const h = await ok(srv.get('/healthz'));
  assert.equal(h.status, 'ok');
  assert.equal(h.group_commit.failed_groups, 0);
  await ok(srv.post('/api/v1/work-orders', order(1000)), 201);
});

test('a stop answers the queued orders before closing: every 201 is on disk, the server exits cleanly', async (t) => {
  const s = await startServer();
  let stopped = false;
  try {
    const id = async (level, name, parent_id) => (await ok(s.post('/api/v1/nodes', { level, name, parent_id }), 201)).id;
    const sub = await id('subdistrict', '历山街道');
    const com = await id('community', '东区社区', sub);
    // The stop comes once the first order is answered: the others are queued or on their way by then,
    // so that there is something to answer and something to check.
    let first;
    const answered = new Promise((r) => { first = r; });
    const res = together(100, (i) => s.post('/api/v1/work-orders', {
      source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: com, text: `停机前的工单 ${i}`,
    }).then((r) => { if (r.status === 201) first(); return r; }, (e) => ({ status: 0, error: e })));
    await Promise.race([answered, res]);	// (all answered without a 201 fails below)
    const code = await s.stop({ keep: true });
    stopped = true;
    assert.equal(code, 0, `exit code: ${s.log().slice(-2000)}`);
    const answers = await res;
    const created = answers.filter((r) => r.status === 201);
    for (const r of answers) assert.ok([0, 201, 503].includes(r.status), `${r.status} ${r.text}`);
    assert.ok(!/PANIC|suspended connections/i.test(s.log()), s.log().slice(-2000));
    assert.ok(created.length > 0, 'no order was answered 201: nothing to check');
    if (sqlChecks(t)) {
      const list = created.map((r) => r.body.id).join(',');
      assert.equal(sqlite(s.db, `SELECT COUNT(*) FROM work_orders WHERE id IN (${list});`).trim(), String(created.length));
    }
  } finally {
    if (!stopped) await s.stop();
    else await s.stop();	// removes the kept folder
  }
});
