// backup.test.mjs - `yuanluo backup FILE` while clients write (online, consistent: every order in the copy
// has its events, every order acknowledged before the backup began is in it), and `yuanluo restore FILE`
// (checks the file, refuses while a server has the database open, brings back exactly the backup: the
// same counts and checksums in every table).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, sqlite, hasSqlite3, PG, pgCreateDb, pgDropDb, BIN } from './harness.mjs';

let srv;
const T = {};
// SQLite's file: .backup, .sha3sum, PRAGMA integrity_check (PostgreSQL has its own test below).
const skip = PG ? 'SQLite only: reads the database file with sqlite3 (the pg_dump test covers PostgreSQL)'
  : !hasSqlite3() && 'no sqlite3 tool';

// Per table: row count and a SHA3 of its content, from the sqlite3 tool.
function tableSums(db) {
  const tables = sqlite(db, ".mode list\nSELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;")
    .split('\n').filter(Boolean);
  const out = {};
  for (const t of tables) {
    const count = Number(sqlite(db, `SELECT count(*) FROM "${t}";`).trim());
    const sum = sqlite(db, `.sha3sum ${t}`).trim();
    out[t] = `${count} ${sum}`;
  }
  return out;
}

// The CLI run without blocking this process (harness cli() is synchronous: the writers of a backup under
// load would stand still while it runs); resolves to { status, stdout, stderr }.
function cliAsync(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Waits (polled, at most 30 s) until cond() holds.
async function until(what, cond) {
  for (const end = Date.now() + 30000; !cond();) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function order(i) {
  return {
    source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: T.hh,
    text: `备份测试 ${i}: 路灯不亮`, caller_name: '李先生', caller_phone: '13912345678',
  };
}

before(async () => {
  srv = await startServer();
  const mk = async (body) => { const r = await srv.post('/api/v1/nodes', body); assert.equal(r.status, 201, r.text); return r.body.id; };
  T.sub = await mk({ level: 'subdistrict', name: '明水街道' });
  T.com = await mk({ level: 'community', name: '龙泉社区', parent_id: T.sub });
  T.yard = await mk({ level: 'courtyard', name: '君临天下', parent_id: T.com, kind: 'residential' });
  T.bld = await mk({ level: 'building', name: '1号楼', parent_id: T.yard });
  T.hh = await mk({ level: 'household', name: '101', parent_id: T.bld });
});

after(async () => { if (srv) await srv.stop(); });

test('backup under load is consistent, and restore brings back exactly the backup', { skip, timeout: 120000 }, async () => {
  const common = ['--db', srv.db, '--key-file', srv.key];
  // Some orders first, all acknowledged before the backup begins.
  const early = [];
  for (let i = 0; i < 40; i++) {
    const r = await srv.post('/api/v1/work-orders', order(i));
    assert.equal(r.status, 201, r.text);
    early.push(r.body.id);
  }
  // Writers keep going during the backup.
  let running = true;
  let written = 0;
  const writers = Array.from({ length: 4 }, async (_, k) => {
    let i = 0;
    while (running) {
      const r = await srv.post('/api/v1/work-orders', order(`w${k}-${i++}`));
      assert.equal(r.status, 201, r.text);
      written++;
    }
  });
  await until('the writers to get going', () => written >= 20);
  const file = join(srv.dir, 'backup.db');
  const duringBackup = written;	// acknowledged before the backup began: all in the copy
  const b = await cliAsync(['backup', file, ...common]);
  const afterBackup = written;
  await until('writes after the backup', () => written > afterBackup + 10);
  running = false;
  await Promise.all(writers);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /backed up/);
  assert.ok(afterBackup > duringBackup, `nobody wrote while the backup ran (${duringBackup} before, ${afterBackup} after)`);
  assert.deepEqual(readdirSync(srv.dir).filter((f) => f.startsWith('backup.db.tmp')), [], 'a temporary file was left');

  // The copy is whole and consistent.
  assert.equal(sqlite(file, 'PRAGMA integrity_check;').trim(), 'ok');
  const inCopy = Number(sqlite(file, 'SELECT count(*) FROM work_orders;').trim());
  assert.ok(inCopy >= early.length + duringBackup && inCopy < early.length + written,
    `copy has ${inCopy} orders; before it began ${early.length + duringBackup}, at the end ${early.length + written}`);
  assert.equal(sqlite(file, 'SELECT count(*) FROM work_orders o WHERE NOT EXISTS (SELECT 1 FROM wo_events e WHERE e.order_id = o.id);').trim(), '0');
  assert.equal(sqlite(file, `SELECT count(*) FROM work_orders WHERE id IN (${early.join(',')});`).trim(), String(early.length));
  const copySums = tableSums(file);

  // Restore is refused while the server has the database open.
  const busy = cli(['restore', file, ...common]);
  assert.equal(busy.status, 1);
  assert.match(busy.stderr, /another process|running server/);

  // Restore refuses what is no Yuanluo database, and leaves the database as it was.
  await srv.stop({ keep: true });
  const live = tableSums(srv.db);
  const junk = join(srv.dir, 'junk.db');
  writeFileSync(junk, 'this is no database at all\n'.repeat(200));
  let r = cli(['restore', junk, ...common]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no SQLite database|integrity/);
  const other = join(srv.dir, 'other.db');
  sqlite(other, 'CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);');
  r = cli(['restore', other, ...common]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no Yuanluo database/);
  assert.deepEqual(tableSums(srv.db), live, 'a refused restore changed the database');

  // The restore proper: exactly the copy, table by table.
  r = cli(['restore', file, ...common]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sqlite(srv.db, 'PRAGMA integrity_check;').trim(), 'ok');
  assert.deepEqual(tableSums(srv.db), copySums);
  assert.notDeepEqual(live, copySums, 'the live database should have had more orders than the copy');

  // And it serves: an early order reads back, new orders are taken.
  srv = await startServer({ reuse: srv });
  const got = await srv.get(`/api/v1/work-orders/${early[0]}`);
  assert.equal(got.status, 200, got.text);
  const more = await srv.post('/api/v1/work-orders', order('after'));
  assert.equal(more.status, 201, more.text);
});

test('backup and restore name what is wrong with their arguments', () => {
  const common = ['--db', srv.db, '--key-file', srv.key];
  assert.equal(cli(['backup', ...common]).status, 2);
  assert.equal(cli(['restore', ...common]).status, 2);
  const r = cli(['restore', join(srv.dir, 'missing.db'), ...common]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read/);
  // The database itself is neither a backup target nor a backup.
  const self = cli(['backup', srv.db, ...common]);
  assert.equal(self.status, 1);
  assert.match(self.stderr, /the database itself/);
  const selfRestore = cli(['restore', srv.db, ...common]);
  assert.equal(selfRestore.status, 1);
  assert.match(selfRestore.stderr, /the database itself|another process/);
  const w = cli(['backup', '/nonexistent-dir/x.db', ...common]);
  assert.equal(w.status, 1);
  assert.match(w.stderr, PG ? /could not open output file/ : /cannot create/);
});

// PostgreSQL (make test-pg): pg_dump while clients write, pg_restore into an empty database and over the
// live one; both restores hold the same rows, table by table (compared through migrate-db's checksums).
test('on PostgreSQL: backup under load with pg_dump, restore with pg_restore', { skip: !PG && 'needs PostgreSQL (make test-pg)', timeout: 180000 }, async () => {
  const common = ['--db', srv.db, '--key-file', srv.key];
  const early = [];
  for (let i = 0; i < 20; i++) {
    const r = await srv.post('/api/v1/work-orders', order(`pg${i}`));
    assert.equal(r.status, 201, r.text);
    early.push(r.body.id);
  }
  let running = true;
  let written = 0;
  const writers = Array.from({ length: 3 }, async (_, k) => {
    let i = 0;
    while (running) {
      const r = await srv.post('/api/v1/work-orders', order(`pgw${k}-${i++}`));
      assert.equal(r.status, 201, r.text);
      written++;
    }
  });
  await until('the writers to get going', () => written >= 10);
  const file = join(srv.dir, 'backup.pgdump');
  const before_ = written;
  const b = await cliAsync(['backup', file, ...common]);
  const after_ = written;
  running = false;
  await Promise.all(writers);
  assert.equal(b.status, 0, b.stderr);
  assert.ok(after_ > before_, `nobody wrote while pg_dump ran (${before_} before, ${after_} after)`);

  // Into an empty database: whole and consistent, every early order there with its events.
  const fresh = pgCreateDb();
  try {
    let r = cli(['restore', file, '--db', fresh, '--key-file', srv.key]);
    assert.equal(r.status, 0, r.stderr);
    const n = Number(sqlite(fresh, 'SELECT count(*) FROM work_orders;').trim());
    assert.ok(n >= early.length + before_ && n <= early.length + written, `${n} orders; acknowledged before pg_dump began ${early.length + before_}`);
    assert.equal(sqlite(fresh, 'SELECT count(*) FROM work_orders o WHERE NOT EXISTS (SELECT 1 FROM wo_events e WHERE e.order_id = o.id);').trim(), '0');
    assert.equal(sqlite(fresh, `SELECT count(*) FROM work_orders WHERE id IN (${early.join(',')});`).trim(), String(early.length));

    // Over the live database (its server stopped): the same rows as the first restore.
    await srv.stop({ keep: true });
    r = cli(['restore', file, ...common]);
    assert.equal(r.status, 0, r.stderr);
    const sums = (dsn, name) => {
      const out = cli(['migrate-db', '--from', dsn, '--to', `sqlite:${join(srv.dir, name)}`], { timeout: 120000 });
      assert.equal(out.status, 0, out.stderr);
      return out.stdout.split('\n').filter((l) => / ok$/.test(l)).sort().join('\n');
    };
    assert.equal(sums(srv.db, 'a.db'), sums(fresh, 'b.db'));
    assert.equal(Number(sqlite(srv.db, 'SELECT count(*) FROM work_orders;').trim()), n);
    // A database is not a backup file.
    r = cli(['backup', fresh, ...common]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is a database, not a backup file/);
    srv = await startServer({ reuse: srv });
    const more = await srv.post('/api/v1/work-orders', order('pg-after'));
    assert.equal(more.status, 201, more.text);
  } finally {
    pgDropDb(fresh);
  }
});
