// workorder.test.mjs - /api/v1/work-orders and /api/v1/wo-categories: intake, the path from report
// to callback with its event timeline, refusals (409 with the reason), scope, confidential callers,
// idempotent retries, hotline numbers and who sees what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf, canRunSql, NO_SQL, sqlite } from './harness.mjs';

// Plain-SQL checks run on both backends (sqlite3, or psql under make test-pg); without the tool the
// test reports itself skipped rather than passing without them.
const sqlChecks = (t) => canRunSql() || (t.skip(`its SQL checks: ${NO_SQL}`), false);

let srv;
const T = {};	// the tree: ids by name
const U = {};	// logged-in clients by role name
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

const act = (client, id, body) => client.post(`/api/v1/work-orders/${id}/actions`, body);

// A grid member's report about household h1 (a property-management complaint).
function report(extra = {}) {
  return {
    source: 'grid', type: 'complaint', category: '城乡建设>物业管理', node_id: T.h1,
    text: '3号楼楼道灯坏了一个星期', caller_name: '张女士', caller_phone: '13812345678', ...extra,
  };
}

/*
 *   sub 明水街道
 *     com 龙泉社区:  y1 君临天下 > b1 1号楼 > h1 101;  y2 泉景
 *     com2 燕山社区: y3 燕山小区
 */
before(async () => {
  srv = await startServer();
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下', T.com, { kind: 'residential' });
  T.y2 = await node('courtyard', '泉景', T.com, { kind: 'residential' });
  T.b1 = await node('building', '1号楼', T.y1);
  T.h1 = await node('household', '101', T.b1);
  T.com2 = await node('community', '燕山社区', T.sub);
  T.y3 = await node('courtyard', '燕山小区', T.com2, { kind: 'residential' });
  U.desk = await user('desk', 'community_staff', T.com);
  U.street = await user('street', 'subdistrict_staff', T.sub);
  U.sec1 = await user('sec1', 'courtyard_secretary', T.y1);
  U.sec3 = await user('sec3', 'courtyard_secretary', T.y3);
  U.grid = await user('grid', 'grid_member', T.com);
  U.mobile = await user('rider', 'mobile_grid_member', T.com);
});

after(async () => {
  if (srv) await srv.stop();
});

test('the category tree holds the seeded categories, children under their parents', async () => {
  const { items } = await ok(U.grid.get('/api/v1/wo-categories'));
  assert.equal(items.length, 7);
  const build = items.find((c) => c.name === '城乡建设');
  assert.ok(build, JSON.stringify(items));
  assert.deepEqual(build.children.map((c) => c.name), ['物业管理', '房屋维修', '供暖']);
  assert.equal(build.children.find((c) => c.name === '供暖').route_level, 'community');
});

