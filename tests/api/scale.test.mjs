// scale.test.mjs - several app servers on one PostgreSQL behind nginx (issue 5): the servers keep no
// state of their own, so requests spread over both give the same results as with one server.
// Runs under `make test-pg` (YUANLUO_TEST_PG), which installs nginx; skipped under `make test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, sqlite, PG, ADMIN_PASSWORD } from './harness.mjs';

const NGINX = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
// Under make test-pg nginx is installed (tools/deps.sh pg): missing, the tests fail rather than skip.
const skip = !PG ? 'needs PostgreSQL (make test-pg)' : false;

let a, b, proxy, dir;
const PW = 'Yuanluo-Test-2026!';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startNginx(ports) {
  dir = mkdtempSync(join(tmpdir(), 'yuanluo-nginx-'));
  const port = await freePort();
  const conf = `
${process.getuid && process.getuid() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream yuanluo { ${ports.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 8; }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 10m;
    location / {
      proxy_pass http://yuanluo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      add_header X-Upstream $upstream_addr always;
    }
  }
}`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => { err += c; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${err}`);
    try { await fetch(`${base}/api/v1/auth/me`); return { base, child }; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not start: ${err}`);
}

// A client through nginx: a session cookie and CSRF token like the browser's; notes which upstream answered.
function client(base, session) {
  const seen = new Set();
  const req = async (method, path, body) => {
    const headers = { 'Content-Type': 'application/json' };
    if (session) { headers.Cookie = session.cookie; headers['X-CSRF-Token'] = session.csrf; }
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    seen.add(res.headers.get('x-upstream'));
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: json, text };
  };
  return { seen, get: (p) => req('GET', p), post: (p, b) => req('POST', p, b) };
}

async function login(base, loginName, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: loginName, password }),
  });
  const body = await res.json();
  return { status: res.status, body, cookie: (res.headers.get('set-cookie') || '').split(';')[0], csrf: body.csrf_token };
}

before(async () => {
  if (skip) return;
  assert.ok(NGINX, 'nginx is not installed: run tools/deps.sh pg as root');
  const args = ['--sweep-interval', '1', '--log-level', 'debug', '--trusted-proxies', '127.0.0.1'];
  a = await startServer({ args });
  b = await startServer({ share: a, args });
  proxy = await startNginx([a.port, b.port]);
});

after(async () => {
  if (proxy) { proxy.child.kill('SIGTERM'); await new Promise((r) => proxy.child.once('exit', r)); }
  if (b) await b.stop();
  if (a) await a.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a session made on one server is good on the other; requests spread over both', { skip }, async () => {
  const s = await login(proxy.base, 'admin', ADMIN_PASSWORD);
  assert.equal(s.status, 200, JSON.stringify(s.body));
  const c = client(proxy.base, s);
  for (let i = 0; i < 10; i++) assert.equal((await c.get('/api/v1/auth/me')).status, 200);
  assert.equal(c.seen.size, 2, `both upstreams answered: ${[...c.seen]}`);
});

test('writes through both servers are one deployment: ids, numbers and lists agree', { skip }, async () => {
  const s = await login(proxy.base, 'admin', ADMIN_PASSWORD);
  const c = client(proxy.base, s);
  const sub = (await c.post('/api/v1/nodes', { level: 'subdistrict', name: '明水街道' })).body.id;
  const com = (await c.post('/api/v1/nodes', { level: 'community', name: '龙泉社区', parent_id: sub })).body.id;
  const yard = (await c.post('/api/v1/nodes', { level: 'courtyard', name: '君临天下', parent_id: com, kind: 'residential' })).body.id;
  // Concurrent intake over both servers: every order its own number, none lost.
  const made = await Promise.all(Array.from({ length: 24 }, (_, i) => c.post('/api/v1/work-orders', {
    source: 'phone', type: 'help', category: '城乡建设>物业管理', node_id: yard,
    text: `楼道灯坏了 第${i}号`, caller_name: '张女士', caller_phone: '13812345678',
  })));
  for (const r of made) assert.equal(r.status, 201, r.text);
  const numbers = new Set(made.map((r) => r.body.number));
  assert.equal(numbers.size, 24, 'every order has its own number');
  assert.equal(c.seen.size, 2, 'both servers took orders');
  // Each server alone sees them all, and the same page.
  const pa = await a.get(`/api/v1/work-orders?under=${yard}&limit=100`);
  const pb = await b.get(`/api/v1/work-orders?under=${yard}&limit=100`);
  assert.equal(pa.status, 200, pa.text);
  assert.equal(pa.body.items.length, 24);
  assert.deepEqual(pa.body.items.map((o) => o.id), pb.body.items.map((o) => o.id));
  // A search on either finds the same order.
  const qa = await a.get(`/api/v1/work-orders?q=${encodeURIComponent('第7号')}`);
  const qb = await b.get(`/api/v1/work-orders?q=${encodeURIComponent('第7号')}`);
  assert.equal(qa.body.items.length, 1, qa.text);
  assert.deepEqual(qa.body.items, qb.body.items);
});

