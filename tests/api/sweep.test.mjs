// sweep.test.mjs - the sweeper: `yuanluo serve --sweep-interval 1` cards an overdue order by itself (the
// red card and, by the default policy, the climb to the community are events of the order), leaves an
// order that is not due alone, and holds the lease while it runs; `yuanluo sweep` does the same once
// for a server that does not sweep, and refuses to run beside one that does.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli } from './harness.mjs';

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

// sub 明水街道 > com 龙泉社区 > y1 君临天下 > b1 1号楼 > h1 101
async function tree(srv) {
  const node = async (level, name, parent_id, extra = {}) =>
    (await ok(srv.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
  const T = {};
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下', T.com, { kind: 'residential' });
  T.b1 = await node('building', '1号楼', T.y1);
  T.h1 = await node('household', '101', T.b1);
  return T;
}

// A hotline order received in the past: accepted and dispatched to the courtyard at intake, its deadline
// counted from the hotline's receipt, so long passed.
function hotline(T, no, received_at) {
  return {
    source: 'hotline', external_no: no, type: 'complaint', category: '城乡建设>物业管理', node_id: T.h1,
    text: '楼道灯坏了一个月', received_at, hotline_days: 5,
  };
}

// The order once pred holds (polled: the sweeper runs every second).
async function until(srv, id, pred, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const o = await ok(srv.get(`/api/v1/work-orders/${id}`));
    if (pred(o)) return o;
    if (Date.now() > end) assert.fail(`order ${id} never got there: ${JSON.stringify(o.events.map((e) => e.action))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const common = (srv) => ['--db', srv.db, '--key-file', srv.key];

// The sweeps this server has run (GET /metrics: yuanluo_sweeper_runs_total).
async function sweeps(srv) {
  const r = await srv.anonymous().get('/metrics');
  assert.equal(r.status, 200, r.text);
  const m = /^yuanluo_sweeper_runs_total (\d+)$/m.exec(r.text);
  assert.ok(m, 'no yuanluo_sweeper_runs_total in /metrics');
  return Number(m[1]);
}

// Waits (polled, at most ms) until the server has finished n more sweeps than `from`.
async function sweptSince(srv, from, n, ms = 15000) {
  const end = Date.now() + ms;
  for (let now = await sweeps(srv); now < from + n; now = await sweeps(srv)) {
    if (Date.now() > end) assert.fail(`the sweeper ran ${now - from} times in ${ms} ms, not ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the server sweeps', () => {
  let srv;
  let T;
  before(async () => {
    srv = await startServer({ args: ['--sweep-interval', '1'] });
    T = await tree(srv);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('an overdue order gets its red card from the sweeper, visible in its events', async () => {
    const o = await ok(srv.post('/api/v1/work-orders', hotline(T, 'JN12345-20261009-000001', '2026-10-09 09:00:00')), 201);
    assert.equal(o.state, 'dispatched');
    assert.equal(o.handler_level, 'courtyard');
    // Received Friday 10-09: 10-10 (a Saturday worked after National Day), 10-12, 10-13, 10-14, 10-15.
    assert.equal(o.deadline, '2026-10-15T23:59:59+08:00');
    assert.equal(o.card, 'none');

    const seen = await until(srv, o.id, (x) => x.events.some((e) => e.action === 'red_card'));
    const red = seen.events.find((e) => e.action === 'red_card');
    assert.equal(red.actor_login, null, 'the system acts');
    assert.equal(red.actor_user_id, null);
    assert.equal(red.from_state, 'dispatched');
    assert.equal(red.to_state, 'dispatched');
    assert.equal(red.node_id, T.y1);
    assert.match(red.detail, /2026-10-15 23:59:59/);
    // The default policy moves it up at once, with a reply period of its own for the community;
    // the red card stays in its history.
    const up = await until(srv, o.id, (x) => x.events.some((e) => e.action === 'escalate'));
    const esc = up.events.find((e) => e.action === 'escalate');
    assert.ok(up.events.indexOf(esc) > up.events.indexOf(up.events.find((e) => e.action === 'red_card')));
    assert.equal(esc.actor_login, null);
    assert.equal(esc.node_id, T.com);
    assert.match(esc.opinion, /^overdue since 2026-10-16 00:00:00/);
    assert.equal(up.handler_level, 'community');
    assert.equal(up.handler_node_id, T.com);
    assert.equal(up.escalations, 1);
    assert.equal(up.card, 'none');
    assert.ok(Date.parse(up.deadline) > Date.now(), up.deadline);
    // Nobody may card an order by hand.
    const r = await srv.post(`/api/v1/work-orders/${o.id}/actions`, { action: 'red_card' });
    assert.equal(r.status, 403, r.text);
    assert.ok(!up.allowed_actions.includes('red_card') && !up.allowed_actions.includes('yellow_card'));
  });

  test('an order that is not due is left alone', async () => {
    const runs = await sweeps(srv);
    const o = await ok(srv.post('/api/v1/work-orders', hotline(T, 'JN12345-20261129-000002', undefined)), 201);
    // Two sweeps after: at least one began after the order was committed.
    await sweptSince(srv, runs, 2);
    const again = await ok(srv.get(`/api/v1/work-orders/${o.id}`));
    assert.equal(again.card, 'none');
    assert.deepEqual(again.events.map((e) => e.action), ['create', 'dispatch']);
  });

  test('yuanluo sweep refuses to run beside the server that holds the lease; a dry run may', () => {
    const r = cli(['sweep', ...common(srv)]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /serve@.* holds the sweeper's lease until/);
    const d = cli(['sweep', '--dry-run', ...common(srv)]);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /dry run: nothing was written/);
    assert.match(d.stdout, /red cards\s+0\n/);
  });
});

describe('yuanluo sweep for a server that does not sweep', () => {
  let srv;
  let T;
  before(async () => {
    srv = await startServer({ args: ['--sweep-interval', '0'] });
    T = await tree(srv);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the order waits for the command, which cards and moves it once', async () => {
    const o = await ok(srv.post('/api/v1/work-orders', hotline(T, 'JN12345-20261009-000003', '2026-10-09 09:00:00')), 201);
    // An absence can only be waited for: a second and a half, three sweeps of the other server.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await sweeps(srv), 0, 'no sweeper in this server');
    assert.equal((await ok(srv.get(`/api/v1/work-orders/${o.id}`))).card, 'none', 'no sweeper in this server');

    const dry = cli(['sweep', '--dry-run', ...common(srv)]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /red cards\s+1\n/);
    assert.match(dry.stdout, /escalated\s+1\n/);
    assert.equal((await ok(srv.get(`/api/v1/work-orders/${o.id}`))).events.length, 2, 'a dry run writes nothing');

    const r = cli(['sweep', ...common(srv)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /yellow cards\s+0\n\s+red cards\s+1\n\s+escalated\s+1\n\s+errors\s+0\n/);
    const seen = await ok(srv.get(`/api/v1/work-orders/${o.id}`));
    assert.deepEqual(seen.events.map((e) => e.action), ['create', 'dispatch', 'red_card', 'escalate']);
    assert.equal(seen.handler_level, 'community');

    // Twice changes nothing more.
    const again = cli(['sweep', ...common(srv)]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /red cards\s+0\n\s+escalated\s+0\n/);
    assert.match(again.stdout, /examined\s+0 orders/);
    // The run is in the audit log, as the console's.
    const audit = cli(['audit', 'list', ...common(srv)]);
    assert.match(audit.stdout, /workorder sweep.*1 red, 1 escalated, 0 errors/);
  });

  test('--now must be a past local time', () => {
    const future = cli(['sweep', '--now', '2099-01-01 09:00', ...common(srv)]);
    assert.equal(future.status, 2);
    assert.match(future.stderr, /in the future/);
    const bad = cli(['sweep', '--now', 'yesterday', ...common(srv)]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--now must be a time such as/);
    const past = cli(['sweep', '--now', '2026-10-20 09:00', '--dry-run', ...common(srv)]);
    assert.equal(past.status, 0, past.stderr);
    assert.match(past.stdout, /sweep as of 2026-10-20T09:00:00\+08:00/);
  });
});
