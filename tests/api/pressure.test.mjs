// pressure.test.mjs - GET /api/v1/insight/pressure: open work and its overdue share over the tree, for the
// treemap of 态势.  On the demo year, every node's figures are checked against the work-order list (another
// code path: GET /work-orders with under, state and overdue), the tree adds up (a node holds what is placed at
// it and all its children hold), and the time-node kinds answer from the engine's table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

const OPEN = ['received', 'accepted', 'answered', 'dispatched', 'return_requested', 'in_progress', 'replied', 'reviewed',
  'dissatisfied'];
let srv;
let ms;

before(async () => {
  srv = await startServer({ demo: true });
  ms = (await srv.get('/api/v1/nodes?q=MS&limit=50')).body.items.find((n) => n.code === 'MS');
});

after(async () => { if (srv) await srv.stop(); });

// How many orders a list query finds, page by page.
async function total(q) {
  let n = 0;
  let after = null;
  do {
    const page = (await srv.get(`/api/v1/work-orders?${q}&limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`)).body;
    n += page.items.length;
    after = page.next;
  } while (after);
  return n;
}

test('open and overdue orders under each node are what the order list counts, and the tree adds up', async () => {
  const r = await srv.get(`/api/v1/insight/pressure?node=${ms.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.kind, 'work_order');
  const tree = r.body.tree;
  assert.equal(tree.id, ms.id);
  assert.ok(tree.open > 0, r.text);
  // The invariant everywhere: a node = its own + its children's; children with nothing open are left out.
  const walk = (n) => {
    assert.ok(n.overdue <= n.open, JSON.stringify(n).slice(0, 200));
    assert.equal(n.open, n.own_open + n.children.reduce((a, c) => a + c.open, 0), n.name);
    for (const c of n.children) { assert.ok(c.open > 0); walk(c); }
  };
  walk(tree);
  // Against the list, for the subdistrict and each community.
  for (const n of [tree, ...tree.children.filter((c) => c.level === 'community')]) {
    assert.equal(n.open, await total(`under=${n.id}&state=${OPEN.join(',')}`), `open under ${n.name}`);
    assert.equal(n.overdue, await total(`under=${n.id}&overdue=true`), `overdue under ${n.name}`);
  }
  // Down to the buildings, never below.
  const levels = new Set();
  const collect = (n) => { levels.add(n.level); n.children.forEach(collect); };
  collect(tree);
  assert.ok(!levels.has('household') && !levels.has('unit'), [...levels].join());
  assert.ok(levels.has('courtyard'));
});

test('a kind of time node counts the engine\'s open nodes; bad input is refused naming the field', async () => {
  const r = await srv.get(`/api/v1/insight/pressure?node=${ms.id}&kind=council_resolution`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.kind, 'council_resolution');
  assert.ok(r.body.tree.open >= 1, r.text);
  const same = await srv.get(`/api/v1/insight/pressure?node=${ms.id}&kind=work_order`);
  assert.equal(same.body.tree.open, (await srv.get(`/api/v1/insight/pressure?node=${ms.id}`)).body.tree.open);
  for (const [q, field] of [['kind=bogus', 'kind'], ['node=abc', 'node'], ['node=0', 'node'], ['', 'node']]) {
    const bad = await srv.get(`/api/v1/insight/pressure?${q.startsWith('node') || !q ? q : `node=${ms.id}&${q}`}`);
    assert.equal(bad.status, 400, `${q}: ${bad.text}`);
    assert.equal(bad.body.error.field, field, bad.text);
  }
  // A household is below the buildings: there is no tree to draw from it.
  const hh = (await srv.get('/api/v1/nodes?level=household&limit=1')).body.items[0];
  assert.equal((await srv.get(`/api/v1/insight/pressure?node=${hh.id}`)).body.error.field, 'node');
});
