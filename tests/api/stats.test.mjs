// stats.test.mjs - GET /api/v1/stats and /api/v1/stats/ranking: the answer's shape, rates as
// {numerator, denominator, rate}, periods that cut months, subtree and deployment totals, scope
// (404 outside), permission (403 without workorder.stats), bad input (400 naming the parameter).
//
// The figures' definitions and their counting are tested in tests/unit/test_stats.c; here the
// rollup rows are written straight into the database (sqlite3, or psql under make test-pg), with
// numbers chosen by hand, so that this file tests the API layer: what it reads from which rows and
// how it answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf, canRunSql, NO_SQL, sqlite } from './harness.mjs';

const SQL = canRunSql();	// sqlite3 on a file, psql under make test-pg
const SKIP_SQL = SQL ? false : NO_SQL;
const INIT_PW = 'Initial-Pass-2026!';
const PW = 'Yuanluo-Test-2026!';

let srv;
const T = {};	// nodes by name
const U = {};	// clients by name

const TOP_KEYS = ['node', 'from', 'to', 'counts', 'rates', 'handling_days', 'by_month', 'by_source', 'by_type',
  'by_category'].sort();
const RATE_KEYS = ['response', 'resolution', 'satisfaction', 'completion', 'on_time_completion', 'return',
  'extension', 'redo', 'settled_courtyard', 'settled_community', 'settled_subdistrict'].sort();
const COUNT_KEYS = ['received', 'refused', 'still_open', 'closed', 'completed', 'on_time', 'settled_courtyard',
  'settled_community', 'settled_subdistrict', 'dispatched', 'response_due', 'responded', 'signed_for', 'returned',
  'returns', 'extended', 'extensions', 'callbacks', 'satisfied', 'basically_satisfied', 'dissatisfied',
  'resolved_known', 'resolved', 'redo_base', 'redone', 'redos', 'supervised', 'supervisions', 'escalated',
  'escalations', 'yellow_cards', 'red_cards', 'handled', 'handling_seconds', 'handling_unknown', 'src_resident',
  'src_grid', 'src_mobile_grid', 'src_phone', 'src_walk_in', 'src_hotline', 'type_consultation', 'type_help',
  'type_complaint', 'type_report', 'type_suggestion'].sort();

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

// One order's worth of rollup: a day row and its month row (the hook writes both).
function rollup(nodeId, sub, day, counts, hist = '', categories = {}) {
  const cols = Object.keys(counts);
  const vals = cols.map((c) => counts[c]);
  const rows = [[`'day'`, `'${day}'`], [`'month'`, `'${day.slice(0, 7)}'`]];
  let sql = '';
  for (const [span, period] of rows) {
    sql += `INSERT INTO wo_rollup (node_id, span, period, subdistrict_id, ${cols.join(', ')}, hist)`
      + ` VALUES (${nodeId}, ${span}, ${period}, ${sub}, ${vals.join(', ')}, '${hist}')`
      + ` ON CONFLICT (node_id, span, period) DO UPDATE SET ${cols.map((c) => `${c} = wo_rollup.${c} + excluded.${c}`).join(', ')};\n`;
    for (const [cat, n] of Object.entries(categories)) {
      sql += `INSERT INTO wo_rollup_category (node_id, span, period, category_id, subdistrict_id, n)`
        + ` VALUES (${nodeId}, ${span}, ${period}, ${cat}, ${sub}, ${n});\n`;
    }
  }
  return sql;
}

/*
 *   S  统计街道:  A社区 (CA) > A院 (YA);  B社区 (CB) > B院 (YB)
 *   S2 另一街道 > C社区 (CC) > C院 (YC)
 *
 * Rollup rows (by local day of receipt):
 *   YA 2025-01-20: 1 hotline help order, open
 *   YA 2025-02-10: 4 orders: 3 completed (2 on time), 3 due a response (2 in time), 2 callbacks
 *                  (1 satisfied, 1 dissatisfied; resolved 1 of 2 said), 2 from the hotline, 4 complaints;
 *                  handling 1.0, 1.0 and 2.5 working days (3 x 86400 + 43200 s... see hist)
 *   YB 2025-03-05: 2 resident consultations, open
 *   YC 2025-02-11: 5 hotline reports (the other subdistrict)
 */
