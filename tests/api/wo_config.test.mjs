// wo_config.test.mjs - the work-order configuration over the API (categories, routing rules, time
// limits, the sweep policy: each audited, with a dry run and the open orders it concerns), the hotline's
// own categories (an import never fails on one: mapped, listed, re-filed later) and the hotline's dates
// (派单时间 dates the dispatch and the sign window; a historical file is carded by its own dates).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, expectStatus as ok, expectError as fails } from './harness.mjs';

let srv;
let auditor;
const T = {};
const INIT_PW = 'Initial-Pass-2026!';
const PW = 'Yuanluo-Test-2026!';



const node = async (level, name, parent_id, extra = {}) =>
  (await ok(srv.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
const csv = (text, query = '') => srv.req('POST', `/api/v1/import/hotline${query}`, text,
  { 'Content-Type': 'text/csv; charset=utf-8' });
const HEADER = '工单编号,受理时间,派单时间,诉求类型,诉求分类,诉求地址,所属社区,诉求内容';
const lines = (...rows) => `\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`;
const byNo = async (no) => {
  const { items } = await ok(srv.get(`/api/v1/work-orders?source=hotline&limit=500&q=${encodeURIComponent(no)}`));
  const o = items.find((x) => x.external_no === no);
  assert.ok(o, `order ${no}`);
  return ok(srv.get(`/api/v1/work-orders/${o.id}`));
};
// GET /wo-categories answers the tree: roots with their children.
const flat = (items) => items.flatMap((r) => [r, ...(r.children || [])]);
const audited = async (action) => (await ok(auditor.get(`/api/v1/audit?action=${encodeURIComponent(action)}&limit=50`))).items;

before(async () => {
  srv = await startServer();
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下小区', T.com, { kind: 'residential' });
  // The administrator lacks audit.read, so the auditor is made at the console (auth.test.mjs).
  const made = cli(['user', 'add', 'aud', '--role', 'auditor', '--db', srv.db, '--key-file', srv.key]);
  assert.equal(made.status, 0, made.stderr);
  auditor = await srv.loginAs('aud', /password: (\S+)/.exec(made.stdout)[1], PW);
  await ok(srv.post('/api/v1/users', { login: 'staff', role: 'community_staff', password: INIT_PW, scope_node_id: T.com }), 201);
  T.staff = await srv.loginAs('staff', INIT_PW, PW);
});

after(async () => { if (srv) await srv.stop(); });

test('categories: added at two levels, renamed, retired (never deleted); bad input names the field', async () => {
  const top = await ok(srv.post('/api/v1/wo-categories', { code: 'traffic', name: '交通出行', sort: 8 }), 201);
  assert.equal(top.parent_id, null);
  assert.equal(top.retroactive, false);
  const child = await ok(srv.post('/api/v1/wo-categories', { code: 'traffic.parking', name: '停车', parent_id: top.id }), 201);
  assert.equal(child.parent_id, top.id);
  await fails(srv.post('/api/v1/wo-categories', { code: 'traffic', name: '别的' }), 409, 'code');
  await fails(srv.post('/api/v1/wo-categories', { code: 'x.y', name: '停车', parent_id: top.id }), 409, 'name');
  await fails(srv.post('/api/v1/wo-categories', { code: 'deep', name: '太深', parent_id: child.id }), 400, 'parent_id');
  await fails(srv.post('/api/v1/wo-categories', { code: 'bad code', name: '坏' }), 400, 'code');
  await fails(srv.post('/api/v1/wo-categories', { code: 'gt', name: '甲>乙' }), 400, 'name');
  await fails(srv.post('/api/v1/wo-categories', { code: 'lvl', name: '层级', route_level: 'building' }), 400, 'route_level');
  await fails(srv.post('/api/v1/wo-categories', { code: 'extra', name: '多余', colour: 'red' }), 400, 'colour');
  // A dry run answers as the change would and leaves nothing behind.
  const dry = await ok(srv.post('/api/v1/wo-categories?dry_run=true', { code: 'dry', name: '试一下' }), 201);
  assert.equal(dry.dry_run, true);
  const all = flat((await ok(srv.get('/api/v1/wo-categories?include_inactive=true'))).items);
  assert.ok(all.some((c) => c.id === child.id), 'the child is in the tree');
  assert.ok(!all.some((c) => c.code === 'dry'), 'the dry run wrote nothing');
  const renamed = await ok(srv.patch(`/api/v1/wo-categories/${child.id}`, { name: '停车难', route_level: 'community' }));
  assert.equal(renamed.name, '停车难');
  assert.equal(renamed.route_level, 'community');
  const retired = await ok(srv.patch(`/api/v1/wo-categories/${child.id}`, { active: false }));
  assert.equal(retired.active, false);
  assert.ok(!flat((await ok(srv.get('/api/v1/wo-categories'))).items).some((c) => c.id === child.id), 'retired: not offered');
  assert.ok(flat((await ok(srv.get('/api/v1/wo-categories?include_inactive=true'))).items).some((c) => c.id === child.id),
    'retired, never deleted');
  await fails(srv.patch('/api/v1/wo-categories/99999', { name: '无' }), 404);
  // The hotline's fallback cannot be retired while it is the fallback.
  await fails(srv.patch('/api/v1/wo-categories/23', { active: false }), 409, 'active');
  assert.ok((await audited('PATCH /api/v1/wo-categories/{id}')).length >= 2, 'changes are audited');
  // Deployment-wide configuration: a scoped user (even with the right tree) may not touch it.
  assert.equal((await T.staff.post('/api/v1/wo-categories', { code: 'no', name: '不行' })).status, 403);
});

test('time limits, routing rules and the sweep policy: set, previewed on open orders, never retroactive', async () => {
  // One open order of type complaint, to be concerned by the changes.
  const order = await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2,
    node_id: T.y1, text: '楼道堆物' }), 201);
  const before_ = await ok(srv.get(`/api/v1/work-orders/${order.id}`));
  const put = await ok(srv.put('/api/v1/wo-time-limits', { type: 'complaint', urgency: '*', reply_days: 15, sign_days: 1,
    return_days: 2, extension_max_days: 10, reopen_days: 30 }));
  assert.equal(put.open_orders, 1);
  assert.equal(put.retroactive, false);
  const limits = (await ok(srv.get('/api/v1/wo-time-limits'))).items;
  assert.deepEqual(limits.map((l) => `${l.type}/${l.urgency}/${l.reply_days}`), ['*/*/5', 'complaint/*/15']);
  assert.equal((await ok(srv.get(`/api/v1/work-orders/${order.id}`))).deadline, before_.deadline, 'the open order keeps its deadline');
  await fails(srv.put('/api/v1/wo-time-limits', { type: 'complaint', urgency: '*', reply_days: 61, sign_days: 1,
    return_days: 2, extension_max_days: 10, reopen_days: 30 }), 400, 'reply_days');
  await fails(srv.put('/api/v1/wo-time-limits', { type: 'praise', urgency: '*', reply_days: 5, sign_days: 1,
    return_days: 2, extension_max_days: 10, reopen_days: 30 }), 400, 'type');
  await fails(srv.put('/api/v1/wo-time-limits', { type: 'complaint', urgency: '*' }), 400, 'reply_days');
  await fails(srv.del('/api/v1/wo-time-limits?type=*&urgency=*'), 409, 'type');
  await fails(srv.del('/api/v1/wo-time-limits?type=help&urgency=urgent'), 404);
  // A new order follows the new limit: 15 working days.
  const next = await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2,
    node_id: T.y1, text: '又堆物了' }), 201);
  const o2 = await ok(srv.get(`/api/v1/work-orders/${next.id}`));
  assert.ok(Date.parse(o2.deadline) - Date.parse(before_.deadline) > 7 * 86400000, `15 days: ${o2.deadline} vs ${before_.deadline}`);
  const del = await ok(srv.del('/api/v1/wo-time-limits?type=complaint&urgency=*'));
  assert.equal(del.open_orders, 2);

  const rule = await ok(srv.post('/api/v1/wo-routing-rules', { category_id: 2, type: 'complaint', route_level: 'community',
    note: '投诉环境卫生由社区办理' }), 201);
  assert.equal(rule.open_orders, 2);
  assert.ok((await ok(srv.get('/api/v1/wo-routing-rules'))).items.some((r) => r.id === rule.id));
  const routed = await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2,
    node_id: T.y1, text: '垃圾没人清' }), 201);
  assert.equal((await ok(srv.get(`/api/v1/work-orders/${routed.id}`))).handler_node_id, T.com, 'the rule routes new orders');
  assert.equal((await ok(srv.get(`/api/v1/work-orders/${order.id}`))).handler_node_id, T.y1, 'not the open ones');
  await fails(srv.post('/api/v1/wo-routing-rules', { route_level: 'household' }), 400, 'route_level');
  await fails(srv.post('/api/v1/wo-routing-rules', { category_id: 9999, route_level: 'community' }), 400, 'category_id');
  await ok(srv.del(`/api/v1/wo-routing-rules/${rule.id}`));
  await fails(srv.del(`/api/v1/wo-routing-rules/${rule.id}`), 404);

  const dry = await ok(srv.put('/api/v1/wo-sweep-policy?dry_run=true', { level: 'courtyard', escalate: false, after_days: 3 }));
  assert.equal(dry.dry_run, true);
  assert.equal(dry.open_orders, 2, 'two open orders are handled by a courtyard');
  assert.deepEqual((await ok(srv.get('/api/v1/wo-sweep-policy'))).items,
    [{ level: 'courtyard', escalate: true, after_days: 0 }, { level: 'community', escalate: true, after_days: 0 }]);
  await ok(srv.put('/api/v1/wo-sweep-policy', { level: 'community', escalate: false, after_days: 2 }));
  assert.deepEqual((await ok(srv.get('/api/v1/wo-sweep-policy'))).items[1], { level: 'community', escalate: false, after_days: 2 });
  await fails(srv.put('/api/v1/wo-sweep-policy', { level: 'subdistrict', escalate: true, after_days: 0 }), 400, 'level');
  await fails(srv.put('/api/v1/wo-sweep-policy', { level: 'courtyard', escalate: true, after_days: 31 }), 400, 'after_days');
  assert.equal((await audited('PUT /api/v1/wo-sweep-policy')).length, 4, 'every write audited, refused ones too');
});

