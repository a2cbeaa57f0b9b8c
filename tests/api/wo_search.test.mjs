// wo_search.test.mjs - finding work orders over HTTP: GET /api/v1/work-orders with its filters,
// Chinese search, both sorts paged by the opaque `next` token, bad parameters answered 400 naming
// the parameter, who sees what (a courtyard secretary her courtyard, a mobile grid member what he
// filed), and GET /api/v1/work-orders/mine, the lists of each role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf, canRunSql, NO_SQL, sqlite } from './harness.mjs';

// Plain-SQL checks run on both backends (sqlite3, or psql under make test-pg); without the tool the
// test reports itself skipped rather than passing without them.
const sqlChecks = (t) => canRunSql() || (t.skip(`its SQL checks: ${NO_SQL}`), false);

let srv;
const T = {};	// the tree: ids by name
const U = {};	// logged-in clients by role name
const O = {};	// orders by name
const PW = 'Yuanluo-Test-2026!';
const INIT_PW = 'Initial-Pass-2026!';

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

async function fails(p, status, field) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  const e = errorOf(r);
  if (field !== undefined) assert.equal(e.field, field, `field: ${r.text}`);
  return e;
}

async function node(level, name, parent_id, extra = {}) {
  return (await ok(srv.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
}

async function user(login, role, scope) {
  await ok(srv.post('/api/v1/users', { login, role, password: INIT_PW, scope_node_id: scope }), 201);
  return srv.loginAs(login, INIT_PW, PW);
}

const act = (client, id, body) => ok(client.post(`/api/v1/work-orders/${id}/actions`, body));
const list = (client, query = '') => ok(client.get(`/api/v1/work-orders?${query}`));
const ids = (page) => page.items.map((x) => x.id);
const same = (a, b, msg) => assert.deepEqual([...a].sort((x, y) => x - y), [...b].sort((x, y) => x - y), msg);

// Every page of a list, following `next`; checks that no order comes twice.
async function all(client, query, limit) {
  const seen = [];
  let after = null;
  for (let pages = 0; pages < 200; pages++) {
    const page = await list(client, `${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    for (const o of page.items) {
      assert.ok(!seen.includes(o.id), `order ${o.id} twice in ${query}`);
      seen.push(o.id);
    }
    if (page.next === null) return seen;
    assert.equal(page.items.length, limit, 'only the last page is short');
    assert.match(page.next, /^[A-Za-z0-9_-]+$/, 'the token is base64url');
    after = page.next;
  }
  throw new Error('the pages never end');
}

function report(client, extra = {}) {
  return ok(client.post('/api/v1/work-orders', {
    source: 'grid', type: 'complaint', category: '城乡建设>物业管理', node_id: T.h1,
    text: '3号楼楼道灯坏了一个星期', caller_name: '张女士', caller_phone: '13812345678', ...extra,
  }), 201);
}

/*
 *   sub 明水街道
 *     com 龙泉社区:  y1 君临天下 > b1 1号楼 > h1 101;  y2 泉景 > h2 (directly a building's household)
 *     com2 燕山社区: y3 燕山小区 > b3 > h3
 *
 *   a  y1  dispatched to y1, 楼道灯, address 君临天下小区3号楼         (grid)
 *   b  y1  in progress at y1, 漏水, urgent help                       (grid)
 *   c  y2  received, 噪音                                             (grid)
 *   d  y1  in progress at y2 (sent to the other courtyard), 楼道灯不亮 (grid)
 *   e  y3  received, 路灯                                             (street)
 *   f  y1  filed by the rider, received, 垃圾桶
 *   g  y1  hotline, received 2026-10-08, 3 days: overdue, dispatched to y1 at intake
 *   h  y1  replied at y1, 屋顶漏水, a suggestion                       (grid)
 */
before(async () => {
  srv = await startServer();
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下', T.com, { kind: 'residential' });
  T.b1 = await node('building', '1号楼', T.y1);
  T.h1 = await node('household', '101', T.b1);
  T.y2 = await node('courtyard', '泉景', T.com, { kind: 'residential' });
  T.b2 = await node('building', '2号楼', T.y2);
  T.h2 = await node('household', '202', T.b2);
  T.com2 = await node('community', '燕山社区', T.sub);
  T.y3 = await node('courtyard', '燕山小区', T.com2, { kind: 'residential' });
  T.b3 = await node('building', '3号楼', T.y3);
  T.h3 = await node('household', '301', T.b3);
  U.desk = await user('desk', 'community_staff', T.com);
  U.street = await user('street', 'subdistrict_staff', T.sub);
  U.sec1 = await user('sec1', 'courtyard_secretary', T.y1);
  U.sec2 = await user('sec2', 'courtyard_secretary', T.y2);
  U.sec3 = await user('sec3', 'courtyard_secretary', T.y3);
  U.grid = await user('grid', 'grid_member', T.com);
  U.rider = await user('rider', 'mobile_grid_member', T.com);

  O.a = await report(U.grid, { address: '龙泉社区君临天下小区3号楼2单元' });
  await act(U.desk, O.a.id, { action: 'accept' });
  await act(U.desk, O.a.id, { action: 'dispatch', node_id: T.y1 });
  O.b = await report(U.grid, { type: 'help', category: '公用设施>供水排水', urgency: 'urgent', text: '厨房水管漏水严重' });
  await act(U.desk, O.b.id, { action: 'accept' });
  // 供水排水 is routed to the community; the desk sends it to the courtyard all the same.
  await act(U.desk, O.b.id, { action: 'dispatch', node_id: T.y1 });
  await act(U.sec1, O.b.id, { action: 'sign' });
  O.c = await report(U.grid, { node_id: T.h2, category: '邻里纠纷>噪音扰民', text: '楼上装修噪音扰民' });
  O.d = await report(U.grid, { text: '楼道灯不亮' });
  await act(U.desk, O.d.id, { action: 'accept' });
  await act(U.desk, O.d.id, { action: 'dispatch', node_id: T.y2 });
  await act(U.sec2, O.d.id, { action: 'sign' });
  O.e = await report(U.street, { node_id: T.h3, category: '公用设施>供电照明', text: '路灯不亮', address: '燕山小区' });
  O.f = await report(U.rider, { source: 'mobile_grid', category: '市容环境>环境卫生', text: '垃圾桶满了没人清理',
    caller_name: null, caller_phone: null });
  O.g = await ok(U.desk.post('/api/v1/work-orders', {
    source: 'hotline', external_no: 'JN12345-20261008-000321', type: 'complaint', category: '城乡建设>物业管理',
    node_id: T.h1, text: '物业不作为', received_at: '2026-10-08 09:00:00', hotline_days: 3,
  }), 201);
  O.h = await report(U.grid, { type: 'suggestion', category: '城乡建设>房屋维修', text: '屋顶漏水' });
  await act(U.desk, O.h.id, { action: 'accept' });
  await act(U.desk, O.h.id, { action: 'dispatch', node_id: T.y1 });
  await act(U.sec1, O.h.id, { action: 'sign' });
  await act(U.sec1, O.h.id, { action: 'reply', opinion: '已修好' });
});

after(async () => {
  if (srv) await srv.stop();
});

test('each filter alone', async (t) => {
  const { a, b, c, d, e, f, g, h } = Object.fromEntries(Object.entries(O).map(([k, v]) => [k, v.id]));
  same(ids(await list(U.desk, 'limit=500')), [a, b, c, d, f, g, h], 'the community sees its orders');
  same(ids(await list(U.street, 'limit=500')), [a, b, c, d, e, f, g, h]);
  same(ids(await list(U.desk, 'state=received')), [c, f]);
  same(ids(await list(U.desk, 'state=dispatched,in_progress')), [a, b, d, g]);
  // under: the place, whatever the handler.
  same(ids(await list(U.desk, `under=${T.y1}`)), [a, b, d, f, g, h]);
  same(ids(await list(U.desk, `under=${T.y2}`)), [c]);
  same(ids(await list(U.desk, `under=${T.b2}`)), [c]);
  same(ids(await list(U.street, `under=${T.com2}`)), [e]);
  // A top-level category holds its children.
  same(ids(await list(U.desk, 'category_id=5')), [a, d, g, h]);
  same(ids(await list(U.desk, 'source=mobile_grid')), [f]);
  same(ids(await list(U.desk, 'source=hotline')), [g]);
  same(ids(await list(U.desk, 'type=suggestion')), [h]);
  same(ids(await list(U.desk, 'urgency=urgent')), [b]);
  same(ids(await list(U.desk, `handler_node_id=${T.y2}`)), [d]);
  same(ids(await list(U.desk, `handler_node_id=${T.y1}`)), [a, b, g, h]);
  same(ids(await list(U.rider, 'created_by=me')), [f]);
  // Local dates on received_at: the hotline order was received on 2026-10-08.
  same(ids(await list(U.desk, 'from=2026-10-01&to=2026-10-31')), [g]);
  same(ids(await list(U.desk, 'to=2026-10-08')), [g]);
  same(ids(await list(U.desk, 'from=2026-10-09')), [a, b, c, d, f, h]);
  // Overdue: open and past its deadline now.
  same(ids(await list(U.desk, 'overdue=true')), [g]);
  same(ids(await list(U.desk, 'overdue=true&state=received')), []);
  if (sqlChecks(t)) {
    sqlite(srv.db, `UPDATE work_orders SET card = 'yellow' WHERE id = ${b};` +
      ` UPDATE work_orders SET card = 'red' WHERE id IN (${d}, ${g});`);
    same(ids(await list(U.desk, 'card=yellow')), [b]);
    same(ids(await list(U.desk, 'card=red')), [d, g]);
    same(ids(await list(U.desk, 'card=any')), [b, d, g]);
  }
});

test('filters combine', async () => {
  const { a, b, d, g, h } = Object.fromEntries(Object.entries(O).map(([k, v]) => [k, v.id]));
  same(ids(await list(U.desk, `under=${T.y1}&state=dispatched,in_progress,replied&category_id=5`)), [a, d, g, h]);
  same(ids(await list(U.desk, `under=${T.y1}&state=dispatched,in_progress,replied&category_id=5&handler_node_id=${T.y1}&q=漏水`)), [h]);
  same(ids(await list(U.desk, 'q=楼道灯&source=grid&type=complaint')), [a, d]);
  same(ids(await list(U.desk, 'q=楼道灯&under=' + T.y1 + '&state=in_progress')), [d]);
  same(ids(await list(U.desk, 'overdue=true&source=hotline&sort=deadline')), [g]);
  same(ids(await list(U.desk, 'urgency=urgent&q=水管')), [b]);
});

test('Chinese search: 2, 3 and many characters, numbers; never the caller', async () => {
  const { a, b, d, e, g, h } = Object.fromEntries(Object.entries(O).map(([k, v]) => [k, v.id]));
  same(ids(await list(U.street, 'q=' + encodeURIComponent('漏水'))), [b, h]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('楼道灯'))), [a, d]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('君临天下小区3号楼'))), [a]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('楼道灯 不亮'))), [d]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('灯'))), [a, d, e]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('燕山小区'))), [e]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent(O.h.number.toLowerCase()))), [h]);
  same(ids(await list(U.street, 'q=JN12345-20261008')), [g]);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('张女士'))), [], 'the caller is not searched');
  same(ids(await list(U.street, 'q=13812345678')), []);
  same(ids(await list(U.street, 'q=' + encodeURIComponent('%'))), []);
  // The courtyard secretary's search: her courtyard, and what was sent to her.
  same(ids(await list(U.sec1, 'q=' + encodeURIComponent('楼道灯'))), [a, d]);
  same(ids(await list(U.sec2, 'q=' + encodeURIComponent('楼道灯'))), [d]);
  same(ids(await list(U.sec3, 'q=' + encodeURIComponent('楼道灯'))), []);
});

test('both sorts page by the next token: no order twice, none missed', async () => {
  for (let i = 0; i < 9; i++) {
    const o = await report(U.grid, { type: 'consultation', text: `咨询第${i}号：楼道灯` });
    if (i % 3 === 0) await act(U.desk, o.id, { action: 'accept' });
  }
  for (const sort of ['time', 'deadline']) {
    for (const query of [`sort=${sort}`, `sort=${sort}&type=consultation`, `sort=${sort}&q=${encodeURIComponent('楼道灯')}`,
      `sort=${sort}&state=received,accepted`]) {
      const whole = ids(await list(U.desk, `${query}&limit=500`));
      for (const limit of [1, 2, 4]) assert.deepEqual(await all(U.desk, query, limit), whole, `${query} by ${limit}`);
    }
  }
  // The time sort: newest first; the hotline order, received in October, after all the others.
  const byTime = (await list(U.desk, 'limit=500')).items;
  for (let i = 1; i < byTime.length; i++) {
    assert.ok(byTime[i - 1].received_at >= byTime[i].received_at, 'newest first');
  }
  assert.equal(byTime.at(-1).id, O.g.id);
  // The deadline sort: soonest first, the orders without one last, by id.
  const byDeadline = (await list(U.desk, 'sort=deadline&limit=500')).items;
  const firstNone = byDeadline.findIndex((x) => x.deadline === null);
  assert.ok(firstNone > 0);
  assert.ok(byDeadline.slice(firstNone).every((x) => x.deadline === null));
  for (let i = 1; i < firstNone; i++) assert.ok(byDeadline[i - 1].deadline <= byDeadline[i].deadline);
  assert.equal(byDeadline[0].id, O.g.id, 'the overdue order first');
  // The older before_id paging still works for the time sort.
  const p1 = await list(U.desk, 'limit=2');
  const p2 = await list(U.desk, `limit=2&before_id=${p1.next_before_id}`);
  assert.deepEqual([...ids(p1), ...ids(p2)], ids(await list(U.desk, 'limit=4')));
  // A page that was the last answers next: null.
  const lastPage = await list(U.desk, 'limit=500');
  assert.equal(lastPage.next, null);
  assert.equal(lastPage.next_before_id, null);
});

test('bad parameters answer 400 naming the parameter', async () => {
  const time = (await list(U.desk, 'limit=1')).next;
  const deadline = (await list(U.desk, 'limit=1&sort=deadline')).next;
  const bad = [
    ['state=lost', 'state'], ['state=received,,closed', 'state'], ['source=fax', 'source'], ['type=praise', 'type'],
    ['urgency=asap', 'urgency'], ['card=green', 'card'], ['sort=name', 'sort'], ['from=2026-13-01', 'from'],
    ['to=yesterday', 'to'], ['from=2026-10-09&to=2026-10-08', 'to'], ['limit=0', 'limit'], ['limit=501', 'limit'],
    ['under=abc', 'under'], ['category_id=0', 'category_id'], ['handler_node_id=-1', 'handler_node_id'],
    ['created_by=someone', 'created_by'], ['overdue=maybe', 'overdue'], ['after=not-a-token', 'after'],
    [`after=${time}&sort=deadline`, 'after'], [`after=${deadline}`, 'after'], ['before_id=1&sort=deadline', 'before_id'],
    ['q=' + encodeURIComponent('一 二 三 四 五 六 七 八 九'), 'q'], ['q=' + encodeURIComponent('长'.repeat(51)), 'q'],
    ['q=' + encodeURIComponent('   '), 'q'],
  ];
  for (const [query, field] of bad) await fails(U.desk.get(`/api/v1/work-orders?${query}`), 400, field);
  await fails(U.desk.get('/api/v1/work-orders/mine?limit=201'), 400, 'limit');
});

test('scope: a courtyard secretary sees her courtyard; a mobile grid member what he filed', async () => {
  const { a, b, c, d, e, f, g, h } = Object.fromEntries(Object.entries(O).map(([k, v]) => [k, v.id]));
  const sec1 = ids(await list(U.sec1, 'limit=500'));
  for (const id of [a, b, d, f, g, h]) assert.ok(sec1.includes(id), `sec1 sees ${id}`);
  for (const id of [c, e]) assert.ok(!sec1.includes(id), `sec1 does not see ${id}`);
  // y2 sees its own order and the one sent to it, placed in y1.
  assert.deepEqual(new Set(ids(await list(U.sec2, 'limit=500'))), new Set([c, d]));
  same(ids(await list(U.sec3, 'limit=500')), [e]);
  // A node outside the scope is as if it did not exist.
  await fails(U.sec1.get(`/api/v1/work-orders?under=${T.y2}`), 404);
  await fails(U.sec3.get(`/api/v1/work-orders?under=${T.com}`), 404);
  // The mobile grid member: what he filed, and nothing else, whatever he asks.
  same(ids(await list(U.rider, 'limit=500')), [f]);
  same(ids(await list(U.rider, 'q=' + encodeURIComponent('垃圾桶'))), [f]);
  same(ids(await list(U.rider, 'q=' + encodeURIComponent('楼道灯'))), []);
  same(ids(await list(U.rider, `under=${T.y1}`)), [f]);
  const mine = await ok(U.rider.get('/api/v1/work-orders/mine'));
  assert.deepEqual(Object.keys(mine), ['reported']);
  assert.deepEqual(ids(mine.reported), [f]);
  assert.equal(mine.reported.count, 1);
});

test('my tasks: the lists of each role, with counts', async (t) => {
  const { a, b, c, d, f, g, h } = Object.fromEntries(Object.entries(O).map(([k, v]) => [k, v.id]));
  const sec1 = await ok(U.sec1.get('/api/v1/work-orders/mine'));
  assert.deepEqual(Object.keys(sec1), ['to_sign', 'in_progress', 'carded', 'reported']);
  // g's sign deadline (dispatched at its intake, today) and a's both wait; b is being handled.
  same(ids(sec1.to_sign), [a, g]);
  assert.equal(sec1.to_sign.count, 2);
  assert.deepEqual(ids(sec1.in_progress), [b]);
  assert.equal(sec1.reported.count, 0);
  const sec2 = await ok(U.sec2.get('/api/v1/work-orders/mine'));
  assert.deepEqual(ids(sec2.in_progress), [d], 'y2 handles d, placed in y1');

  const desk = await ok(U.desk.get('/api/v1/work-orders/mine'));
  assert.deepEqual(Object.keys(desk),
    ['to_sign', 'in_progress', 'carded', 'to_accept', 'to_dispatch', 'to_decide', 'to_review', 'to_call_back', 'reported']);
  assert.ok(ids(desk.to_accept).includes(c) && ids(desk.to_accept).includes(f));
  assert.ok(ids(desk.to_review).includes(h));
  same(ids(desk.in_progress), [b, d]);
  assert.ok(ids(desk.to_sign).includes(a) && ids(desk.to_sign).includes(g));
  if (sqlChecks(t)) {
    // Cards come from the sweeper; set here (the first test set them too, if it ran).
    sqlite(srv.db, `UPDATE work_orders SET card = 'yellow' WHERE id = ${b}; UPDATE work_orders SET card = 'red' WHERE id IN (${d}, ${g});`);
    const again = await ok(U.desk.get('/api/v1/work-orders/mine'));
    same(ids(again.carded), [b, d, g]);
    assert.equal(again.carded.items[0].id, g, 'the most overdue first');
    same(ids((await ok(U.sec1.get('/api/v1/work-orders/mine'))).carded), [b, g]);
  }
  // A cap shows the first, counts all.
  const capped = await ok(U.desk.get('/api/v1/work-orders/mine?limit=1'));
  assert.equal(capped.to_accept.items.length, 1);
  assert.ok(capped.to_accept.count >= 2);

  const grid = await ok(U.grid.get('/api/v1/work-orders/mine'));
  assert.deepEqual(Object.keys(grid), ['reported']);
  assert.ok(ids(grid.reported).includes(a));
  assert.ok(!ids(grid.reported).includes(f));
  // Items are orders as the lists show them: the phone masked.
  assert.equal(grid.reported.items.find((x) => x.id === a).caller.phone, '138****5678');
});