before(async () => {
  srv = await startServer();
  T.S = await node('subdistrict', '统计街道');
  T.CA = await node('community', 'A社区', T.S);
  T.YA = await node('courtyard', 'A院', T.CA, { kind: 'residential' });
  T.CB = await node('community', 'B社区', T.S);
  T.YB = await node('courtyard', 'B院', T.CB, { kind: 'residential' });
  T.S2 = await node('subdistrict', '另一街道');
  T.CC = await node('community', 'C社区', T.S2);
  T.YC = await node('courtyard', 'C院', T.CC, { kind: 'residential' });
  U.ca = await user('stats_ca', 'community_staff', T.CA);
  U.grid = await user('stats_grid', 'grid_member', T.CA);
  if (SQL) {
    sqlite(srv.db, [
      rollup(T.YA, T.S, '2025-01-20', { received: 1, still_open: 1, src_hotline: 1, type_help: 1 }, '', { 9: 1 }),
      rollup(T.YA, T.S, '2025-02-10', {
        received: 4, still_open: 1, closed: 3, completed: 3, on_time: 2, settled_courtyard: 2, settled_community: 1,
        dispatched: 3, response_due: 3, responded: 2, signed_for: 3, callbacks: 2, satisfied: 1, dissatisfied: 1,
        resolved_known: 2, resolved: 1, redo_base: 2, handled: 3, handling_seconds: 86400 + 86400 + 216000,
        yellow_cards: 1, src_hotline: 2, src_resident: 2, type_complaint: 4,
      }, '10:2,25:1', { 1: 3, 5: 1 }),
      rollup(T.YB, T.S, '2025-03-05', { received: 2, still_open: 2, src_resident: 2, type_consultation: 2 }, '',
        { 19: 2 }),
      rollup(T.YC, T.S2, '2025-02-11', { received: 5, still_open: 5, src_hotline: 5, type_report: 5 }, '', { 16: 5 }),
    ].join(''));
  }
});

after(async () => {
  if (srv) await srv.stop();
});

test('every figure of a subtree and period, in the documented shape', { skip: SKIP_SQL }, async () => {
  const b = await ok(srv.get(`/api/v1/stats?node=${T.S}&from=2025-01-01&to=2025-03-31`));
  assert.deepEqual(Object.keys(b).sort(), TOP_KEYS);
  assert.deepEqual(b.node, { id: T.S, name: '统计街道', level: 'subdistrict' });
  assert.equal(b.from, '2025-01-01');
  assert.equal(b.to, '2025-03-31');
  assert.deepEqual(Object.keys(b.counts).sort(), COUNT_KEYS);
  assert.equal(b.counts.received, 7);
  assert.equal(b.counts.completed, 3);
  assert.equal(b.counts.yellow_cards, 1);
  assert.deepEqual(Object.keys(b.rates).sort(), RATE_KEYS);
  for (const k of RATE_KEYS) assert.deepEqual(Object.keys(b.rates[k]).sort(), ['denominator', 'numerator', 'rate']);
  assert.deepEqual(b.rates.response, { numerator: 2, denominator: 3, rate: 2 / 3 });
  assert.deepEqual(b.rates.resolution, { numerator: 1, denominator: 2, rate: 0.5 });
  assert.deepEqual(b.rates.satisfaction, { numerator: 1, denominator: 2, rate: 0.5 });
  assert.deepEqual(b.rates.completion, { numerator: 3, denominator: 7, rate: 3 / 7 });
  assert.deepEqual(b.rates.on_time_completion, { numerator: 2, denominator: 3, rate: 2 / 3 });
  assert.deepEqual(b.rates.settled_courtyard, { numerator: 2, denominator: 3, rate: 2 / 3 });
  assert.deepEqual(b.rates.return, { numerator: 0, denominator: 3, rate: 0 });
  assert.deepEqual(b.rates.redo, { numerator: 0, denominator: 2, rate: 0 });
  // 1.0, 1.0 and 2.5 working days: mean 1.5; p90 by nearest rank is the third, bucket 25 -> 2.6.
  assert.deepEqual(b.handling_days, { count: 3, unknown: 0, mean: 1.5, p90: 2.6, bucket_days: 0.1 });
  assert.deepEqual(b.by_month, [
    { month: '2025-01', received: 1, hotline: 1 },
    { month: '2025-02', received: 4, hotline: 2 },
    { month: '2025-03', received: 2, hotline: 0 },
  ]);
  assert.deepEqual(b.by_source.map((x) => x.source), ['resident', 'grid', 'mobile_grid', 'phone', 'walk_in', 'hotline']);
  assert.deepEqual(b.by_source.find((x) => x.source === 'hotline'), { source: 'hotline', received: 3 });
  assert.deepEqual(b.by_source.find((x) => x.source === 'resident'), { source: 'resident', received: 4 });
  assert.deepEqual(b.by_type.map((x) => x.type), ['consultation', 'help', 'complaint', 'report', 'suggestion']);
  assert.deepEqual(b.by_type.find((x) => x.type === 'complaint'), { type: 'complaint', received: 4 });
  // Top-level categories with orders, in the tree's order.
  assert.deepEqual(b.by_category, [
    { id: 1, code: 'env', name: '市容环境', received: 3 },
    { id: 5, code: 'prop', name: '城乡建设', received: 1 },
    { id: 9, code: 'neigh', name: '邻里纠纷', received: 1 },
    { id: 19, code: 'service', name: '民生服务', received: 2 },
  ]);
});

