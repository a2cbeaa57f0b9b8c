// demo_orders.test.mjs - the demo's year of work orders (`yuanluo demo`, src/demo/demo_orders.c) tells
// the article's story through the API, from stored orders and events: 12345 hotline orders fall from
// about 1,500 to about 700 a month while the courtyards settle more and more locally; the sweeper's
// cards, returns, extensions, escalations, redos and supervision are there; every closed order was
// called back or refused; the last weeks' orders are still being handled.
//
// The demo is loaded once for the file.  Its dates are relative to the month of loading: the window is
// the twelve complete months before the current one, then the current month so far (a year without an
// official calendar is counted on the provisional one, so the demo always runs up to the clock).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
const T = {};

const SHANGHAI = 8 * 3600000;

// Local (Asia/Shanghai) year and month of an instant, and the months around it.
function localMonth(ms) {
  const d = new Date(ms + SHANGHAI);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 };
}
function addMonths({ y, m }, n) {
  const k = y * 12 + (m - 1) + n;
  return { y: Math.floor(k / 12), m: (k % 12) + 1 };
}
const pad = (n) => String(n).padStart(2, '0');
const first = ({ y, m }) => `${y}-${pad(m)}-01`;
const last = ({ y, m }) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
const label = ({ y, m }) => `${y}-${pad(m)}`;

async function get(path) {
  const r = await srv.get(path);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.text}`);
  return r.body;
}

const stats = (from, to) => get(`/api/v1/stats?node=${T.ms.id}&from=${from}&to=${to}`);

// Every order of a list query, page by page.
async function all(query) {
  const items = [];
  let after = null;
  do {
    const page = await get(`/api/v1/work-orders?${query}&limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...page.items);
    after = page.next;
  } while (after);
  return items;
}

before(async () => {
  const loading = Date.now();
  srv = await startServer({ demo: true });
  const nodes = await get('/api/v1/nodes?q=MS&limit=50');
  T.ms = nodes.items.find((n) => n.code === 'MS');
  assert.ok(T.ms, 'the demo subdistrict');
  // The window: twelve complete months before the month of the newest order, the first the oldest.
  const newest = await get('/api/v1/work-orders?limit=1');
  // The month of loading; the newest order's when the load crossed into a new month.  (Just after
  // midnight on the 1st the current month has no order yet: the newest alone would say last month.)
  const byOrder = localMonth(Date.parse(newest.items[0].received_at)), byClock = localMonth(loading);
  T.now = byOrder.y * 12 + byOrder.m > byClock.y * 12 + byClock.m ? byOrder : byClock;
  T.first = addMonths(T.now, -12);
  T.last = addMonths(T.now, -1);
  T.year = await stats(first(T.first), last(T.last));
  T.firstMonth = await stats(first(T.first), last(T.first));
  T.lastMonth = await stats(first(T.last), last(T.last));
  T.settledTo = new Date(Date.parse(newest.items[0].received_at) + SHANGHAI - 31 * 86400000).toISOString().slice(0, 10);
  T.settled = await stats(first(T.first), T.settledTo);
});

after(async () => {
  if (srv) await srv.stop();
});

