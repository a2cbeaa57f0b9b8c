// tasks.test.mjs - GET /api/v1/tasks, the one inbox ("my tasks") over every kind of time node:
// work orders come first and are the orders of GET /work-orders/mine (all lists but "reported",
// each order once), with the same counts.  A second kind, known only to tests
// (YUANLUO_TEST_TIME_KINDS), is carded, escalated and listed by the server's own sweeper and the
// same route; tests/unit/test_timenode.c goes through it step by step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlite } from './harness.mjs';

process.env.YUANLUO_TEST_TIME_KINDS = 'test_task';	// the server and its sweeper inherit it
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
const T = {};

before(async () => {
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const mk = async (body) => { const r = await srv.post('/api/v1/nodes', body); assert.equal(r.status, 201, r.text); return r.body.id; };
  T.sub = await mk({ level: 'subdistrict', name: '明水街道' });
  T.com = await mk({ level: 'community', name: '龙泉社区', parent_id: T.sub });
  T.yard = await mk({ level: 'courtyard', name: '君临天下', parent_id: T.com, kind: 'residential' });
  T.bld = await mk({ level: 'building', name: '1号楼', parent_id: T.yard });
  T.hh = await mk({ level: 'household', name: '101', parent_id: T.bld });
});

after(async () => { if (srv) await srv.stop(); });

test('the inbox lists the work orders of my tasks, each once, work orders first', async () => {
  const empty = await srv.get('/api/v1/tasks');
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.body, { items: [], count: 0 });
  for (const source of ['phone', 'resident', 'walk_in']) {
    const r = await srv.post('/api/v1/work-orders', {
      source, type: 'complaint', category: '城乡建设>物业管理', node_id: T.hh,
      text: `收件箱测试 ${source}: 路灯不亮`, caller_name: '李先生', caller_phone: '13912345678',
    });
    assert.equal(r.status, 201, r.text);
  }
  const mine = (await srv.get('/api/v1/work-orders/mine')).body;
  const lists = Object.keys(mine).filter((l) => l !== 'reported');
  const want = new Set(lists.flatMap((l) => mine[l].items.map((o) => o.id)));
  const inbox = await srv.get('/api/v1/tasks');
  assert.equal(inbox.status, 200, inbox.text);
  const got = inbox.body.items;
  assert.ok(got.length > 0, 'the orders wait for the administrator');
  assert.ok(got.every((t) => t.kind === 'workorder' && t.time_node_id === null));
  assert.deepEqual(new Set(got.map((t) => t.id)), want);
  assert.equal(got.length, want.size, 'each order once');
  assert.equal(inbox.body.count, lists.reduce((n, l) => n + mine[l].count, 0));
  for (const t of got) {
    assert.ok(lists.includes(t.list), `${t.list} is a list of my tasks`);
    assert.match(t.title, /^YL\d{13}$/);
    assert.ok(['none', 'yellow', 'red'].includes(t.card));
  }
  const limited = await srv.get('/api/v1/tasks?limit=201');
  assert.equal(limited.status, 400, limited.text);
});

test('the inbox needs a session', async () => {
  const r = await srv.anonymous().get('/api/v1/tasks');
  assert.equal(r.status, 401, r.text);
});

test('a second kind of time node is carded, escalated and listed by the same sweeper and route', async () => {
  const me = (await srv.get('/api/v1/auth/me')).body;
  const now = Math.floor(Date.now() / 1000);
  // Opened two days ago, due in one calendar day: overdue by now.  (tn_open() writes the same row.)
  sqlite(srv.db, `INSERT INTO time_nodes (subdistrict_id, kind, ref_id, title, node_id, assignee_user_id, start_at,
    days, day_rule, deadline, created_at) VALUES (${T.sub}, 'test_task', 1, '清理楼道杂物', ${T.yard}, ${me.user_id},
    ${now - 2 * 86400}, 1, 'calendar', ${now - 3600}, ${now - 2 * 86400});`);
  const id = Number(sqlite(srv.db, "SELECT id FROM time_nodes WHERE kind = 'test_task' AND ref_id = 1;").trim());
  let item;
  for (let i = 0; i < 100; i++) {
    const r = await srv.get('/api/v1/tasks');
    assert.equal(r.status, 200, r.text);
    item = r.body.items.find((t) => t.kind === 'test_task');
    assert.ok(item, 'listed from the start');
    if (item.card === 'red') break;
    await sleep(100);
  }
  assert.equal(item.card, 'red', 'the server\'s sweeper gave the red card');
  assert.equal(item.list, 'carded');
  assert.equal(item.id, 1);
  assert.equal(item.time_node_id, id);
  assert.equal(item.title, '清理楼道杂物');
  const items = (await srv.get('/api/v1/tasks')).body.items;
  assert.ok(items.findIndex((t) => t.kind === 'workorder') < items.findIndex((t) => t.kind === 'test_task'),
    'work orders first');
  // Escalated with the red card (policy: at once): the community answers for it now.
  for (let i = 0; i < 50 && item.node_id !== T.com; i++) {
    await sleep(100);
    item = (await srv.get('/api/v1/tasks')).body.items.find((t) => t.kind === 'test_task');
  }
  assert.equal(item.node_id, T.com);
  const events = sqlite(srv.db, `SELECT action FROM time_node_events WHERE time_node_id = ${id} ORDER BY id;`);
  assert.deepEqual(events.trim().split('\n'), ['red_card', 'escalate']);
});
