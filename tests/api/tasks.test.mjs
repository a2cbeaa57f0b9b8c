// tasks.test.mjs - GET /api/v1/tasks, the one inbox ("my tasks") over every kind of time node:
// work orders come first and are the orders of GET /work-orders/mine (all lists but "reported",
// each order once), with the same counts.  A second kind is carded, escalated and listed by the
// same sweeper and inbox in tests/unit/test_timenode.c.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
const T = {};

before(async () => {
  srv = await startServer();
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
