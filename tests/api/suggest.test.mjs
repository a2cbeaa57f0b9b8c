// suggest.test.mjs - GET /api/v1/suggestions: the category and handler suggested for a request, learned
// from the subdistrict's own closed orders (src/insight), on the demo year; and `yuanluo suggest eval`, the
// model measured on a time split of the same database against the most-frequent-category baseline.  The
// model's arithmetic and a second, generated data set: tests/unit/test_suggest.c.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli } from './harness.mjs';

let srv;
const T = {};
const suggest = (text, node) => srv.get(`/api/v1/suggestions?text=${encodeURIComponent(text)}&node_id=${node}`);

before(async () => {
  srv = await startServer({ demo: true });
  const closed = await srv.get('/api/v1/work-orders?state=closed&limit=150');
  assert.equal(closed.status, 200, closed.text);
  T.closed = closed.body.items;
  const cats = await srv.get('/api/v1/wo-categories');
  const flat = (list, parent) => list.flatMap((c) => [{ ...c, parent_id: parent }, ...flat(c.children || [], c.id)]);
  T.cats = new Map(flat(cats.body.items, null).map((c) => [c.id, c]));
  T.total = (await srv.get('/api/v1/work-orders?limit=1')).body.total;
});

after(async () => { if (srv) await srv.stop(); });

test('the office\'s own category is among the three suggested for its recent orders, the likeliest first', async () => {
  let top1 = 0;
  let top3 = 0;
  for (const o of T.closed) {
    const r = await suggest(o.text, o.node_id);
    assert.equal(r.status, 200, r.text);
    const { categories, handlers, rule, model } = r.body;
    assert.ok(categories.length >= 1 && categories.length <= 3, r.text);
    for (let i = 1; i < categories.length; i++) assert.ok(categories[i - 1].confidence >= categories[i].confidence, r.text);
    assert.ok(categories.every((c) => c.confidence > 0 && c.confidence <= 1 && T.cats.get(c.category_id)?.active), r.text);
    assert.ok(categories.reduce((a, c) => a + c.confidence, 0) <= 1 + 1e-9);
    // The path names the parent, as the hotline writes it.
    const c0 = T.cats.get(categories[0].category_id);
    assert.equal(categories[0].path, c0.parent_id ? `${T.cats.get(c0.parent_id).name}>${c0.name}` : c0.name);
    // Who settled such orders: shares of one whole, most first; beside today's routing.
    assert.ok(handlers.reduce((a, h) => a + h.share, 0) <= 1 + 1e-9);
    for (let i = 1; i < handlers.length; i++) assert.ok(handlers[i - 1].orders >= handlers[i].orders);
    assert.ok(handlers.every((h) => ['courtyard', 'community', 'subdistrict'].includes(h.level)), r.text);
    assert.ok(rule && rule.node_id && ['rule', 'category', 'default'].includes(rule.why), r.text);
    assert.ok(model.orders > 10000, `trained on ${model.orders} orders`);
    if (categories[0].category_id === o.category_id) top1++;
    if (categories.some((c) => c.category_id === o.category_id)) top3++;
  }
  const n = T.closed.length;
  process.stderr.write(`# ${n} recent closed orders: top-1 ${(top1 / n).toFixed(3)}, top-3 ${(top3 / n).toFixed(3)}\n`);
  assert.ok(n >= 100);
  assert.ok(top3 / n >= 0.9, `top-3 ${top3}/${n}`);
});

test('yuanluo suggest eval: on a time split, top-3 at least 90 % and far above the most frequent categories', () => {
  const r = cli(['suggest', 'eval', '--db', srv.db, '--key-file', srv.key]);
  assert.equal(r.status, 0, r.stderr);
  process.stderr.write(r.stdout.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
  const m = /top-1 +([\d.]+) %   top-3 +([\d.]+) %   \(most frequent: top-1 +([\d.]+) %, top-3 +([\d.]+) %\)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const [top1, top3, base1, base3] = m.slice(1).map(Number);
  assert.ok(top3 >= 90, r.stdout);
  assert.ok(top1 > base1 + 30 && top3 > base3 + 30, r.stdout);
  assert.match(r.stdout, /handler +learned +[\d.]+ % +today's routing rules +[\d.]+ %/);
  assert.match(r.stdout, /[\d.]+ us per suggestion/);
  // Refused arguments say why and change nothing.
  const bad = cli(['suggest', 'eval', '--split', '1.5', '--db', srv.db, '--key-file', srv.key]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--split/);
  assert.notEqual(cli(['suggest', '--db', srv.db, '--key-file', srv.key]).status, 0);
});

test('a retired category is never suggested; words the model never saw give no suggestion', async () => {
  // An order whose likeliest category is not the hotline's fallback (which cannot be retired while it is one).
  const fallback = (await srv.get('/api/v1/wo-category-map')).body.fallback_category_id;
  let o;
  let first;
  for (o of T.closed) {
    first = (await suggest(o.text, o.node_id)).body.categories[0];
    if (first.category_id !== fallback) break;
  }
  const retire = await srv.patch(`/api/v1/wo-categories/${first.category_id}`, { active: false });
  assert.equal(retire.status, 200, retire.text);
  try {
    const r = await suggest(o.text, o.node_id);
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.body.categories.some((c) => c.category_id === first.category_id), r.text);
  } finally {
    assert.equal((await srv.patch(`/api/v1/wo-categories/${first.category_id}`, { active: true })).status, 200);
  }
  const none = await suggest('qwxz', o.node_id);
  assert.equal(none.status, 200, none.text);
  assert.deepEqual([none.body.categories, none.body.handlers, none.body.rule], [[], [], null]);
});

test('bad input is refused naming the field; a suggestion writes nothing', async () => {
  const o = T.closed[0];
  const cases = [
    [`/api/v1/suggestions?text=${encodeURIComponent('路灯')}`, 'node_id'],
    [`/api/v1/suggestions?text=${encodeURIComponent('路灯')}&node_id=abc`, 'node_id'],
    [`/api/v1/suggestions?text=${encodeURIComponent('路灯')}&node_id=0`, 'node_id'],
    [`/api/v1/suggestions?text=${encodeURIComponent('路灯')}&node_id=99999999`, 'node_id'],
    [`/api/v1/suggestions?node_id=${o.node_id}`, 'text'],
    [`/api/v1/suggestions?node_id=${o.node_id}&text=`, 'text'],
    [`/api/v1/suggestions?node_id=${o.node_id}&text=${encodeURIComponent('灯'.repeat(2001))}`, 'text'],
  ];
  for (const [path, field] of cases) {
    const r = await srv.get(path);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.equal(r.body.error.field, field, `${path}: ${r.text}`);
  }
  assert.equal((await srv.get('/api/v1/work-orders?limit=1')).body.total, T.total, 'no order was filed or changed');
});