test('12345 hotline orders fall from about 1,500 to about 700 a month, smoothly, while local intake rises', async () => {
  const months = T.year.by_month;
  assert.equal(months.length, 12, JSON.stringify(months));
  assert.equal(months[0].month, label(T.first));
  assert.equal(months[11].month, label(T.last));
  const hot = months.map((x) => x.hotline);
  assert.ok(hot[0] >= 1500 * 0.85 && hot[0] <= 1500 * 1.15, `first month: ${hot[0]} hotline orders`);
  assert.ok(hot[11] >= 700 * 0.85 && hot[11] <= 700 * 1.15, `last month: ${hot[11]} hotline orders`);
  for (let i = 1; i < 12; i++) assert.ok(hot[i] <= hot[i - 1] * 1.08, `month ${i}: ${hot[i - 1]} then ${hot[i]}`);
  const local = months.map((x) => x.received - x.hotline);
  assert.ok(local[11] > 2.5 * local[0], `local intake: ${local[0]} then ${local[11]}`);
  // Total demand stays plausible: within a fifth of where it started.
  assert.ok(Math.abs(months[11].received - months[0].received) < months[0].received / 5,
    `orders: ${months[0].received} then ${months[11].received}`);
  // Every source takes part.
  for (const s of T.year.by_source) assert.ok(s.received > 0, `source ${s.source}`);

  // The list agrees with the figures: the first month's hotline orders, one by one.
  const listed = await all(`source=hotline&from=${first(T.first)}&to=${last(T.first)}`);
  assert.equal(listed.length, hot[0]);
  assert.ok(listed.every((o) => /^JN12345-\d{8}-\d{6}$/.test(o.external_no)), 'the hotline numbers');
  assert.equal(new Set(listed.map((o) => o.external_no)).size, listed.length, 'hotline numbers are unique');
});

test('where orders are settled moves down to the courtyard; satisfaction improves, redos fall', () => {
  const a = T.firstMonth.rates, b = T.lastMonth.rates;
  assert.ok(a.settled_courtyard.rate < 0.35, `first month at the courtyard: ${a.settled_courtyard.rate}`);
  assert.ok(b.settled_courtyard.rate > 0.55, `last month at the courtyard: ${b.settled_courtyard.rate}`);
  assert.ok(b.settled_community.rate < a.settled_community.rate);
  assert.ok(b.satisfaction.rate > a.satisfaction.rate, `satisfaction ${a.satisfaction.rate} then ${b.satisfaction.rate}`);
  assert.ok(b.redo.rate < a.redo.rate, `redo rate ${a.redo.rate} then ${b.redo.rate}`);
  // Orders are settled: none received more than 30 days before the demo's end is still open (the
  // longest handling, a redo after an extension and an escalation, takes about four weeks); the
  // last weeks' may still be in hand, whatever the day of the month the demo was loaded on.  Of the
  // last complete month's settled orders, nearly every one was called back.
  assert.equal(T.settled.counts.still_open, 0, `open orders received by ${T.settledTo}`);
  const c = T.lastMonth.counts;
  assert.ok(c.callbacks >= 0.95 * (c.received - c.refused - c.still_open),
    `${c.callbacks} callbacks of ${c.received} (${c.still_open} still open)`);
});

test('cards, returns, extensions, escalations, redos and supervision, from the real rules', async () => {
  const c = T.year.counts;
  for (const k of ['yellow_cards', 'red_cards', 'returned', 'extended', 'escalated', 'redone', 'supervised', 'refused']) {
    assert.ok(c[k] > 0, `${k}: ${c[k]}`);
  }
  assert.ok(c.yellow_cards > c.red_cards, 'fewer red cards than yellow');
  assert.ok(T.lastMonth.counts.red_cards < T.firstMonth.counts.red_cards, 'fewer red cards at the end');
  // A red card is the sweeper's, dated on the day after the deadline.
  const red = await get(`/api/v1/work-orders?card=red&from=${first(T.first)}&to=${last(T.last)}&limit=5`);
  const redded = await get(`/api/v1/work-orders?card=any&state=closed&limit=50&from=${first(T.first)}&to=${last(T.last)}`);
  const sample = [...red.items, ...redded.items];
  assert.ok(sample.length > 0, 'carded orders');
  let seen = 0;
  for (const o of sample.slice(0, 20)) {
    const full = await get(`/api/v1/work-orders/${o.id}`);
    for (const e of full.events.filter((x) => x.action === 'red_card' || x.action === 'yellow_card')) {
      assert.equal(e.actor_login, null, 'cards are the system\'s');
      seen++;
    }
  }
  assert.ok(seen > 0, 'card events');
});

