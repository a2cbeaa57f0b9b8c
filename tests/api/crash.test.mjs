// crash.test.mjs - crash safety, small version: clients submit work orders while the server is killed
// with SIGKILL at random moments and restarted; every order acknowledged with 201 is there afterwards
// with its event, and the database passes integrity_check.  bench/crash-soak.mjs runs 20 cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasSqlite3, PG } from './harness.mjs';
import { crashCycles } from './crash_lib.mjs';

test('SIGKILL while clients write: no acknowledged order is lost, the database stays whole', { skip: PG ? 'SQLite only: checks the database file after the kill' : !hasSqlite3() && 'no sqlite3 tool', timeout: 60000 }, async () => {
  const r = await crashCycles({ cycles: 4, clients: 8, seed: Number(process.env.CRASH_SEED || 7) });
  assert.equal(r.integrity, 'ok');
  assert.ok(r.acknowledged > 20, `too few orders acknowledged to mean anything: ${JSON.stringify(r)}`);
  assert.ok(r.failedRequests > 0 || r.cycles === 0, `no request was cut by a kill: ${JSON.stringify(r)}`);
  assert.equal(r.lost, 0, JSON.stringify(r));
  assert.equal(r.duplicateNumbers, 0, JSON.stringify(r));
  assert.equal(r.readBack, true);
});
