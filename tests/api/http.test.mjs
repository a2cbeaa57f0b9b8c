// http.test.mjs - black-box tests of the transport: health, routing errors, static files,
// security headers, limits, keep-alive, concurrency, graceful shutdown and the access log.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, errorOf } from './harness.mjs';

let server;
let tmp;
let webRoot;

const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
const HIDDEN = 'HIDDEN-SECRET-IN-THE-ROOT';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00]);

// The files of the temporary web root and the Content-Type each must be served with.
const FILES = {
  'index.html': ['<!doctype html><title>首页</title>', /^text\/html\b/],
  'app.js': ['export const a = 1;\n', /^(text|application)\/javascript\b/],
  'mod.mjs': ['export default 2;\n', /^(text|application)\/javascript\b/],
  'style.css': ['body { color: red; }\n', /^text\/css\b/],
  'data.json': ['{"a":1}\n', /^application\/json\b/],
  'logo.svg': ['<svg xmlns="http://www.w3.org/2000/svg"/>', /^image\/svg\+xml\b/],
  'pic.png': [PNG, /^image\/png$/],
  'photo.jpg': [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), /^image\/jpeg$/],
  'font.woff2': [Buffer.from('wOF2....'), /^font\/woff2$/],
  'readme.txt': ['纯文本\n', /^text\/plain\b/],
  'table.csv': ['a,b\n1,2\n', /^text\/csv\b/],
  'favicon.ico': [Buffer.from([0, 0, 1, 0]), /^image\/(x-icon|vnd\.microsoft\.icon)$/],
  'site.webmanifest': ['{"name":"院落"}', /^application\/manifest\+json\b/],
  'blob.bin': [Buffer.from([1, 2, 3, 4]), /^application\/octet-stream$/],
  'sub/page.html': ['<p>sub page</p>', /^text\/html\b/],
  'sub/index.html': ['<p>sub index</p>', /^text\/html\b/],
};

