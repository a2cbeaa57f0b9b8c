// crash_lib.mjs - the crash-safety run shared by tests/api/crash.test.mjs (a few cycles, in make test)
// and bench/crash-soak.mjs (20 cycles): concurrent clients submit work orders while the server is
// killed with SIGKILL at random moments and restarted on the same database.  Every order answered
// 201 must then be there, with its number, its text and its intake event, and the database must pass
// PRAGMA integrity_check.  The random moments come from a seeded generator, so a failing run can be
// repeated with the same seed.
import { spawnSync } from 'node:child_process';
import { startServer, makeClient, sqlite } from './harness.mjs';

// Like the harness's sqlite(), for answers of many rows.
function sqliteBig(db, sql) {
  const r = spawnSync('sqlite3', ['-bail', db], { input: sql, encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`sqlite3 ${db} failed (${r.status}, ${r.error}): ${r.stderr}`);
  return r.stdout;
}

// mulberry32: small, seeded, good enough to pick moments.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ok(p, status) {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

// Kills the server with SIGKILL and waits until it is gone (its folder is kept).
async function kill(srv) {
  try { process.kill(srv.pid, 'SIGKILL'); } catch { /* already gone */ }
  await srv.stop({ keep: true });
}

// options: { cycles, clients, minMs, maxMs, seed, log }.  Returns the counts; throws on any loss.
export async function crashCycles(options = {}) {
  const cycles = options.cycles ?? 4;
  const clients = options.clients ?? 8;
  const minMs = options.minMs ?? 150;
  const maxMs = options.maxMs ?? 900;
  const seed = options.seed ?? 20261129;
  const log = options.log || (() => {});
  const rand = rng(seed);

  let srv = await startServer();
  const tree = {};
  tree.sub = (await ok(srv.post('/api/v1/nodes', { level: 'subdistrict', name: '明水街道' }), 201)).id;
  tree.com = (await ok(srv.post('/api/v1/nodes', { level: 'community', name: '龙泉社区', parent_id: tree.sub }), 201)).id;
  tree.yard = (await ok(srv.post('/api/v1/nodes', { level: 'courtyard', name: '君临天下', parent_id: tree.com, kind: 'residential' }), 201)).id;
  tree.bld = (await ok(srv.post('/api/v1/nodes', { level: 'building', name: '1号楼', parent_id: tree.yard }), 201)).id;
  tree.hh = (await ok(srv.post('/api/v1/nodes', { level: 'household', name: '101', parent_id: tree.bld }), 201)).id;
  const session = srv.session;

  const acked = new Map();	// id -> { number, text }
  let sent = 0;
  let failedRequests = 0;	// connection reset by the kill: outcome unknown, never counted as acknowledged
  let serial = 0;
  let current = makeClient(srv.base, session);
  let running = true;

  async function clientLoop(k) {
    while (running) {
      const c = current;
      if (!c) { await sleep(5); continue; }
      const i = serial++;
      const text = `崩溃测试 ${seed}-${k}-${i}: 楼道灯坏了`;
      sent++;
      let r;
      try {
        r = await c.post('/api/v1/work-orders', {
          source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: tree.hh,
          text, caller_name: '张女士', caller_phone: '13812345678',
        });
      } catch {
        failedRequests++;
        await sleep(5);
        continue;
      }
      if (r.status === 201) {
        if (acked.has(r.body.id)) throw new Error(`order id ${r.body.id} acknowledged twice`);
        acked.set(r.body.id, { number: r.body.number, text });
      } else if (r.status !== 503) {
        // 503 only while stopping; anything else is a bug.
        throw new Error(`unexpected ${r.status}: ${r.text}`);
      }
    }
  }

  const loops = Array.from({ length: clients }, (_, k) => clientLoop(k));
  let loopError = null;
  const guarded = Promise.all(loops).catch((e) => { loopError = e; running = false; });

  for (let cycle = 0; cycle < cycles && !loopError; cycle++) {
    const ms = Math.floor(minMs + rand() * (maxMs - minMs));
    await sleep(ms);
    current = null;
    await kill(srv);
    const integrity = sqlite(srv.db, 'PRAGMA integrity_check;').trim();
    if (integrity !== 'ok') throw new Error(`cycle ${cycle}: integrity_check says ${integrity}`);
    srv = await startServer({ reuse: srv });
    current = makeClient(srv.base, session);
    log(`cycle ${cycle + 1}/${cycles}: killed after ${ms} ms; ${acked.size} acknowledged so far`);
  }
  running = false;
  await guarded;
  if (loopError) { await kill(srv); throw loopError; }
  await kill(srv);	// the last moment is a kill too

  // Everything acknowledged is there, with its intake event.
  const integrity = sqlite(srv.db, 'PRAGMA integrity_check;').trim();
  const rows = sqliteBig(srv.db, '.mode tabs\nSELECT o.id, o.number, o.text, (SELECT count(*) FROM wo_events e WHERE e.order_id = o.id) FROM work_orders o;');
  const stored = new Map();
  for (const line of rows.split('\n')) {
    if (!line) continue;
    const [id, number, text, events] = line.split('\t');
    stored.set(Number(id), { number, text, events: Number(events) });
  }
  const lost = [];
  for (const [id, a] of acked) {
    const s = stored.get(id);
    if (!s || s.number !== a.number || s.text !== a.text || s.events < 1) lost.push({ id, acked: a, stored: s || null });
  }
  const numbers = new Set([...stored.values()].map((s) => s.number));
  const result = {
    cycles, clients, seed, sent, acknowledged: acked.size, stored: stored.size, failedRequests,
    lost: lost.length, duplicateNumbers: stored.size - numbers.size, integrity,
  };
  // Started again once more: the database must still serve after its last crash.
  srv = await startServer({ reuse: srv });
  const some = [...acked.keys()].slice(-1)[0];
  if (some !== undefined) {
    const again = await ok(srv.get(`/api/v1/work-orders/${some}`), 200);
    result.readBack = again.number === acked.get(some).number;
  }
  await srv.stop();
  if (lost.length) result.lostSample = lost.slice(0, 5);
  return result;
}