test('a period that cuts months reads the days; empty periods give no rates', { skip: SKIP_SQL }, async () => {
  // 02-10 .. 03-04: February from the 10th (YA's four), March up to the 4th (nothing yet).
  let b = await ok(srv.get(`/api/v1/stats?node=${T.S}&from=2025-02-10&to=2025-03-04`));
  assert.equal(b.counts.received, 4);
  assert.deepEqual(b.by_month.map((m) => [m.month, m.received]), [['2025-02', 4], ['2025-03', 0]]);
  b = await ok(srv.get(`/api/v1/stats?node=${T.S}&from=2025-02-11&to=2025-03-04`));
  assert.equal(b.counts.received, 0);
  assert.deepEqual(b.rates.response, { numerator: 0, denominator: 0, rate: null });
  assert.deepEqual(b.handling_days, { count: 0, unknown: 0, mean: null, p90: null, bucket_days: 0.1 });
  assert.deepEqual(b.by_category, []);
});

test('subtree, sibling and the whole deployment', { skip: SKIP_SQL }, async () => {
  const cb = await ok(srv.get(`/api/v1/stats?node=${T.CB}&from=2025-01-01&to=2025-12-31`));
  assert.equal(cb.counts.received, 2);
  assert.equal(cb.by_month.length, 12);
  const ya = await ok(srv.get(`/api/v1/stats?node=${T.YA}&from=2025-01-01&to=2025-12-31`));
  assert.equal(ya.counts.received, 5);
  // The administrator without a node: every subdistrict.
  const all = await ok(srv.get('/api/v1/stats?from=2025-01-01&to=2025-12-31'));
  assert.equal(all.node, null);
  assert.equal(all.counts.received, 12);
  assert.equal(all.counts.type_report, 5);
});

test('the ranking: children side by side, the node\'s own total', { skip: SKIP_SQL }, async () => {
  const b = await ok(srv.get(`/api/v1/stats/ranking?node=${T.S}&from=2025-01-01&to=2025-12-31`));
  assert.deepEqual(Object.keys(b).sort(), ['from', 'items', 'node', 'self', 'to', 'total']);
  assert.deepEqual(b.items.map((x) => [x.node_id, x.name, x.level, x.received]),
    [[T.CA, 'A社区', 'community', 5], [T.CB, 'B社区', 'community', 2]]);
  const a = b.items[0];
  assert.deepEqual(Object.keys(a).sort(), ['completed', 'level', 'name', 'node_id', 'rates', 'received']);
  assert.deepEqual(a.rates.response, { numerator: 2, denominator: 3, rate: 2 / 3 });
  assert.deepEqual(a.rates.on_time_completion, { numerator: 2, denominator: 3, rate: 2 / 3 });
  assert.deepEqual(b.items[1].rates.satisfaction, { numerator: 0, denominator: 0, rate: null });
  assert.equal(b.total.node_id, T.S);
  assert.equal(b.total.received, 7);
  assert.equal(b.self, null, 'nothing is placed on the subdistrict itself');
  const roots = await ok(srv.get('/api/v1/stats/ranking?from=2025-01-01&to=2025-12-31'));
  assert.deepEqual(roots.items.map((x) => x.node_id).sort(), [T.S, T.S2].sort());
  assert.equal(roots.total.received, 12);
  assert.equal(roots.total.node_id, null);
});

