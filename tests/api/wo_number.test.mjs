// wo_number.test.mjs - work-order numbers never run out (issue 22): a day past 99,999 orders goes on with
// 100000 and up, with no gap, no duplicate and no refusal, also with two servers filing at once on one
// database (under make test-pg: two servers on one PostgreSQL) and a third with a number-prefix of its
// own; search, Open311 and the order's page find the longer numbers.  The day's counter is seeded near
// the old limit rather than filing 100,000 orders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlite, cli } from './harness.mjs';

let a, b, c;	// two servers without a prefix and one with number-prefix MSC, all on one database
const T = {};
const NUMBER = /^YL[A-Z]{0,6}\d{13,}$/;	// docs/openapi.json, WorkOrder.number

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

// Today in Asia/Shanghai as YYYYMMDD: the day an order filed now is numbered under.
function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replaceAll('-', '');
}

// Sets the counter of a stem (prefix and day) as if that many orders had been filed.
function seed(stem, last) {
  sqlite(a.db, `INSERT INTO wo_daily_seq (day, last) VALUES ('${stem}', ${last})`
    + ` ON CONFLICT (day) DO UPDATE SET last = excluded.last;`);
}

// Where the counter of a stem stands.
const counter = (stem) => Number(sqlite(a.db, `SELECT last FROM wo_daily_seq WHERE day = '${stem}';`).trim());

// A phone order taken by the desk (the administrator), filed now.
function order(i) {
  return {
    source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: T.h1,
    text: `编号测试 ${i}: 楼道灯坏了`, caller_name: '张女士', caller_phone: '13812345678',
  };
}

// The sequence of a number of a stem; numbers of one stem sort by it.
const seq = (number, stem) => {
  assert.ok(number.startsWith(`YL${stem}`), number);
  return Number(number.slice(2 + stem.length));
};

before(async () => {
  // The tests seed today's counter: never start within a minute of midnight in Asia/Shanghai.
  const left = 86400 - Math.floor((Date.now() / 1000 + 8 * 3600) % 86400);
  if (left < 60) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
  a = await startServer();
  const node = async (level, name, parent_id, extra = {}) =>
    (await ok(a.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下', T.com, { kind: 'residential' });
  T.b1 = await node('building', '1号楼', T.y1);
  T.h1 = await node('household', '101', T.b1);
  b = await startServer({ share: a });
  c = await startServer({ share: a, args: ['--number-prefix', 'MSC'] });
});

after(async () => {
  await c?.stop();
  await b?.stop();
  await a?.stop();
});

test('a prefix that is not 0 to 6 capital letters is refused at start', () => {
  for (const bad of ['ms', 'M1', 'ABCDEFG']) {
    const r = cli(['routes', '--number-prefix', bad]);
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /number-prefix/);
  }
  const env = cli(['routes'], { env: { ...process.env, YUANLUO_NUMBER_PREFIX: 'm-1' } });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /number-prefix 'm-1'/);
});

test('one server past the old limit: 99999, then 100000 and on, in order, none refused', async () => {
  const day = today();
  seed(day, 99990);
  const numbers = [];
  // Five one after the other, then twenty at once (the group committer numbers them in one transaction).
  for (let i = 0; i < 5; i++) numbers.push((await ok(a.post('/api/v1/work-orders', order(i)), 201)).number);
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => a.post('/api/v1/work-orders', order(5 + i))));
  for (const r of many) assert.equal(r.status, 201, r.text);
  numbers.push(...many.map((r) => r.body.number));
  for (const n of numbers) assert.match(n, NUMBER);
  assert.deepEqual(numbers.slice(0, 5), [99991, 99992, 99993, 99994, 99995].map((s) => `YL${day}${s}`));
  const seqs = numbers.map((n) => seq(n, day)).sort((x, y) => x - y);
  assert.deepEqual(seqs, Array.from({ length: 25 }, (_, i) => 99991 + i), 'every number once, no gap');
  assert.ok(numbers.includes(`YL${day}99999`) && numbers.includes(`YL${day}100000`));
  T.six = `YL${day}100000`;
});