test('an import never fails on a category: unknown paths are mapped, listed with counts, re-filed later', async () => {
  const file = lines(
    'JN-C-1,2022-11-03 09:12:45,,投诉,城乡建设>物业管理,君临天下小区,龙泉社区,电梯坏了',
    'JN-C-2,2022-11-03 09:20:00,,投诉,公用设施>路灯,君临天下小区,龙泉社区,路灯不亮',
    'JN-C-3,2022-11-03 09:30:00,,投诉,公用设施>路灯,君临天下小区,龙泉社区,路灯又不亮',
    'JN-C-4,2022-11-03 09:40:00,,求助,交通出行>停车,君临天下小区,龙泉社区,没地方停车',
    'JN-C-5,2022-11-03 09:50:00,,求助,城管执法 ＞ 占道经营,君临天下小区,龙泉社区,小摊占道',
  );
  const dry = await ok(csv(file, '?dry_run=true'));
  assert.equal(dry.created, 5);
  const r = await ok(csv(file));
  assert.equal(r.created, 5);
  assert.equal(r.unmapped_orders, 4);
  // 公用设施 is ours by name (a guess: parent); 交通出行 is ours since the first test, but its child 停车
  // was renamed 停车难 and retired: parent too; 城管执法 is nothing: the fallback, 其他事项 (23).
  assert.deepEqual(r.unmapped.map((u) => [u.path, u.orders, u.by]),
    [['公用设施>路灯', 2, 'parent'], ['交通出行>停车', 1, 'parent'], ['城管执法>占道经营', 1, 'fallback']]);
  const byPath = Object.fromEntries(r.unmapped.map((u) => [u.path, u]));
  assert.equal(byPath['公用设施>路灯'].orders, 2);
  assert.equal(byPath['公用设施>路灯'].by, 'parent');
  assert.equal(byPath['公用设施>路灯'].category_id, 12);
  assert.equal(byPath['交通出行>停车'].by, 'parent');
  assert.equal(byPath['城管执法>占道经营'].by, 'fallback');
  assert.equal(byPath['城管执法>占道经营'].category_id, 23);
  const lamp = await byNo('JN-C-2');
  assert.equal(lamp.category_external, '公用设施>路灯', 'the hotline path is kept on the order');
  assert.equal(lamp.category_id, 12);
  assert.equal((await byNo('JN-C-1')).category_external, '城乡建设>物业管理');

  const map = await ok(srv.get('/api/v1/wo-category-map'));
  assert.equal(map.fallback_category_id, 23);
  assert.deepEqual(map.unmapped.map((u) => [u.path, u.orders]),
    [['公用设施>路灯', 2], ['交通出行>停车', 1], ['城管执法>占道经营', 1]]);

  // Mapping the path re-files its orders, each with an event, in one audited step.
  const preview = await ok(srv.put('/api/v1/wo-category-map?dry_run=true', { path: '公用设施 > 路灯', category_id: 14 }));
  assert.equal(preview.refiled, 2);
  assert.equal((await byNo('JN-C-2')).category_id, 12, 'a dry run re-files nothing');
  const put = await ok(srv.put('/api/v1/wo-category-map', { path: '公用设施 > 路灯', category_id: 14 }));
  assert.deepEqual([put.path, put.refiled], ['公用设施>路灯', 2]);
  const refiled = await byNo('JN-C-2');
  assert.equal(refiled.category_id, 14);
  assert.ok(refiled.events.some((e) => e.action === 'refile_category'), 'the history says so');
  // A mapping of a parent path takes the paths below it.
  assert.equal((await ok(srv.put('/api/v1/wo-category-map', { path: '城管执法', category_id: 4 }))).refiled, 1);
  assert.equal((await byNo('JN-C-5')).category_id, 4);
  const after_ = await ok(srv.get('/api/v1/wo-category-map'));
  assert.deepEqual(after_.unmapped.map((u) => u.path), ['交通出行>停车']);
  assert.deepEqual(after_.items.map((m) => [m.path, m.category_id, m.orders]), [['公用设施>路灯', 14, 2], ['城管执法', 4, 0]]);
  assert.equal((await audited('PUT /api/v1/wo-category-map')).length, 3);
  // The next file with the mapped path files it at once, and lists nothing.
  const again = await ok(csv(lines('JN-C-6,2022-11-04 09:00:00,,投诉,公用设施>路灯,君临天下小区,龙泉社区,还是不亮')));
  assert.deepEqual([again.created, again.unmapped_orders, again.unmapped], [1, 0, []]);
  assert.equal((await byNo('JN-C-6')).category_id, 14);

  await fails(srv.put('/api/v1/wo-category-map', { path: '甲>>乙', category_id: 4 }), 400, 'path');
  await fails(srv.put('/api/v1/wo-category-map', { path: '甲', category_id: 999 }), 400, 'category_id');
  await fails(srv.put('/api/v1/wo-category-map/fallback', { category_id: 999 }), 400, 'category_id');
  await ok(srv.put('/api/v1/wo-category-map/fallback', { category_id: 22 }));
  assert.equal((await ok(srv.get('/api/v1/wo-category-map'))).fallback_category_id, 22);
  await ok(srv.put('/api/v1/wo-category-map/fallback', { category_id: 23 }));
});