// One raw HTTP/1.1 exchange on a fresh socket (no client-side path normalisation).
// Resolves { status, headers, body (Buffer), raw } once the server closes the connection.
function rawRequest(port, text, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no answer within ${timeoutMs} ms`)); }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      const buf = Buffer.concat(chunks);
      if (!buf.length) { reject(new Error('connection closed without an answer')); return; }
      resolve(parseResponse(buf));
    };
    sock.on('connect', () => sock.write(text));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => sock.destroy());
    sock.on('close', done);
  });
}

function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  const head = buf.subarray(0, end < 0 ? buf.length : end).toString('latin1');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  return { status: m ? Number(m[1]) : 0, headers, body: end < 0 ? Buffer.alloc(0) : buf.subarray(end + 4), raw: buf };
}

// The administrator's session, for requests made without the harness's client: the cookie on
// every API request, the CSRF token as well on writes.
const authHeaders = (s = server, write = false) =>
  ({ Cookie: s.session.cookie, ...(write ? { 'X-CSRF-Token': s.session.csrf } : {}) });
const authHead = (s = server, write = false) =>
  Object.entries(authHeaders(s, write)).map(([k, v]) => `${k}: ${v}\r\n`).join('');

const rawGet = (path, extra = '') =>
  rawRequest(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);

// The access-log lines (JSON objects) the server has written to stderr so far.
function accessLines(s = server) {
  return s.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

// Waits (bounded) for an access-log line matching pred.
async function waitForLog(pred, s = server, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const hit = accessLines(s).find(pred);
    if (hit || Date.now() > until) return hit;
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'yuanluo-http-'));
  webRoot = join(tmp, 'web');
  mkdirSync(join(webRoot, 'sub'), { recursive: true });
  mkdirSync(join(webRoot, '.hidden'));
  mkdirSync(join(webRoot, 'api'));
  mkdirSync(join(tmp, 'outside'));
  for (const [name, [content]] of Object.entries(FILES)) writeFileSync(join(webRoot, name), content);
  writeFileSync(join(tmp, 'secret.txt'), SECRET);
  writeFileSync(join(tmp, 'outside', 'secret.txt'), SECRET);
  writeFileSync(join(webRoot, '.secret'), HIDDEN);
  writeFileSync(join(webRoot, '.hidden', 'a.txt'), HIDDEN);
  writeFileSync(join(webRoot, 'sub', '.env'), HIDDEN);
  writeFileSync(join(webRoot, 'api', 'leak.json'), `{"s":"${HIDDEN}"}`);
  symlinkSync(join(tmp, 'secret.txt'), join(webRoot, 'link.txt'));
  symlinkSync(join(tmp, 'outside'), join(webRoot, 'linkdir'));
  server = await startServer({ args: ['--web-root', webRoot, '--max-body', '4096', '--max-header', '16384'] });
});

after(async () => {
  if (server) await server.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('health and routing errors', () => {
  test('GET /healthz answers ok with the schema version', async () => {
    const res = await server.get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(Object.keys(res.body).sort(), ['group_commit', 'schema_version', 'status']);
    assert.equal(res.body.status, 'ok');
    assert.ok(Number.isInteger(res.body.schema_version) && res.body.schema_version > 0);
    const head = await fetch(`${server.base}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('an unknown path gives 404 with a JSON error', async () => {
    for (const p of ['/nope', '/api/v1/nope', '/api/v2/nodes', '/no/such/file.js', '/healthz/x']) {
      const res = await server.get(p);
      assert.equal(res.status, 404, `${p}: ${res.text}`);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.equal(errorOf(res).code, 'not_found');
    }
  });

  test('paths under /api/ are never served from the web root', async () => {
    const res = await server.get('/api/leak.json');
    assert.equal(res.status, 404);
    errorOf(res);
    assert.ok(!res.text.includes(HIDDEN));
  });

  const WRONG_METHODS = [['POST', '/healthz', 'GET'], ['DELETE', '/api/v1/nodes', 'GET, POST'],
    ['PUT', '/api/v1/nodes/1', 'GET, PATCH'], ['POST', '/api/v1/nodes/1/history', 'GET']];

  test('a wrong method gives 405 with a JSON error', async () => {
    for (const [m, p] of WRONG_METHODS) {
      const res = await server.req(m, p);
      assert.equal(res.status, 405, `${m} ${p}`);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.equal(errorOf(res).code, 'method_not_allowed');
    }
  });

  test('a 405 answer lists the allowed methods in Allow (RFC 9110 15.5.6)', async () => {
    const missing = [];
    for (const [m, p, allow] of WRONG_METHODS) {
      const res = await server.req(m, p);
      assert.equal(res.status, 405);
      const got = (res.headers.get('allow') || '').split(',').map((x) => x.trim()).filter(Boolean);
      for (const want of allow.split(', ')) {
        if (!got.includes(want)) missing.push(`${m} ${p}: Allow '${res.headers.get('allow')}' lacks ${want}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('JSON answers carry Cache-Control no-store', async () => {
    const res = await server.get('/api/v1/nodes');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });
});

describe('static files', () => {
  test('each extension is served with its Content-Type, exact bytes and length', async () => {
    for (const [name, [content, type]] of Object.entries(FILES)) {
      const res = await fetch(`${server.base}/${name}`);
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get('content-type'), type, name);
      const body = Buffer.from(await res.arrayBuffer());
      assert.deepEqual(body, Buffer.from(content), name);
      assert.equal(Number(res.headers.get('content-length')), body.length, name);
    }
  });

  test('/ and a directory with a trailing slash serve their index.html', async () => {
    let res = await fetch(`${server.base}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.equal(await res.text(), FILES['index.html'][0]);
    res = await fetch(`${server.base}/sub/`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), FILES['sub/index.html'][0]);
  });

  test('HEAD of a file answers like GET without a body', async () => {
    const res = await fetch(`${server.base}/style.css`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/css/);
    assert.ok(res.headers.get('etag'));
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  test('a missing file gives 404 JSON', async () => {
    const res = await server.get('/missing.css');
    assert.equal(res.status, 404);
    errorOf(res);
  });

  test('ETag is present and If-None-Match gives 304; a changed file gets a new ETag', async () => {
    const first = await fetch(`${server.base}/app.js`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    assert.match(etag || '', /^(W\/)?"[^"]+"$/);
    const again = await fetch(`${server.base}/app.js`);
    await again.arrayBuffer();
    assert.equal(again.headers.get('etag'), etag, 'the ETag is stable');

    const nm = await fetch(`${server.base}/app.js`, { headers: { 'If-None-Match': etag } });
    assert.equal(nm.status, 304);
    assert.equal((await nm.arrayBuffer()).byteLength, 0);
    assert.equal(nm.headers.get('etag'), etag);

    const other = await fetch(`${server.base}/app.js`, { headers: { 'If-None-Match': '"not-the-etag"' } });
    assert.equal(other.status, 200);
    assert.equal(await other.text(), FILES['app.js'][0]);

    const htmlTag = (await fetch(`${server.base}/index.html`)).headers.get('etag');
    assert.notEqual(htmlTag, etag, 'different files have different ETags');
    const html304 = await fetch(`${server.base}/index.html`, { headers: { 'If-None-Match': htmlTag } });
    assert.equal(html304.status, 304);

    // Change the file (new content and a new modification time).
    writeFileSync(join(webRoot, 'app.js'), 'export const a = 22;\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(webRoot, 'app.js'), later, later);
    const changed = await fetch(`${server.base}/app.js`, { headers: { 'If-None-Match': etag } });
    assert.equal(changed.status, 200, 'the old ETag no longer matches');
    assert.equal(await changed.text(), 'export const a = 22;\n');
    assert.notEqual(changed.headers.get('etag'), etag);
    writeFileSync(join(webRoot, 'app.js'), FILES['app.js'][0]);
  });

  test('HTML is revalidated (no-cache); other assets may be cached', async () => {
    for (const p of ['/', '/index.html', '/sub/page.html']) {
      const res = await fetch(server.base + p);
      await res.arrayBuffer();
      assert.match(res.headers.get('cache-control') || '', /no-cache/, p);
    }
    const css = await fetch(`${server.base}/style.css`);
    await css.arrayBuffer();
    const cc = css.headers.get('cache-control') || '';
    assert.doesNotMatch(cc, /no-store/);
    assert.match(cc, /max-age=\d+/);
  });

  // Each path must get a 4xx and leak nothing; returns the list of violations.
  async function leaks(paths) {
    const bad = [];
    for (const p of paths) {
      const res = await rawGet(p);
      const body = res.body.toString('utf8');
      if (!(res.status >= 400 && res.status < 500)) bad.push(`${p}: status ${res.status}`);
      if (body.includes(SECRET) || body.includes(HIDDEN) || body.includes('root:x:0:0')) bad.push(`${p}: leaked ${body.slice(0, 60)}`);
    }
    return bad;
  }

  test('path traversal (.., %2e%2e, encoded slashes, backslashes) never leaves the root', async () => {
    assert.deepEqual(await leaks([
      '/../secret.txt',
      '/../../../../../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/sub/../../secret.txt',
      '/sub/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/sub/..%2f..%2fsecret.txt',
      '/.%2e/secret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '//etc/passwd',
    ]), []);
    // The server still serves normally afterwards.
    assert.equal((await rawGet('/index.html')).status, 200);
  });

  test('hidden files and folders are never served', async () => {
    assert.deepEqual(await leaks(['/.secret', '/%2esecret', '/.hidden/a.txt', '/%2ehidden/a.txt', '/sub/.env',
      '/.hidden/']), []);
  });

  test('symlinks inside the root, to a file or a folder outside it, are not followed', async () => {
    assert.deepEqual(await leaks(['/link.txt', '/linkdir/secret.txt']), []);
  });

});

describe('security headers', () => {
  test('Content-Security-Policy and X-Content-Type-Options on every kind of answer', async () => {
    const answers = [
      await fetch(`${server.base}/healthz`),
      await fetch(`${server.base}/index.html`),
      await fetch(`${server.base}/pic.png`),
      await fetch(`${server.base}/nope`),
      await fetch(`${server.base}/healthz`, { method: 'DELETE' }),
      await fetch(`${server.base}/api/v1/nodes`, { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } }),
      await fetch(`${server.base}/api/v1/nodes`,
        { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json', ...authHeaders(server, true) } }),
    ];
    for (const res of answers) {
      await res.arrayBuffer();
      const csp = res.headers.get('content-security-policy') || '';
      assert.match(csp, /default-src 'self'/, res.url);
      assert.match(csp, /object-src 'none'/, res.url);
      assert.match(csp, /frame-ancestors 'none'/, res.url);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, res.url);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.url);
    }
  });
});

describe('limits', () => {
  test('a body within --max-body is accepted', async () => {
    const body = JSON.stringify({ level: 'subdistrict', name: '限额街道' }) + ' '.repeat(3500);
    const res = await server.post('/api/v1/nodes', body);
    assert.equal(res.status, 201, res.text);
  });

  test('a body larger than --max-body gives 413 JSON, and nothing is written', async () => {
    const body = JSON.stringify({ level: 'subdistrict', name: '超限街道', address: 'x'.repeat(150) }) + ' '.repeat(5000);
    const res = await server.post('/api/v1/nodes', body);
    assert.equal(res.status, 413, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(errorOf(res).code, 'body_too_large');
    assert.equal((await server.get(`/api/v1/nodes?q=${encodeURIComponent('超限街道')}`)).body.total, 0);
    assert.equal((await server.get('/healthz')).status, 200);
  });

  test('a chunked body larger than --max-body gives 413 JSON', async () => {
    const res = await new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/nodes',
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...authHeaders(server, true) },
      }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d) => { text += d; });
        r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, text }));
      });
      req.on('error', reject);
      req.write(`{"level":"subdistrict","name":"分块街道"${' '.repeat(1000)}`);
      for (let i = 0; i < 6; i++) req.write(' '.repeat(1000));
      req.end('}');
    });
    assert.equal(res.status, 413, res.text);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(JSON.parse(res.text).error.code, 'body_too_large');
    assert.equal((await server.get(`/api/v1/nodes?q=${encodeURIComponent('分块街道')}`)).body.total, 0);
  });

  test('an oversized request head is refused with 4xx and the server keeps serving', async () => {
    const big = 'a'.repeat(64 * 1024);
    const res = await rawRequest(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${big}\r\nConnection: close\r\n\r\n`);
    assert.ok(res.status >= 400 && res.status < 500, `got ${res.status}`);
    const many = Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'b'.repeat(100)}\r\n`).join('');
    const res2 = await rawRequest(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${many}Connection: close\r\n\r\n`);
    assert.ok(res2.status >= 400 && res2.status < 500, `got ${res2.status}`);
    const longUrl = await rawRequest(server.port, `GET /healthz?x=${'c'.repeat(40000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(longUrl.status >= 400 && longUrl.status < 500, `got ${longUrl.status}`);
    // A head of a few KiB is fine, and the server still answers.
    const ok = await rawRequest(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Mid: ${'d'.repeat(4000)}\r\nConnection: close\r\n\r\n`);
    assert.equal(ok.status, 200);
    assert.equal((await server.get('/healthz')).status, 200);
  });
});

describe('connections', () => {
  test('keep-alive: several requests, errors and bodies included, reuse one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const one = (method, path, body) => new Promise((resolve, reject) => {
      const headers = body !== undefined
        ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...authHeaders(server, true) }
        : authHeaders(server);
      const req = http.request({ host: '127.0.0.1', port: server.port, method, path, agent, headers }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, reused: req.reusedSocket, socket: req.socket }));
      });
      req.on('error', reject);
      req.end(body);
    });
    try {
      const seq = [
        ['GET', '/healthz', undefined, 200],
        ['POST', '/api/v1/nodes', JSON.stringify({ level: 'subdistrict', name: '长连街道' }), 201],
        ['GET', '/nope', undefined, 404],
        ['POST', '/api/v1/nodes', '{bad', 400],
        ['GET', '/style.css', undefined, 200],
        ['DELETE', '/healthz', undefined, 405],
        ['GET', '/api/v1/nodes?limit=1', undefined, 200],
      ];
      const results = [];
      for (const [m, p, b, want] of seq) {
        const r = await one(m, p, b);
        assert.equal(r.status, want, `${m} ${p}: ${r.text}`);
        assert.notEqual((r.headers.connection || '').toLowerCase(), 'close', `${m} ${p} closed the connection`);
        results.push(r);
      }
      assert.equal(results[0].reused, false);
      for (const r of results.slice(1)) {
        assert.equal(r.reused, true);
        assert.equal(r.socket, results[0].socket);
      }
    } finally {
      agent.destroy();
    }
  });

  test('many concurrent requests, reads and writes, all succeed', async () => {
    const root = (await server.post('/api/v1/nodes', { level: 'subdistrict', name: '并发街道' })).body;
    const writes = Array.from({ length: 60 }, (_, i) =>
      server.post('/api/v1/nodes', { level: 'community', name: `并发社区${i}`, parent_id: root.id, code: `conc-${root.id}-${i}` }));
    const reads = Array.from({ length: 150 }, (_, i) => {
      const p = ['/healthz', '/api/v1/nodes?limit=5', '/index.html', `/api/v1/nodes/${root.id}`, '/api/v1/tree'][i % 5];
      return fetch(server.base + p, { headers: authHeaders() })
        .then(async (r) => ({ status: r.status, path: p, len: (await r.arrayBuffer()).byteLength }));
    });
    const [w, r] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    for (const res of w) assert.equal(res.status, 201, res.text);
    for (const res of r) assert.equal(res.status, 200, res.path);
    assert.equal(new Set(w.map((x) => x.body.id)).size, 60);
    const listed = await server.get(`/api/v1/nodes?parent_id=${root.id}&limit=500`);
    assert.equal(listed.body.total, 60);
    assert.equal((await server.get(`/api/v1/nodes/${root.id}`)).body.child_count, 60);
  });
});

describe('access log', () => {
  test('one JSON line per request with time, method, path, status, bytes and us', async () => {
    const marker = `/log-probe-${process.pid}-${Date.now()}`;
    const res = await fetch(server.base + marker);
    const bytes = (await res.arrayBuffer()).byteLength;
    assert.equal(res.status, 404);
    const line = await waitForLog((l) => l.path === marker);
    assert.ok(line, `no access-log line for ${marker}`);
    for (const k of ['time', 'method', 'path', 'status', 'bytes', 'us']) assert.ok(k in line, `missing ${k}`);
    assert.match(line.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Math.abs(Date.parse(line.time) - Date.now()) < 60000, 'time is now');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 404);
    assert.equal(line.bytes, bytes);
    assert.ok(Number.isInteger(line.us) && line.us >= 0);
    assert.equal(accessLines().filter((l) => l.path === marker).length, 1, 'exactly one line');

    const created = await server.post('/api/v1/nodes', { level: 'subdistrict', name: '日志街道' });
    const post = await waitForLog((l) => l.method === 'POST' && l.status === 201 && l.bytes === Buffer.byteLength(created.text));
    assert.ok(post, 'a line for the POST with its status and byte count');
    assert.equal(post.path, '/api/v1/nodes');

    const etag = (await fetch(`${server.base}/readme.txt`)).headers.get('etag');
    const nm = await fetch(`${server.base}/readme.txt`, { headers: { 'If-None-Match': etag } });
    assert.equal(nm.status, 304);
    assert.ok(await waitForLog((l) => l.path === '/readme.txt' && l.status === 304));

    const big = await server.post('/api/v1/nodes', '{' + ' '.repeat(8000) + '}');
    assert.equal(big.status, 413);
    assert.ok(await waitForLog((l) => l.path === '/api/v1/nodes' && l.status === 413));
  });

  test('a request whose path is not UTF-8 is refused with 400 and still logged', async () => {
    const before = accessLines().length;
    const res = await rawGet('/%ff%fe-not-utf8');
    assert.equal(res.status, 400);
    const after = await waitForLog((l) => l.status === 400 && l.method === 'GET' && /not-utf8/.test(l.path), server, 1500);
    assert.ok(after, `no access-log line for the refused request (${accessLines().length - before} new lines)`);
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM lets in-flight requests finish, refuses new connections, and exits 0', async () => {
    // The harness's own database (initialised, with a logged-in administrator), kept across the stop.
    const s = await startServer();
    let s2;
    try {
      const bodies = [0, 1, 2].map((i) => Buffer.from(JSON.stringify({ level: 'subdistrict', name: `停机街道${i}`, code: `stop-${i}` })));
      // Send each request's head and half its body; the rest only after SIGTERM.
      const conns = bodies.map((body) => {
        const sock = net.connect(s.port, '127.0.0.1');
        const chunks = [];
        const answer = new Promise((resolve, reject) => {
          sock.on('data', (d) => chunks.push(d));
          sock.on('error', reject);
          sock.on('close', () => resolve(parseResponse(Buffer.concat(chunks))));
        });
        sock.on('connect', () => sock.write(Buffer.concat([Buffer.from(
          `POST /api/v1/nodes HTTP/1.1\r\nHost: 127.0.0.1\r\n${authHead(s, true)}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
        body.subarray(0, 10)])));
        return { sock, body, answer };
      });
      await new Promise((r) => setTimeout(r, 400));
      const exitCode = s.stop({ keep: true });
      await new Promise((r) => setTimeout(r, 400));
      // A new connection is no longer accepted.
      const refused = await new Promise((resolve) => {
        const c = net.connect(s.port, '127.0.0.1');
        c.setTimeout(1000, () => { c.destroy(); resolve('timeout'); });
        c.on('connect', () => { c.destroy(); resolve('connected'); });
        c.on('error', (e) => resolve(e.code));
      });
      for (const c of conns) c.sock.write(c.body.subarray(10));
      const answers = await Promise.all(conns.map((c) => c.answer));
      for (const a of answers) assert.equal(a.status, 201, a.raw.toString('utf8').slice(0, 200));
      assert.equal(await exitCode, 0);
      assert.notEqual(refused, 'connected', 'a new connection was accepted after SIGTERM');
      // What the in-flight requests wrote is in the database.
      s2 = await startServer({ reuse: s });
      const listed = await s2.get('/api/v1/nodes?roots=true&q=stop-');
      assert.equal(listed.body.total, 3);
    } finally {
      if (s2) await s2.stop({ keep: true });
      await s.stop();
    }
  });
});
