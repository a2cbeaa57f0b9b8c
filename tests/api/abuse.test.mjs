// abuse.test.mjs - what a hostile or broken client cannot do: send heads or bodies past the limits,
// exhaust the connections by holding them open (1,000 idle connections while others are served;
// --conn-timeout drops the idle ones; --max-conns-per-ip caps one address), guess passwords faster
// than the lockout allows, or upload past the photo limits.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, errorOf } from './harness.mjs';

let srv;	// default connection settings, small head limit
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One raw exchange; resolves { status, head, body } when the server closes or the answer is complete.
function raw(port, text, { timeoutMs = 5000, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress });
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no answer within ${timeoutMs} ms`)); }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const buf = Buffer.concat(chunks).toString('latin1');
      const i = buf.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      if (!m) { reject(new Error(`no HTTP answer: ${JSON.stringify(buf.slice(0, 200))}`)); return; }
      resolve({ status: Number(m[1]), head: buf.slice(0, i), body: i >= 0 ? buf.slice(i + 4) : '' });
    };
    sock.on('connect', () => sock.write(text));
    sock.on('data', (d) => {
      chunks.push(d);
      const b = Buffer.concat(chunks).toString('latin1');
      const i = b.indexOf('\r\n\r\n');
      const cl = /\r\ncontent-length: *(\d+)/i.exec(b);
      if (i >= 0 && cl && b.length - i - 4 >= Number(cl[1])) sock.destroy();
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', finish);
  });
}

// Opens n connections that send half a request head and then nothing (a slow client).
async function idle(port, n, localAddress) {
  const socks = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => new Promise((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1', localAddress });
      s.closedByServer = false;
      s.on('connect', () => { s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); resolve(s); });
      s.on('error', () => { s.closedByServer = true; resolve(s); });
      s.on('close', () => { s.closedByServer = true; });
      s.on('data', () => {});
    })));
    socks.push(...batch);
  }
  return socks;
}

const closeAll = (socks) => socks.forEach((s) => s.destroy());

before(async () => {
  srv = await startServer({ args: ['--max-header', '8192', '--max-body', '6291456'] });
});

after(async () => {
  if (srv) assert.equal(await srv.stop(), 0, srv.log().slice(-3000));
});

describe('request size limits', () => {
  test('a header larger than --max-header is refused with 431 and a JSON error, and the server keeps serving', async () => {
    const r = await raw(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`);
    assert.equal(r.status, 431, r.head);
    assert.match(r.head, /content-type: application\/json/i);
    assert.equal(JSON.parse(r.body).error.code, 'header_too_large');
    // Just within the limit is served.
    const fits = await raw(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Mid: ${'a'.repeat(7000)}\r\n\r\n`);
    assert.equal(fits.status, 200, fits.head);
    assert.equal((await srv.get('/healthz')).status, 200);
  });

  test('a head far over --max-header is still refused with 431 (libmicrohttpd\'s own answer)', async () => {
    const r = await raw(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`);
    assert.equal(r.status, 431, r.head);
    assert.equal((await srv.get('/healthz')).status, 200);
  });

  test('many small headers past --max-header together are refused too', async () => {
    const hs = Array.from({ length: 600 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const r = await raw(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${hs}\r\n`);
    assert.ok(r.status === 431 || r.status === 400, `${r.status} ${r.head}`);
    assert.equal((await srv.get('/healthz')).status, 200);
  });

  test('a URL longer than the head limit is refused with 414 or 431', async () => {
    const r = await raw(srv.port, `GET /api/v1/work-orders?q=${'x'.repeat(10000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.ok(r.status === 414 || r.status === 431, `${r.status} ${r.head}`);
    if (r.status === 431) assert.equal(JSON.parse(r.body).error.code, 'header_too_large');
    const huge = await raw(srv.port, `GET /api/v1/work-orders?q=${'x'.repeat(40000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.ok(huge.status === 414 || huge.status === 431, `${huge.status} ${huge.head}`);
    assert.equal((await srv.get('/healthz')).status, 200);
  });

  test('a declared body over --max-body is refused with 413 JSON before it is sent', async () => {
    // Content-Length says 2 GB, nothing follows: the answer must come without waiting for the bytes.
    const r = await raw(srv.port, `POST /api/v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n`);
    assert.equal(r.status, 413);
    const e = JSON.parse(r.body).error;
    assert.equal(e.code, 'body_too_large');
  });

  test('a Content-Length that is no number is refused, not read as 0', async () => {
    const r = await raw(srv.port, `POST /api/v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n{}`);
    assert.ok(r.status === 400 || r.status === 413, `${r.status} ${r.head}`);
  });
});

describe('slow clients and connections', () => {
  test('1,000 idle half-sent connections: other clients are still served promptly', { timeout: 60000 }, async () => {
    const socks = await idle(srv.port, 1000, '127.0.0.2');
    try {
      const open = socks.filter((s) => !s.closedByServer).length;
      assert.ok(open >= 990, `only ${open} of 1000 idle connections were accepted`);
      const t0 = Date.now();
      const res = await Promise.all(Array.from({ length: 40 }, () => srv.get('/healthz')));
      for (const r of res) assert.equal(r.status, 200);
      const list = await srv.get('/api/v1/nodes');
      assert.equal(list.status, 200, list.text);
      assert.ok(Date.now() - t0 < 5000, `40 requests took ${Date.now() - t0} ms beside the idle connections`);
    } finally {
      closeAll(socks);
    }
  });

  test('--conn-timeout drops idle connections, so slow clients cannot hold --max-conns for ever', { timeout: 30000 }, async () => {
    const s = await startServer({ args: ['--conn-timeout', '2', '--max-conns', '40'], login: false });
    try {
      const socks = await idle(s.port, 40, '127.0.0.3');
      // Every slot is taken: a new client finds no room (closed or left waiting).
      const refused = await raw(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { timeoutMs: 800 })
        .then((r) => r.status !== 200, () => true);
      assert.ok(refused, 'a 41st connection was served beyond --max-conns 40');
      // Polled: every idle connection closed by the server, at most 10 s after the 2 s timeout.
      for (const end = Date.now() + 12000; socks.some((x) => !x.closedByServer) && Date.now() < end;) await sleep(100);
      const closed = socks.filter((x) => x.closedByServer).length;
      assert.equal(closed, 40, `${closed} of 40 idle connections closed after the 2 s timeout`);
      const r = await raw(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.equal(r.status, 200);
      closeAll(socks);
    } finally {
      await s.stop();
    }
  });

  test('--max-conns-per-ip: one address holding its share leaves room for the others', { timeout: 30000 }, async () => {
    const s = await startServer({ args: ['--max-conns-per-ip', '20'], login: false });
    try {
      const socks = await idle(s.port, 30, '127.0.0.4');
      // Polled: the connections beyond the share closed by the server, for at most 5 s.
      for (const end = Date.now() + 5000; socks.filter((x) => !x.closedByServer).length > 20 && Date.now() < end;) await sleep(50);
      const open = socks.filter((x) => !x.closedByServer).length;
      assert.ok(open <= 20, `${open} connections from one address were kept, limit 20`);
      const r = await raw(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { localAddress: '127.0.0.5' });
      assert.equal(r.status, 200);
      closeAll(socks);
    } finally {
      await s.stop();
    }
  });
});

describe('login throttling', () => {
  test('a burst of 30 concurrent wrong passwords locks the account: then even the right one is refused', async () => {
    const pw = 'Init-Pass-2026';
    const user = await srv.post('/api/v1/users', { login: 'burst-target', role: 'admin', password: pw });
    assert.equal(user.status, 201, user.text);
    const anon = srv.anonymous();
    const res = await Promise.all(Array.from({ length: 30 }, () => anon.post('/api/v1/auth/login',
      { login: 'burst-target', password: 'wrong-password-123' })));
    for (const r of res) assert.equal(r.status, 401, r.text);
    const right = await anon.post('/api/v1/auth/login', { login: 'burst-target', password: pw });
    assert.equal(right.status, 401, right.text);
    assert.match(errorOf(right).message, /too many failed logins/);
    // The lock is on the account and the address it came from, not on everyone: the administrator's session works.
    assert.equal((await srv.get('/api/v1/auth/me')).status, 200);
  });
});

describe('upload limits', () => {
  const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  function form(parts) {
    const boundary = '----yl' + Math.random().toString(16).slice(2);
    const chunks = [];
    for (const [name, data, filename, type] of parts) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`));
      chunks.push(data, Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
  }

  async function post(body, type) {
    const res = await fetch(`${srv.base}/api/v1/uploads`, {
      method: 'POST', body,
      headers: { 'Content-Type': type, Cookie: srv.session.cookie, 'X-CSRF-Token': srv.session.csrf },
    });
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : text };
  }

  test('a photo one byte over 5 MiB is refused with 413 naming the field', async () => {
    const big = Buffer.concat([PNG_HEAD, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG_HEAD.length, 1)]);
    const f = form([['file', big, 'big.png', 'image/png']]);
    const r = await post(f.body, f.type);
    assert.equal(r.status, 413, r.text);
    assert.equal(errorOf(r).field, 'file');
    const rawBody = await post(big, 'image/png');
    assert.equal(rawBody.status, 413, rawBody.text);
  });

  test('more than 10 files in one request are refused with 400 too_many_files', async () => {
    const parts = Array.from({ length: 11 }, (_, i) => ['file', PNG_HEAD, `p${i}.png`, 'image/png']);
    const f = form(parts);
    const r = await post(f.body, f.type);
    assert.equal(r.status, 400, r.text);
    assert.equal(errorOf(r).code, 'too_many_files');
  });

  test('a whole body over --max-body is refused with 413 even when sent without a length (chunked)', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 2);
    let sent = 0;
    const stream = new ReadableStream({
      pull(c) { if (sent >= 7) c.close(); else { sent++; c.enqueue(chunk); } },
    });
    const res = await fetch(`${srv.base}/api/v1/uploads`, {
      method: 'POST', body: stream, duplex: 'half',
      headers: { 'Content-Type': 'image/png', Cookie: srv.session.cookie, 'X-CSRF-Token': srv.session.csrf },
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, 'body_too_large');
  });
});
