// metrics.test.mjs - GET /metrics: the Prometheus text format, requests by route pattern and
// status, the latency histogram, orders by state, sweeper runs and the webhook backlog; only
// the addresses of metrics-allow may read it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli } from './harness.mjs';

let srv;

// name{labels} value lines into a Map of "name{labels}" -> number; HELP/TYPE checked for every name.
function parse(text) {
  const out = new Map();
  const typed = new Set();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const t = /^# TYPE (\w+) (counter|gauge|histogram)$/.exec(line);
    if (t) { typed.add(t[1]); continue; }
    if (line.startsWith('# HELP ')) continue;
    const m = /^(\w+)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})? (-?[\d.e+]+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const base = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(typed.has(m[1]) || typed.has(base), `${m[1]} has no TYPE line before it`);
    out.set(m[1] + (m[2] || ''), Number(m[3]));
  }
  return out;
}

async function scrape() {
  const r = await srv.anonymous().get('/metrics');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parse(r.text);
}

before(async () => {
  srv = await startServer({ demo: true, demoArgs: ['--no-orders'], args: ['--sweep-interval', '1'] });
});
after(async () => { await srv?.stop(); });

test('requests are counted by route pattern and status', async () => {
  const key = 'yuanluo_http_requests_total{method="GET",route="/api/v1/nodes/{id}",status="404"}';
  const ok = 'yuanluo_http_requests_total{method="GET",route="/healthz",status="200"}';
  const m0 = await scrape();
  for (let i = 0; i < 3; i++) assert.equal((await srv.get('/api/v1/nodes/99999')).status, 404);
  for (let i = 0; i < 2; i++) await srv.anonymous().get('/healthz');
  const m1 = await scrape();
  assert.equal((m1.get(key) || 0) - (m0.get(key) || 0), 3);
  assert.equal((m1.get(ok) || 0) - (m0.get(ok) || 0), 2);
  // The pattern, never the path: no label holds the id asked for.
  assert.ok(![...m1.keys()].some((k) => k.includes('99999')));
});

test('the latency histogram: buckets only grow, +Inf equals the count', async () => {
  const m = await scrape();
  const lbl = 'method="GET",route="/healthz"';
  const buckets = [...m.entries()].filter(([k]) => k.startsWith(`yuanluo_http_request_duration_seconds_bucket{${lbl},`));
  assert.ok(buckets.length >= 5);
  const values = buckets.map(([, v]) => v);
  assert.deepEqual(values, [...values].sort((a, b) => a - b), 'cumulative');
  assert.equal(m.get(`yuanluo_http_request_duration_seconds_bucket{${lbl},le="+Inf"}`),
    m.get(`yuanluo_http_request_duration_seconds_count{${lbl}}`));
  assert.ok(m.get(`yuanluo_http_request_duration_seconds_sum{${lbl}}`) > 0);
});

test('orders by state follow the database; sweeper runs and the webhook backlog are there', async () => {
  const m0 = await scrape();
  const court = (await srv.get('/api/v1/nodes?level=courtyard&limit=1')).body.items[0].id;
  const r = await srv.post('/api/v1/work-orders', { source: 'resident', type: 'help', category_id: 2, node_id: court, text: '路灯坏了' });
  assert.equal(r.status, 201, r.text);
  const m1 = await scrape();
  const k = `yuanluo_work_orders{state="${r.body.state}"}`;
  assert.equal(m1.get(k) - m0.get(k), 1);
  for (const s of ['received', 'dispatched', 'closed']) assert.ok(m1.has(`yuanluo_work_orders{state="${s}"}`));
  assert.ok(m1.has('yuanluo_webhook_outbox{state="pending"}'));
  assert.ok(m1.has('yuanluo_webhook_outbox{state="failed"}'));
  // The sweeper runs every second: polled until it has run, for at most 15 s.
  let m2 = await scrape();
  for (const end = Date.now() + 15000; !(m2.get('yuanluo_sweeper_runs_total') >= 1) && Date.now() < end;) {
    await new Promise((res) => setTimeout(res, 100));
    m2 = await scrape();
  }
  assert.ok(m2.get('yuanluo_sweeper_runs_total') >= 1, 'the sweeper never ran in 15 s at 1 s intervals');
});

test('an address outside metrics-allow gets 403; a malformed setting stops the server', async () => {
  const other = await startServer({ args: ['--metrics-allow', '10.0.0.0/8,::1'] });
  try {
    const r = await other.anonymous().get('/metrics');
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'forbidden');
  } finally {
    await other.stop();
  }
  const wide = await startServer({ args: ['--metrics-allow', '127.0.0.0/8'] });
  try {
    assert.equal((await wide.anonymous().get('/metrics')).status, 200);
  } finally {
    await wide.stop();
  }
  const bad = cli(['serve', '--db', srv.db, '--key-file', srv.key, '--metrics-allow', 'localhost', '--listen', '127.0.0.1:0'], { timeout: 10000 });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /metrics-allow/);
});