test('hotline dates: 派单时间 dates the dispatch and the sign window; without it, 受理时间 does', async () => {
  const r = await ok(csv(lines(
    'JN-D-1,2022-11-03 09:00:00,2022-11-03 15:30:00,投诉,城乡建设>物业管理,君临天下小区,龙泉社区,漏水',
    'JN-D-2,2022-11-03 09:00:00,,投诉,城乡建设>物业管理,君临天下小区,龙泉社区,又漏水',
  )));
  assert.equal(r.created, 2);
  const d1 = await byNo('JN-D-1');
  assert.equal(d1.dispatched_at, '2022-11-03T15:30:00+08:00');
  // One working day to sign (2022-11-03 is a Thursday): the end of Friday the 4th, not a day of 2026.
  assert.equal(d1.sign_deadline, '2022-11-04T23:59:59+08:00');
  const d2 = await byNo('JN-D-2');
  assert.equal(d2.dispatched_at, '2022-11-03T09:00:00+08:00');
  assert.equal(d2.sign_deadline, '2022-11-04T23:59:59+08:00');
  const bad = await csv(lines('JN-D-3,2022-11-03 09:00:00,2022-11-02 09:00:00,投诉,城乡建设>物业管理,君临天下小区,龙泉社区,x'));
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.rows[0].reason, /before 受理时间/);
  assert.equal(bad.body.error.rows[0].column, '派单时间');
});
