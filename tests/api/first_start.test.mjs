// first_start.test.mjs - what the Debian package's service and maintainer scripts ask of the binary:
// `init --first-start` (the unit's ExecStartPre: a new database's key file, never a replaced one) and
// `migrate --status` (postinst and preinst: migrate after a backup, or refuse a downgrade).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, existsSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './harness.mjs';

let work;
before(() => { work = mkdtempSync(join(tmpdir(), 'yuanluo-first-start-')); });
after(() => rmSync(work, { recursive: true, force: true }));

// Without YUANLUO_* from the caller, in the scratch folder (no stray ./yuanluo.ini).
function run(args) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('YUANLUO_')) env[k] = v;
  return cli(args, { cwd: work, env, timeout: 60000 });
}

test('init --first-start makes a new database and its key file once, and leaves the administrator to init', () => {
  const db = `sqlite:${join(work, 'a.db')}`;
  const key = join(work, 'a.key');
  const flags = ['--db', db, '--key-file', key, '--calendar-dir', join(process.cwd(), 'share/calendar')];

  let r = run(['init', '--first-start', ...flags]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created key file/);
  assert.match(r.stdout, /no administrator yet/);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  const bytes = readFileSync(key);

  r = run(['init', '--first-start', ...flags]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /created key file/, 'a second start makes no key');
  assert.deepEqual(readFileSync(key), bytes);

  r = run(['init', ...flags]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /administrator: admin/);
  assert.deepEqual(readFileSync(key), bytes, 'init keeps the key the first start made');

  r = run(['init', '--first-start', ...flags]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '', 'an initialised deployment starts silently');

  // The key file lost under a database with data: refused, and no new key that could not read the data.
  renameSync(key, `${key}.saved`);
  r = run(['init', '--first-start', ...flags]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /has data but the key file .* is missing/);
  assert.equal(existsSync(key), false);
});

test('migrate --status prints the database\'s and the program\'s schema versions', () => {
  const db = `sqlite:${join(work, 'b.db')}`;
  let r = run(['migrate', '--status', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const m = /^database schema version 0, this program (\d+)\n$/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const latest = Number(m[1]);
  assert.ok(latest > 0);

  r = run(['migrate', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  r = run(['migrate', '--status', '--db', db]);
  assert.equal(r.stdout, `database schema version ${latest}, this program ${latest}\n`);

  r = run(['migrate', '--stats', '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unexpected argument '--stats'/);
});
