// migrate-db.test.mjs - `yuanluo migrate-db`: a deployment copied to another database (SQLite to
// PostgreSQL under make test-pg; to another SQLite file under make test), every table verified by
// rows and checksum; a target with data is refused and left as it was; the copy serves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, startServer, sqlite, PG, pgCreateDb, pgDropDb, ADMIN_PASSWORD } from './harness.mjs';

let dir, src, key, adminPassword;
const made = [];

function target() {
  const t = PG ? pgCreateDb() : join(dir, `target-${made.length}.db`);
  made.push(t);
  return t;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'yuanluo-migrate-db-'));
  src = join(dir, 'source.db');
  key = join(dir, 'k.key');
  const init = cli(['init', '--db', src, '--key-file', key]);
  assert.equal(init.status, 0, init.stderr);
  adminPassword = /password:\s+(\S+)/.exec(init.stdout)[1];
  const demo = cli(['demo', '--no-orders', '--db', src, '--key-file', key], { timeout: 300000 });
  assert.equal(demo.status, 0, demo.stderr);
});

after(() => {
  if (PG) for (const t of made) pgDropDb(t);
  rmSync(dir, { recursive: true, force: true });
});

test('copies every table and verifies each by rows and checksum', async () => {
  const to = target();
  const r = cli(['migrate-db', '--from', `sqlite:${src}`, '--to', to], { timeout: 300000 });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /\s(ok|DIFFERS)$/.test(l));
  assert.ok(rows.length >= 30, r.stdout);
  assert.ok(rows.every((l) => l.endsWith(' ok')), r.stdout);
  const nodes = rows.find((l) => l.startsWith('nodes '));
  const count = Number(sqlite(src, 'SELECT count(*) FROM nodes;').trim());
  assert.equal(Number(nodes.split(/\s+/)[1]), count);
  assert.equal(Number(sqlite(to, 'SELECT count(*) FROM nodes;').trim()), count);
  assert.match(r.stdout, /copied and verified/);

  // The copy serves: the administrator logs in with the source's password; new ids follow the old.
  const srv = await startServer({ reuse: { dir, db: to, key }, login: false });
  try {
    const admin = await srv.loginAs('admin', adminPassword, ADMIN_PASSWORD);
    const me = await admin.get('/api/v1/auth/me');
    assert.equal(me.status, 200);
    const root = (await admin.get('/api/v1/nodes?level=subdistrict')).body.items[0];
    const n = await admin.post('/api/v1/nodes', { level: 'community', name: '新建社区', parent_id: root.id });
    assert.equal(n.status, 201, n.text);
    assert.ok(n.body.id > count, `a new node's id ${n.body.id} comes after the copied ones`);
  } finally {
    await srv.stop({ keep: true });
  }
});

test('a target that holds data is refused and left as it was', () => {
  const to = target();
  assert.equal(cli(['migrate-db', '--from', `sqlite:${src}`, '--to', to], { timeout: 300000 }).status, 0);
  const before_ = sqlite(to, 'SELECT count(*) FROM nodes; SELECT count(*) FROM audit_log;');
  const again = cli(['migrate-db', '--from', `sqlite:${src}`, '--to', to], { timeout: 300000 });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /not empty .*refusing/);
  assert.equal(sqlite(to, 'SELECT count(*) FROM nodes; SELECT count(*) FROM audit_log;'), before_);
});

test('a target with tables that are not Yuanluo\'s is refused', () => {
  const to = target();
  sqlite(to, 'CREATE TABLE their_table (x INTEGER);');
  const r = cli(['migrate-db', '--from', `sqlite:${src}`, '--to', to]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not Yuanluo's: refusing/);
});

test('bad invocations say what is wrong and exit 2; a missing source exits 1', () => {
  let r = cli(['migrate-db', '--from', `sqlite:${src}`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /migrate-db/);
  r = cli(['migrate-db', '--from', `sqlite:${src}`, '--to', `sqlite:${src}`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /same database/);
  r = cli(['migrate-db', '--from', 'sqlite:/nonexistent-dir/x.db', '--to', join(dir, 'never.db')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /source/);
});

test('and back: the copy copies again to a new SQLite file with the same checksums', () => {
  const mid = target();
  const one = cli(['migrate-db', '--from', `sqlite:${src}`, '--to', mid], { timeout: 300000 });
  assert.equal(one.status, 0, one.stderr);
  const back = join(dir, 'back.db');
  const two = cli(['migrate-db', '--from', mid, '--to', `sqlite:${back}`], { timeout: 300000 });
  assert.equal(two.status, 0, two.stderr);
  const sums = (out) => out.split('\n').filter((l) => / ok$/.test(l)).sort().join('\n');
  assert.equal(sums(two.stdout), sums(one.stdout));
});