test('two servers on one database and a third with its own prefix, filing at once past the limit', async () => {
  const day = today();
  const from = counter(day);	// past 100000 since the test above
  assert.ok(from >= 100000, String(from));
  seed(`MSC${day}`, 99990);
  const N = 40;
  const res = await Promise.all([
    ...Array.from({ length: N }, (_, i) => a.post('/api/v1/work-orders', order(`a${i}`))),
    ...Array.from({ length: N }, (_, i) => b.post('/api/v1/work-orders', order(`b${i}`))),
    ...Array.from({ length: 20 }, (_, i) => c.post('/api/v1/work-orders', order(`c${i}`))),
  ]);
  for (const r of res) assert.equal(r.status, 201, r.text);
  const plain = res.slice(0, 2 * N).map((r) => r.body.number);
  const prefixed = res.slice(2 * N).map((r) => r.body.number);
  for (const n of [...plain, ...prefixed]) assert.match(n, NUMBER);
  assert.deepEqual(plain.map((n) => seq(n, day)).sort((x, y) => x - y),
    Array.from({ length: 2 * N }, (_, i) => from + 1 + i), 'the two servers share one sequence: no duplicate, no gap');
  assert.deepEqual(prefixed.map((n) => seq(n, `MSC${day}`)).sort((x, y) => x - y),
    Array.from({ length: 20 }, (_, i) => 99991 + i), 'the prefixed server counts apart');
  // Every order is there once, under its own number.
  const ids = new Set(res.map((r) => r.body.id));
  assert.equal(ids.size, res.length);
  const one = await ok(b.get(`/api/v1/work-orders/${res[0].body.id}`));
  assert.equal(one.number, plain[0]);
  T.long = plain[plain.length - 1];
  T.prefixed = prefixed.find((n) => seq(n, `MSC${day}`) >= 100000);
  T.prefixed5 = prefixed.find((n) => seq(n, `MSC${day}`) === 99999);
  assert.ok(T.long && T.prefixed && T.prefixed5);
});

test('search finds the longer numbers whole, and the prefixed ones, in any case', async () => {
  const find = async (srv, q) => (await ok(srv.get(`/api/v1/work-orders?q=${encodeURIComponent(q)}`))).items;
  for (const n of [T.six, T.long, T.prefixed, T.prefixed5]) {
    for (const srv of [a, b]) {
      const items = await find(srv, n);
      assert.deepEqual(items.map((o) => o.number), [n], `q=${n}`);
    }
    assert.deepEqual((await find(a, n.toLowerCase())).map((o) => o.number), [n]);
  }
  // A prefix of numbers: the prefixed server's day, with another word of the text.
  const day = (await find(a, `YLMSC${today()} 楼道灯`)).map((o) => o.number);
  assert.equal(day.length, 20);
  assert.ok(day.every((n) => n.startsWith('YLMSC')));
});

test('Open311 finds the longer numbers as service_request_id, in both formats', async () => {
  const B = '/open311/v2';
  for (const n of [T.six, T.long, T.prefixed]) {
    const j = await a.anonymous().get(`${B}/requests/${n}.json`);
    assert.equal(j.status, 200, j.text);
    assert.equal(j.body[0].service_request_id, n);
    const x = await fetch(`${a.base}${B}/requests/${n}.xml`);
    assert.equal(x.status, 200);
    assert.ok((await x.text()).includes(`<service_request_id>${n}</service_request_id>`));
  }
  const list = await a.anonymous().get(`${B}/requests.json?service_request_id=${[T.six, T.long, T.prefixed].join(',')}`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.map((r) => r.service_request_id).sort(), [T.six, T.long, T.prefixed].sort());
  // A request filed through Open311 on the prefixed server is numbered there, and found by that number.
  const tok = await ok(a.post('/api/v1/tokens', { name: 'open311-app', permissions: ['workorder.create'],
    expires_at: Math.floor(Date.now() / 1000) + 86400 }), 201);
  const r = await fetch(`${c.base}${B}/requests.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: tok.token, service_code: 'env.clean', address_id: String(T.h1),
      description: '楼道堆放杂物' }).toString(),
  });
  const doc = await r.json();
  assert.equal(r.status, 200, JSON.stringify(doc));
  assert.equal(doc[0].service_request_id, `YLMSC${today()}100011`);
  const back = await a.anonymous().get(`${B}/requests/${doc[0].service_request_id}.json`);
  assert.equal(back.status, 200, back.text);
});