test('scope: a community\'s staff sees its community by default and nothing outside it', { skip: SKIP_SQL }, async () => {
  const b = await ok(U.ca.get('/api/v1/stats?from=2025-01-01&to=2025-12-31'));
  assert.equal(b.node.id, T.CA);
  assert.equal(b.counts.received, 5);
  assert.equal((await ok(U.ca.get(`/api/v1/stats?node=${T.YA}&from=2025-01-01&to=2025-12-31`))).counts.received, 5);
  // A sibling, the parent and another subdistrict do not exist for it.
  await fails(U.ca.get(`/api/v1/stats?node=${T.CB}`), 404);
  await fails(U.ca.get(`/api/v1/stats?node=${T.S}`), 404);
  await fails(U.ca.get(`/api/v1/stats?node=${T.YC}`), 404);
  await fails(U.ca.get(`/api/v1/stats/ranking?node=${T.CB}`), 404);
  await fails(U.ca.get('/api/v1/stats?node=999999'), 404);
  const r = await ok(U.ca.get('/api/v1/stats/ranking?from=2025-01-01&to=2025-12-31'));
  assert.deepEqual(r.items.map((x) => x.node_id), [T.YA]);
});

test('permission: workorder.stats', async () => {
  await fails(U.grid.get('/api/v1/stats'), 403);
  await fails(U.grid.get('/api/v1/stats/ranking'), 403);
  await fails(srv.anonymous().get('/api/v1/stats'), 401);
  const roles = await ok(srv.get('/api/v1/access-roles'));
  const holders = (roles.items || roles).filter((x) => (x.permissions || []).includes('workorder.stats'))
    .map((x) => x.code).sort();
  assert.deepEqual(holders, ['admin', 'community_staff', 'courtyard_secretary', 'subdistrict_staff']);
});

test('bad input: 400 naming the parameter; an unknown node 404', async () => {
  await fails(srv.get(`/api/v1/stats?node=${T.S}&from=2025-13-01&to=2025-12-31`), 400, 'from');
  await fails(srv.get(`/api/v1/stats?node=${T.S}&from=2025-01-01&to=tomorrow`), 400, 'to');
  await fails(srv.get(`/api/v1/stats?node=${T.S}&from=2025-02-30`), 400, 'from');
  await fails(srv.get(`/api/v1/stats?node=${T.S}&from=2025-03-01&to=2025-02-28`), 400, 'to');
  await fails(srv.get(`/api/v1/stats?node=${T.S}&from=2000-01-01&to=2025-12-31`), 400, 'to');
  await fails(srv.get('/api/v1/stats?node=abc'), 400, 'node');
  await fails(srv.get('/api/v1/stats?node=0'), 400, 'node');
  await fails(srv.get('/api/v1/stats/ranking?from=20250101'), 400, 'from');
  await fails(srv.get('/api/v1/stats?node=999999&from=2025-01-01&to=2025-01-31'), 404, 'node');
});

// Today in Asia/Shanghai, computed when used: a run may cross local midnight (16:00 UTC).
const localToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

// Runs check(day) for today's local date; when it fails and midnight fell during it, once more on the
// new day.
async function onOneDay(check) {
  const day = localToday();
  try {
    await check(day);
  } catch (e) {
    if (localToday() === day) throw e;
    await check(localToday());
  }
}

test('defaults: this year up to today', async () => {
  const day0 = localToday();
  const b = await ok(srv.get(`/api/v1/stats?node=${T.S}`));
  assert.ok(b.to === day0 || b.to === localToday(), `to ${b.to}, today ${day0}`);
  assert.equal(b.from, `${b.to.slice(0, 4)}-01-01`);
  const c = await ok(srv.get(`/api/v1/stats?node=${T.S}&to=2025-03-31`));
  assert.equal(c.from, '2025-01-01');
});

// End to end: an order filed through the API is counted at once (the engine calls the hook,
// src/stats/stats.h, "THE HOOK").
test('an order filed through the API is in the figures at once', async () => {
  await onOneDay(async (today) => {
    const before = (await ok(srv.get(`/api/v1/stats?node=${T.YB}&from=${today}&to=${today}`))).counts;
    await ok(srv.post('/api/v1/work-orders', {
      source: 'resident', type: 'help', category: '市容环境>环境卫生', node_id: T.YB, text: '楼下垃圾未清运',
    }), 201);
    const after = await ok(srv.get(`/api/v1/stats?node=${T.YB}&from=${today}&to=${today}`));
    assert.equal(after.counts.received, before.received + 1);
    assert.equal(after.counts.src_resident, before.src_resident + 1);
  });
});