// A login from a given local address (the loopback has them all), through nginx.
function loginFrom(base, localAddress, loginName, password, headers = {}) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ login: loginName, password });
    const req = http.request({
      host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/auth/login',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, upstream: res.headers['x-upstream'], text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('login throttling counts failures on every server together, by the client address nginx saw', { skip }, async () => {
  const made = await a.post('/api/v1/users', { login: 'wang', role: 'community_staff', password: 'Initial-Pass-2026!',
    scope_node_id: (await a.get('/api/v1/nodes?level=community')).body.items[0].id });
  assert.equal(made.status, 201, made.text);
  const upstreams = new Set();
  for (let i = 0; i < 5; i++) {
    // The client writes an X-Forwarded-For of its own: only what nginx added is believed.
    const r = await loginFrom(proxy.base, '127.0.0.2', 'wang', `wrong-${i}`, { 'X-Forwarded-For': '10.0.0.9' });
    upstreams.add(r.upstream);
    assert.equal(r.status, 401, r.text);
  }
  assert.equal(upstreams.size, 2, 'the failures went to both servers');
  const remotes = sqlite(a.db, "SELECT DISTINCT remote FROM audit_log WHERE login = 'wang' AND result = 'failure';").trim();
  assert.equal(remotes, '127.0.0.2', 'the audit log names the client, not nginx nor the forged address');
  // Locked now on both servers, even with the right password.
  for (const srv of [a, b]) {
    const r = await fetch(`${srv.base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'wang', password: 'Initial-Pass-2026!' }),
    });
    const body = await r.json();
    assert.ok(r.status === 401 || r.status === 403, `server ${srv.port}: ${r.status}`);
    assert.match(body.error.message, /too many failed logins/);
  }
});

// Polls cond() every 100 ms until it gives a value, for at most ms.
async function waitFor(what, cond, ms = 15000) {
  for (const end = Date.now() + ms; ;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const lease = () => sqlite(a.db, "SELECT holder, until FROM sweeper_lease WHERE name = 'workorders';").trim();

test('one sweeper at a time: one server holds the lease, the other finds it held', { skip }, async () => {
  // Both sweep every second: wait until one holds the lease and the other has found it held.
  await waitFor('a lease held, and found held by the other server',
    () => lease() && /holds the lease until/.test(a.log() + b.log()));
  const [holder, until] = lease().split('|');
  const pids = [a.pid, b.pid];
  const mine = pids.filter((p) => holder.endsWith(`:${p}`));
  assert.equal(mine.length, 1, `the holder ${holder} is one of ${pids}`);
  assert.ok(Number(until) > Date.now() / 1000, 'the lease is current');
  const other = holder.endsWith(`:${a.pid}`) ? b : a;
  assert.match(other.log(), /holds the lease until/, 'the other server saw the lease held and did not sweep');
  assert.doesNotMatch(other.log(), /holds the lease until[^\n]*\n[^\n]*sweep: \d+ yellow/);
});

test('a server that stops hands the lease on: the other sweeps from then', { skip }, async () => {
  const holder = sqlite(a.db, "SELECT holder FROM sweeper_lease WHERE name = 'workorders';").trim();
  const [gone, stays] = holder.endsWith(`:${a.pid}`) ? [a, b] : [b, a];
  // Stopping the holder gives the lease back; the other takes it at its next period.
  const stopped = await gone.stop({ keep: true });	// after() cleans up
  assert.equal(stopped, 0);
  let now = '';
  await waitFor(`the lease to move to the server left (pid ${stays.pid})`, () => {
    now = sqlite(stays.db, "SELECT holder FROM sweeper_lease WHERE name = 'workorders';").trim();
    return now.endsWith(`:${stays.pid}`);
  });
  // And the deployment still answers through nginx (nginx skips the stopped upstream).
  const s = await login(proxy.base, 'admin', ADMIN_PASSWORD);
  assert.equal(s.status, 200);
});