test('a grid report goes received → accepted → dispatched → signed → replied → reviewed → callback → closed', async () => {
  const created = await ok(U.grid.post('/api/v1/work-orders', report()), 201);
  assert.match(created.number, /^YL\d{8}\d{5}$/);
  assert.equal(created.state, 'received');
  assert.equal(created.category_path, '城乡建设 > 物业管理');
  assert.equal(created.node_path, '龙泉社区 / 君临天下 / 1号楼 / 101');
  assert.equal(created.caller.phone, '138****5678', 'the phone is masked');
  assert.equal(created.deadline, null, 'no deadline before acceptance');
  assert.deepEqual(created.allowed_actions, [], 'a grid member takes no action');
  const id = created.id;

  // The desk sees where routing would send it.
  const seen = await ok(U.desk.get(`/api/v1/work-orders/${id}`));
  assert.deepEqual(seen.allowed_actions, ['accept', 'refuse']);
  assert.equal(seen.route.node_id, T.y1);
  assert.equal(seen.route.level, 'courtyard');

  let o = await ok(act(U.desk, id, { action: 'accept' }));
  assert.equal(o.state, 'accepted');
  assert.match(o.deadline, /T23:59:59\+08:00$/, 'a deadline is the end of a working day');
  o = await ok(act(U.desk, id, { action: 'dispatch', node_id: T.y1, opinion: '请院落核实处理' }));
  assert.equal(o.state, 'dispatched');
  assert.equal(o.handler_node_id, T.y1);
  assert.equal(o.handler_level, 'courtyard');
  assert.ok(o.sign_deadline && o.return_deadline);

  const mine = await ok(U.sec1.get(`/api/v1/work-orders/${id}`));
  assert.deepEqual(mine.allowed_actions, ['sign', 'request_return', 'escalate']);
  o = await ok(act(U.sec1, id, { action: 'sign' }));
  assert.equal(o.state, 'in_progress');
  o = await ok(act(U.sec1, id, { action: 'reply', opinion: '已更换楼道灯', photo_ids: [] }));
  assert.equal(o.state, 'replied');
  assert.equal(o.settled_level, 'courtyard', 'settled in the courtyard');
  o = await ok(act(U.desk, id, { action: 'approve_review' }));
  assert.equal(o.state, 'reviewed');
  o = await ok(act(U.desk, id, { action: 'callback', satisfaction: 'satisfied', resolved: true, opinion: '居民表示满意' }));
  assert.equal(o.state, 'closed');
  assert.equal(o.satisfaction, 'satisfied');
  assert.equal(o.resolved, true);
  assert.ok(o.closed_at);
  assert.deepEqual(o.allowed_actions, ['reopen']);

  const timeline = o.events.map((e) => [e.action, e.from_state, e.to_state, e.actor_login]);
  assert.deepEqual(timeline, [
    ['create', null, 'received', 'grid'],
    ['accept', 'received', 'accepted', 'desk'],
    ['dispatch', 'accepted', 'dispatched', 'desk'],
    ['sign', 'dispatched', 'in_progress', 'sec1'],
    ['reply', 'in_progress', 'replied', 'sec1'],
    ['approve_review', 'replied', 'reviewed', 'desk'],
    ['callback', 'reviewed', 'closed', 'desk'],
  ]);
  assert.equal(o.events[2].node_id, T.y1);
  assert.equal(o.events[2].opinion, '请院落核实处理');
  assert.equal(o.events[4].opinion, '已更换楼道灯');
  assert.equal(o.events[6].detail, 'satisfied, resolved');
  for (const e of o.events) assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
});

test('an action not allowed now answers 409 saying why; a missing permission 403; bad fields 400', async () => {
  const { id } = await ok(U.grid.post('/api/v1/work-orders', report()), 201);
  let e = await fails(act(U.sec1, id, { action: 'sign' }), 409, 'action');
  assert.equal(e.message, 'cannot sign this order: it is received, and sign is allowed only when it is dispatched');
  await ok(act(U.desk, id, { action: 'accept' }));
  e = await fails(act(U.desk, id, { action: 'accept' }), 409);
  assert.match(e.message, /it is accepted, and accept is allowed only when it is received/);
  e = await fails(act(U.desk, id, { action: 'callback', satisfaction: 'satisfied' }), 409);
  assert.match(e.message, /callback is allowed only when it is answered or reviewed/);

  // The courtyard secretary holds no dispatch right; the grid member no action at all.
  e = await fails(act(U.sec1, id, { action: 'dispatch', node_id: T.y1 }), 403, 'action');
  assert.match(e.message, /workorder\.dispatch/);
  await fails(act(U.grid, id, { action: 'accept' }), 403);

  await fails(act(U.desk, id, { action: 'fly' }), 400, 'action');
  await fails(act(U.desk, id, { action: 'dispatch' }), 400, 'node_id');
  await fails(act(U.desk, id, { action: 'answer' }), 400, 'opinion');
  await fails(act(U.desk, id, { action: 'dispatch', node_id: T.y1, days: 3 }), 400, 'days');
  await fails(act(U.desk, id, { action: 'dispatch', node_id: T.b1 }), 400, 'node_id');	// a building handles nothing
  await fails(act(U.desk, id, { action: 'dispatch', node_id: T.y3 }), 400, 'node_id');	// outside the desk's scope

  // Nothing of the refused attempts is in the history.
  const o = await ok(U.desk.get(`/api/v1/work-orders/${id}`));
  assert.deepEqual(o.events.map((x) => x.action), ['create', 'accept']);
});

