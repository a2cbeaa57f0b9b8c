// webhook.test.mjs - outbound webhooks against receivers on 127.0.0.1: delivery with a valid
// HMAC-SHA256 signature, retry after a 500 with backoff, failure after the last attempt shown in
// the admin view, URLs that are not http(s) refused, and two servers on one database delivering
// every row once.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { startServer, BIN, WEB_ROOT } from './harness.mjs';

const BACKOFF = 1;	// seconds (--webhook-backoff)
const ATTEMPTS = 3;	// --webhook-attempts
let srv;
let court;	// a courtyard of the demo tree
const receivers = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A receiver: answer(n, req) gives the status of the n-th call (from 1); every call is recorded.
function receiver(answer = () => 200) {
  return new Promise((resolve) => {
    const calls = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        calls.push({ at: Date.now(), headers: req.headers, body, method: req.method, url: req.url });
        res.writeHead(answer(calls.length, req));
        res.end();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const r = { calls, url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((c) => server.close(c)) };
      receivers.push(r);
      resolve(r);
    });
  });
}

async function until(what, cond, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await cond();
    if (v) return v;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function subscribe(body) {
  const r = await srv.post('/api/v1/webhooks', body);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

let seq = 0;
async function fileOrder(client = srv) {
  const r = await client.post('/api/v1/work-orders', {
    source: 'phone', type: 'complaint', category_id: 2, node_id: court, text: `楼道杂物 ${++seq}`,
    caller_name: '李四', caller_phone: '13900002222',
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const sign = (secret, ts, body) => `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;

before(async () => {
  srv = await startServer({ demo: true, demoArgs: ['--no-orders'],
    args: ['--webhook-interval', '100', '--webhook-backoff', String(BACKOFF), '--webhook-attempts', String(ATTEMPTS)] });
  const nodes = await srv.get('/api/v1/nodes?level=courtyard&limit=5');
  court = nodes.body.items[0].id;
});

after(async () => {
  await srv?.stop();
  for (const r of receivers) await r.close();
});

describe('subscribers', () => {
  test('only http and https URLs, known events, secrets of 16+ characters', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)', 'http://', 'https:///x',
      '127.0.0.1:8080/x', 'http://exa mple.com/', 'gopher://127.0.0.1:25/']) {
      const r = await srv.post('/api/v1/webhooks', { url });
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.equal(r.body.error.field, 'url', url);
    }
    for (const events of [[], ['order.deleted'], ['order.created', 'order.created']]) {
      const r = await srv.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', events });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.field, 'events');
    }
    const r = await srv.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', secret: 'short' });
    assert.equal(r.body.error.field, 'secret');
    assert.equal((await srv.get('/api/v1/webhooks')).body.items.length, 0, 'nothing was added');
  });

  test('a generated secret is shown once; lists and gets never show it', async () => {
    const w = await subscribe({ url: 'http://127.0.0.1:9/never', active: false });
    assert.match(w.secret, /^[0-9a-f]{64}$/);
    assert.deepEqual(w.events, ['order.created', 'order.state_changed', 'card.issued', 'order.closed']);
    const one = await srv.get(`/api/v1/webhooks/${w.id}`);
    assert.equal(one.status, 200);
    assert.ok(!one.text.includes(w.secret) && !('secret' in one.body));
    assert.ok(!(await srv.get('/api/v1/webhooks')).text.includes(w.secret));
    assert.equal((await srv.get('/api/v1/webhooks/999999')).status, 404);
  });
});

describe('delivery', () => {
  test('an order\'s events arrive signed, with the order and without its caller', async () => {
    const rx = await receiver();
    const secret = 'test-secret-0123456789';
    const w = await subscribe({ url: rx.url, secret, events: ['order.created', 'order.state_changed'] });
    const order = await fileOrder();
    await until('created and state_changed', () => rx.calls.length >= 2);
    const kinds = rx.calls.map((c) => c.headers['x-yuanluo-event']).sort();
    assert.deepEqual(kinds, ['order.created', 'order.state_changed']);
    for (const c of rx.calls) {
      assert.equal(c.method, 'POST');
      assert.equal(c.headers['content-type'], 'application/json');
      const ts = c.headers['x-yuanluo-timestamp'];
      assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 60, 'timestamp is now');
      assert.equal(c.headers['x-yuanluo-signature'], sign(secret, ts, c.body), 'signature');
      assert.notEqual(c.headers['x-yuanluo-signature'], sign('another-secret-000000', ts, c.body));
      const p = JSON.parse(c.body);
      assert.equal(p.order.id, order.id);
      assert.equal(p.order.number, order.number);
      assert.equal(p.event, c.headers['x-yuanluo-event']);
      assert.ok(!c.body.includes('李四') && !c.body.includes('13900002222'), 'no caller');
    }
    const created = JSON.parse(rx.calls.find((c) => c.headers['x-yuanluo-event'] === 'order.created').body);
    assert.equal(created.order.from_state, null);
    // The receiver has answered; the sender records that just after: wait for it.
    const view = await until('both marked delivered', async () => {
      const v = await srv.get(`/api/v1/webhooks/deliveries?subscriber_id=${w.id}`);
      assert.equal(v.status, 200, v.text);
      return v.body.items.length === 2 && v.body.items.every((d) => d.state === 'delivered') ? v : null;
    });
    assert.ok(view.body.items.every((d) => d.attempts === 1 && d.last_status === 200), view.text);
    await srv.patch(`/api/v1/webhooks/${w.id}`, { active: false });
  });

  test('a receiver\'s 500 is retried after the backoff; the delivery id stays the same', async () => {
    const rx = await receiver((n) => (n === 1 ? 500 : 204));
    const w = await subscribe({ url: rx.url, events: ['order.created'] });
    await fileOrder();
    await until('the retry', () => rx.calls.length >= 2);
    const [a, b] = rx.calls;
    assert.equal(a.headers['x-yuanluo-delivery'], b.headers['x-yuanluo-delivery']);
    assert.ok(b.at - a.at >= BACKOFF * 1000 - 150, `retried after ${b.at - a.at} ms, backoff ${BACKOFF}s`);
    // Once the row is marked delivered (after the receiver's answer) no sender can claim it again.
    const d = await until('delivered', async () => (await srv.get(`/api/v1/webhooks/deliveries?subscriber_id=${w.id}`))
      .body.items.find((x) => x.state === 'delivered'));
    assert.equal(rx.calls.length, 2, 'a delivered row is not sent again');
    assert.equal(d.attempts, 2);
    assert.equal(d.last_status, 204);
    await srv.patch(`/api/v1/webhooks/${w.id}`, { active: false });
  });

  test('after the last attempt a delivery fails, with the backoff doubling, and shows in the admin view', async () => {
    const rx = await receiver(() => 500);
    const w = await subscribe({ url: rx.url, events: ['order.created'] });
    await fileOrder();
    const d = await until('failed', async () => (await srv.get(`/api/v1/webhooks/deliveries?state=failed&subscriber_id=${w.id}`))
      .body.items[0], 20000);
    assert.equal(rx.calls.length, ATTEMPTS);
    const gaps = rx.calls.slice(1).map((c, i) => c.at - rx.calls[i].at);
    assert.ok(gaps[0] >= BACKOFF * 1000 - 150, `first gap ${gaps[0]}`);
    assert.ok(gaps[1] >= 2 * BACKOFF * 1000 - 150, `second gap ${gaps[1]} doubles`);
    assert.equal(d.attempts, ATTEMPTS);
    assert.equal(d.last_status, 500);
    assert.match(d.last_error, /500/);
    const view = await srv.get('/api/v1/webhooks/deliveries?state=failed');
    assert.ok(view.body.backlog.failed >= 1);
    const sub = await srv.get(`/api/v1/webhooks/${w.id}`);
    assert.equal(sub.body.deliveries.failed, 1);
    // By hand: a failed delivery goes again; a delivered one cannot.
    await srv.patch(`/api/v1/webhooks/${w.id}`, { url: rx.url.replace('/hook', '/ok') });
    const again = await srv.post(`/api/v1/webhooks/deliveries/${d.id}/retry`, {});
    assert.equal(again.status, 200, again.text);
    assert.equal((await srv.post(`/api/v1/webhooks/deliveries/${d.id}/retry`, {})).status, 409);
    assert.equal((await srv.post('/api/v1/webhooks/deliveries/999999/retry', {})).status, 404);
    await until('the retry by hand', () => rx.calls.length > ATTEMPTS);
    await srv.patch(`/api/v1/webhooks/${w.id}`, { active: false });
  });

  test('an order that is refused writes no outbox row; an inactive subscriber gets nothing', async () => {
    const rx = await receiver();
    const w = await subscribe({ url: rx.url, events: ['order.created'], active: false });
    const before = (await srv.get('/api/v1/webhooks/deliveries?limit=500')).body.backlog;
    const bad = await srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: court,
      text: 'x', caller_phone: '123' });
    assert.equal(bad.status, 400);
    await fileOrder();
    // Outbox rows are written in the order's own transaction: with none written, nothing can be sent
    // later, so there is nothing to wait for.
    const afterB = (await srv.get('/api/v1/webhooks/deliveries?limit=500')).body.backlog;
    assert.equal(afterB.pending + afterB.delivered + afterB.failed, before.pending + before.delivered + before.failed);
    const mine = (await srv.get(`/api/v1/webhooks/${w.id}`)).body.deliveries;
    assert.deepEqual(Object.values(mine).filter((n) => n !== 0), [], JSON.stringify(mine));
    assert.equal(rx.calls.length, 0);
  });

  test('the admin view is for administrators only', async () => {
    const sd = (await srv.get('/api/v1/nodes?level=subdistrict&limit=5')).body.items[0].id;
    const r = await srv.post('/api/v1/users', { login: 'wh-staff', role: 'subdistrict_staff', password: 'Init-Pass-2026',
      scope_node_id: sd });
    assert.equal(r.status, 201, r.text);
    const staff = await srv.loginAs('wh-staff', 'Init-Pass-2026', 'Staff-Pass-2026!');
    assert.equal((await staff.get('/api/v1/webhooks/deliveries')).status, 403);
    assert.equal((await staff.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/' })).status, 403);
    assert.equal((await srv.anonymous().get('/api/v1/webhooks')).status, 401);
  });
});

describe('several servers on one database', () => {
  test('every row is delivered, and none twice, while two servers claim', async () => {
    const rx = await receiver();
    const w = await subscribe({ url: rx.url, events: ['order.created', 'order.state_changed'] });
    const second = spawn(BIN, ['serve', '--db', srv.db, '--key-file', srv.key, '--listen', '127.0.0.1:0',
      '--web-root', WEB_ROOT, '--threads', '1', '--sweep-interval', '0', '--webhook-interval', '50'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    second.stderr.on('data', (d) => { log += d; });
    try {
      await until('the second server', () => /webhook deliveries every/.test(log), 10000);
      const N = 15;
      for (let i = 0; i < N; i++) await fileOrder();
      await until('all deliveries', () => rx.calls.length >= 2 * N, 20000);
      // Every row marked delivered: a row is marked only by the server that last claimed it, after its
      // send, and nobody claims a delivered row, so no send of these can still be on its way.
      await until('every row marked delivered', async () => {
        const b = (await srv.get(`/api/v1/webhooks/deliveries?subscriber_id=${w.id}&limit=500`)).body;
        return b.items.length === 2 * N && b.items.every((d) => d.state === 'delivered');
      });
      const ids = rx.calls.map((c) => c.headers['x-yuanluo-delivery']);
      assert.equal(new Set(ids).size, ids.length, 'no delivery twice');
      assert.equal(ids.length, 2 * N);
    } finally {
      const exited = new Promise((r) => second.once('exit', r));
      process.kill(second.pid, 'SIGTERM');
      await exited;
    }
  });
});