test('every closed order was called back or refused, and its events run forward in time', async () => {
  const closed = await get(`/api/v1/work-orders?state=closed&from=${first(T.last)}&to=${last(T.last)}&limit=150`);
  assert.equal(closed.items.length, 150);
  let redo = 0;
  for (const o of closed.items) {
    const full = await get(`/api/v1/work-orders/${o.id}`);
    const ev = full.events;
    assert.equal(ev[0].action, 'create', o.number);
    for (let i = 1; i < ev.length; i++) {
      assert.ok(Date.parse(ev[i].at) >= Date.parse(ev[i - 1].at), `${o.number}: ${ev[i - 1].action} then ${ev[i].action}`);
      assert.equal(ev[i].from_state, ev[i - 1].to_state, `${o.number}: ${ev[i].action}`);
    }
    assert.equal(ev[ev.length - 1].to_state, 'closed');
    assert.ok(ev.some((e) => e.action === 'callback' || e.action === 'refuse'), `${o.number} was never called back`);
    if (ev.some((e) => e.action === 'redo')) redo++;
    if (o.caller && o.caller.phone) assert.match(o.caller.phone, /^1\d{2}\*{4}\d{4}$/, 'phones are masked');
  }
  assert.ok(redo < closed.items.length / 4);
});

test('texts in natural Chinese, never the same twice in a row; callers with names and masked phones', async () => {
  const page = await get(`/api/v1/work-orders?from=${first(T.last)}&to=${last(T.last)}&limit=500`);
  const texts = page.items.map((o) => o.text);
  for (let i = 1; i < texts.length; i++) assert.notEqual(texts[i], texts[i - 1]);
  assert.ok(new Set(texts).size > texts.length * 0.6, 'varied texts');
  for (const t of texts) assert.match(t, /^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef0-9A-Za-z（）“”、，。？：\s-]+$/u, t);
  const secret = page.items.filter((o) => o.confidential);
  assert.ok(secret.length > 0, 'some confidential callers');
  const callers = page.items.filter((o) => o.caller && o.caller.name);
  assert.ok(callers.length > page.items.length / 2, 'most orders name their caller');
  for (const o of callers) {
    assert.match(o.caller.name, /^[\u4e00-\u9fff]{2,4}$/u, o.caller.name);
    assert.match(o.caller.phone, /^1\d{2}\*{4}\d{4}$/, 'phones are masked');
  }
  assert.ok(callers.some((o) => /(女士|先生)$/.test(o.caller.name)), 'the hotline writes 张女士');
  const categories = new Set(page.items.map((o) => o.category_path));
  assert.ok(categories.size >= 10, `${categories.size} categories`);
});

test('the last weeks\' orders are still being handled: open states, and work waiting for the desk', async () => {
  const from = first(addMonths(T.now, -1));
  const open = await get(`/api/v1/work-orders?state=received,accepted,dispatched,in_progress,replied,reviewed,answered,return_requested,dissatisfied&from=${from}&limit=500`);
  const states = new Set(open.items.map((o) => o.state));
  assert.ok(open.items.length > 20, `${open.items.length} open orders`);
  assert.ok(states.size >= 4, `open states: ${[...states]}`);
  // The subdistrict's desk (the demo account mingshui) has work waiting.
  const users = await get('/api/v1/users?limit=100');
  const ms = users.items.find((u) => u.login === 'mingshui');
  const reset = await srv.post(`/api/v1/users/${ms.id}/reset-password`, {});
  assert.equal(reset.status, 200, reset.text);
  const desk = await srv.loginAs('mingshui', reset.body.password);
  const mine = await desk.get('/api/v1/work-orders/mine');
  assert.equal(mine.status, 200, mine.text);
  const waiting = Object.values(mine.body).reduce((n, l) => n + (l && l.count ? l.count : 0), 0);
  assert.ok(waiting > 0, JSON.stringify(Object.fromEntries(Object.entries(mine.body).map(([k, v]) => [k, v.count]))));
});