test('an order outside the scope answers 404, to reads and to actions', async () => {
  const { id } = await ok(U.grid.post('/api/v1/work-orders', report()), 201);
  await fails(U.sec3.get(`/api/v1/work-orders/${id}`), 404);
  await fails(act(U.sec3, id, { action: 'sign' }), 404);
  const list = await ok(U.sec3.get('/api/v1/work-orders'));
  assert.ok(!list.items.some((x) => x.id === id));
  await fails(U.sec3.get(`/api/v1/work-orders?under=${T.com}`), 404);
  // The other courtyard of the same community does not see it either.
  const sec2 = await user('sec2', 'courtyard_secretary', T.y2);
  await fails(sec2.get(`/api/v1/work-orders/${id}`), 404);
  // The subdistrict above sees it.
  await ok(U.street.get(`/api/v1/work-orders/${id}`));
  await fails(U.grid.post('/api/v1/work-orders', report({ node_id: T.y3 })), 400, 'node_id');
});

test('a confidential caller is hidden from the handling courtyard, shown masked to the desk', async (t) => {
  const o = await ok(U.desk.post('/api/v1/work-orders', {
    source: 'phone', type: 'report', category_id: 18, node_id: T.h1, text: '有人在小区内聚众赌博',
    caller_name: '李先生', caller_phone: '139 0000 5678', confidential: true,
  }), 201);
  // Staff orders are accepted at intake and dispatched at once; a report (举报) goes to the community.
  assert.equal(o.state, 'dispatched');
  assert.equal(o.handler_node_id, T.com);
  assert.equal(o.caller.phone, '139****5678');
  assert.equal(o.caller.name, '李先生');
  assert.equal(o.confidential, true);
  assert.deepEqual(o.events.map((e) => [e.action, e.to_state]), [['create', 'accepted'], ['dispatch', 'dispatched']]);

  const c = await ok(U.desk.post('/api/v1/work-orders', {
    source: 'walk_in', type: 'complaint', category_id: 6, node_id: T.h1, text: '物业不作为',
    caller_name: '王女士', caller_phone: '13700001111', confidential: true,
  }), 201);
  assert.equal(c.handler_node_id, T.y1, 'by default to the courtyard that holds the place');
  const seen = await ok(U.sec1.get(`/api/v1/work-orders/${c.id}`));
  assert.equal(seen.caller, null);
  assert.equal(seen.caller_hidden, true);
  const listed = await ok(U.sec1.get('/api/v1/work-orders?state=dispatched'));
  const item = listed.items.find((x) => x.id === c.id);
  assert.ok(item, 'the courtyard lists its order');
  assert.equal(item.caller, null);
  assert.ok(!JSON.stringify(listed).includes('13700001111'));
  // The courtyard cannot reveal it; the desk can, and the reveal is audited.
  await fails(U.sec1.post(`/api/v1/work-orders/${c.id}/reveal`, {}), 403);
  const shown = await ok(U.desk.post(`/api/v1/work-orders/${c.id}/reveal`, {}));
  assert.equal(shown.caller_phone, '13700001111');
  if (sqlChecks(t)) {
    const rows = sqlite(srv.db, "SELECT login, result, detail FROM audit_log WHERE action = 'POST /api/v1/work-orders/{id}/reveal'"
      + ` AND object_id = '${c.id}' ORDER BY id;`);
    assert.equal(rows.trim(), 'sec1|denied|workorder.reveal\ndesk|success|revealed caller');
  }
});

test('a retried submission with the same Idempotency-Key answers 200 with the same order', async () => {
  const key = 'retry-' + Date.now();
  const first = await ok(U.grid.post('/api/v1/work-orders', report(), { 'Idempotency-Key': key }), 201);
  const again = await ok(U.grid.post('/api/v1/work-orders', report(), { 'Idempotency-Key': key }), 200);
  assert.equal(again.id, first.id);
  assert.equal(again.number, first.number);
  const byField = await ok(U.grid.post('/api/v1/work-orders', report({ idempotency_key: key })), 200);
  assert.equal(byField.id, first.id);
  // Someone else's key is not a way into their order.
  await fails(U.desk.post('/api/v1/work-orders', report(), { 'Idempotency-Key': key }), 409, 'idempotency_key');
  const mine = await ok(U.grid.get('/api/v1/work-orders?created_by=me&limit=500'));
  assert.equal(mine.items.filter((x) => x.number === first.number).length, 1);
});

