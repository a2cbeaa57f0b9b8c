// harness.mjs - starts `yuanluo serve` on 127.0.0.1 with a fresh database for a test file,
// and offers small fetch helpers.  Each server is stopped by its PID when the file ends.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.YUANLUO_BIN || join(ROOT, 'yuanluo');
export const WEB_ROOT = join(ROOT, 'web');

// Runs the CLI synchronously; returns { status, stdout, stderr }.
export function cli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000, ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts a server.  options: { demo: true } loads the demo data set first;
// { args: [...] } adds flags to `serve`; { init: false } skips `yuanluo init`.
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'yuanluo-api-'));
  const db = join(dir, 'test.db');
  const key = join(dir, 'test.key');
  const common = ['--db', db, '--key-file', key];
  if (options.init !== false) {
    const r = cli(['init', ...common]);
    if (r.status !== 0) throw new Error(`yuanluo init failed: ${r.stderr}`);
    const m = /password:\s+(\S+)/.exec(r.stdout);
    options.adminPassword = m ? m[1] : null;
  }
  if (options.demo) {
    const r = cli(['demo', ...common], { timeout: 300000 });
    if (r.status !== 0) throw new Error(`yuanluo demo failed: ${r.stderr}`);
  }
  const child = spawn(BIN, ['serve', ...common, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT,
    '--threads', '2', ...(options.args || [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 10000);
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolvePort(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${log}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base, port, dir, db, key, pid: child.pid, adminPassword: options.adminPassword,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((r) => child.once('exit', (code) => r(code)));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      const code = await exited;
      clearTimeout(timer);
      if (!process.env.KEEP_TEST_DIRS && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      return code;
    },
    // JSON request: returns { status, headers, body } with body parsed when JSON.
    async req(method, path, body, headers = {}) {
      const init = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        if (!init.headers['Content-Type']) init.headers['Content-Type'] = 'application/json';
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      let parsed = text;
      if ((res.headers.get('content-type') || '').startsWith('application/json')) {
        parsed = JSON.parse(text);
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    get(path, headers) { return server.req('GET', path, undefined, headers); },
    post(path, body, headers) { return server.req('POST', path, body, headers); },
    patch(path, body, headers) { return server.req('PATCH', path, body, headers); },
    put(path, body, headers) { return server.req('PUT', path, body, headers); },
    del(path, headers) { return server.req('DELETE', path, undefined, headers); },
  };
  return server;
}

// Asserts the error shape {"error":{"code","message","field"}} and returns the error object.
export function errorOf(res) {
  if (!res.body || typeof res.body !== 'object' || !res.body.error) {
    throw new Error(`expected a JSON error body, got ${res.status} ${res.text}`);
  }
  const e = res.body.error;
  if (typeof e.code !== 'string' || typeof e.message !== 'string' || !('field' in e)) {
    throw new Error(`malformed error body: ${res.text}`);
  }
  return e;
}