test('hotline orders: the hotline number is unique, its time limit and time are kept', async () => {
  const body = {
    source: 'hotline', external_no: 'JN12345-20261103-004512', type: 'help', category: '公用设施 > 供电照明',
    node_id: T.h1, text: '路灯不亮', received_at: '2026-11-03 09:12:45', hotline_days: 3,
  };
  const o = await ok(U.street.post('/api/v1/work-orders', body), 201);
  assert.equal(o.received_at, '2026-11-03T09:12:45+08:00');
  assert.equal(o.external_no, 'JN12345-20261103-004512');
  assert.equal(o.state, 'dispatched');
  // Received on Tuesday 2026-11-03: three working days later is Friday 11-06.
  assert.equal(o.deadline, '2026-11-06T23:59:59+08:00');
  assert.match(o.number, /^YL20261103\d{5}$/);
  const e = await fails(U.street.post('/api/v1/work-orders', body), 409, 'external_no');
  assert.match(e.message, new RegExp(o.number));
  await fails(U.street.post('/api/v1/work-orders', { ...body, external_no: undefined }), 400, 'external_no');
  // A grid member cannot claim a hotline (or phone) order: those skip acceptance.
  await fails(U.grid.post('/api/v1/work-orders', { ...body, external_no: 'X-1' }), 403, 'source');
});

test('mobile grid members see only the orders they filed', async () => {
  const own = await ok(U.mobile.post('/api/v1/work-orders', report({ source: 'mobile_grid', caller_name: null, caller_phone: null })), 201);
  const other = await ok(U.grid.post('/api/v1/work-orders', report()), 201);
  const list = await ok(U.mobile.get('/api/v1/work-orders'));
  assert.deepEqual(list.items.map((x) => x.id), [own.id]);
  await ok(U.mobile.get(`/api/v1/work-orders/${own.id}`));
  await fails(U.mobile.get(`/api/v1/work-orders/${other.id}`), 404);
  await fails(act(U.mobile, own.id, { action: 'accept' }), 403);
});

test('lists filter and page by id', async () => {
  for (let i = 0; i < 3; i++) await ok(U.grid.post('/api/v1/work-orders', report({ type: 'suggestion', text: `建议 ${i}` })), 201);
  const page1 = await ok(U.desk.get('/api/v1/work-orders?type=suggestion&limit=2'));
  assert.equal(page1.items.length, 2);
  assert.ok(page1.next_before_id);
  assert.ok(page1.items[0].id > page1.items[1].id, 'newest first');
  const page2 = await ok(U.desk.get(`/api/v1/work-orders?type=suggestion&limit=2&before_id=${page1.next_before_id}`));
  assert.equal(page2.items.length, 1);
  assert.equal(page2.next_before_id, null);
  await fails(U.desk.get('/api/v1/work-orders?state=lost'), 400, 'state');
  const received = await ok(U.desk.get(`/api/v1/work-orders?state=received&under=${T.y1}&source=grid&category_id=5`));
  assert.ok(received.items.length > 0);
  assert.ok(received.items.every((x) => x.state === 'received' && x.source === 'grid'));
});

test('an intake with bad fields answers 400 naming the field', async () => {
  await fails(U.grid.post('/api/v1/work-orders', report({ type: 'praise' })), 400, 'type');
  await fails(U.grid.post('/api/v1/work-orders', report({ category: '不存在>的分类' })), 400, 'category');
  await fails(U.grid.post('/api/v1/work-orders', report({ caller_phone: '12345' })), 400, 'caller_phone');
  await fails(U.grid.post('/api/v1/work-orders', report({ text: '   ' })), 400, 'text');
  await fails(U.grid.post('/api/v1/work-orders', report({ category_id: 6 })), 400, 'category');
  await fails(U.grid.post('/api/v1/work-orders', report({ node_id: 999999 })), 400, 'node_id');
  await fails(U.grid.post('/api/v1/work-orders', report({ received_at: '2026-11-03 09:12:45' })), 400, 'received_at');
});
