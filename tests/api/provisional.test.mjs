// provisional.test.mjs - a resident's request on 28 December while next year's official calendar is not
// loaded: it is taken, its deadline counted on the provisional calendar (the national regulation's holidays,
// no swapped days) and marked as such; administrators are told which year to load; loading the official
// year counts the deadline again in one audited step, after a dry run that lists what would move.
// The years are far ones (2098 with a made-up calendar, 2099 missing) and the server's clock is moved there
// (libfaketime), so the test never depends on today's date or on which official years are shipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, clockEnv, errorOf, sqlite, canRunSql, NO_SQL } from './harness.mjs';

let srv;
const T = {};
const CSV = { 'Content-Type': 'text/csv; charset=utf-8' };
// The "official" 2099 (made up): 元旦 on Thursday 01-01 and Friday 01-02, and Monday 01-05 off as well.
const OFFICIAL_2099 = 'date,kind,name\n2099-01-01,holiday,元旦\n2099-01-02,holiday,元旦\n2099-01-05,holiday,元旦补休\n';

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

// A subdistrict down to a household; returns the household's id.
async function tree(server) {
  const node = async (level, name, parent_id, extra = {}) =>
    (await ok(server.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
  const sub = await node('subdistrict', '明水街道');
  const com = await node('community', '龙泉社区', sub);
  const y1 = await node('courtyard', '君临天下', com, { kind: 'residential' });
  const b1 = await node('building', '1号楼', y1);
  return node('household', '101', b1);
}

const phoneCall = (h) => ({
  source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: h,
  text: '楼道灯坏了，晚上看不见台阶', caller_name: '王先生', caller_phone: '13912345678',
});

before(async () => {
  srv = await startServer({ clock: '2098-12-28T10:00:00+08:00', calendars: [2098] });
  T.h1 = await tree(srv);
});

after(async () => {
  if (srv) await srv.stop();
});

test('on 28 December with next year not loaded, a request is taken with a provisional deadline', async () => {
  const cal = await ok(srv.get('/api/v1/calendar'));
  assert.equal(cal.awaiting, 2099, 'from 1 November the missing next year is named');
  const o = await ok(srv.post('/api/v1/work-orders', phoneCall(T.h1)), 201);
  T.order = o;
  // Received Sunday 2098-12-28; 5 working days: 12-29, 12-30, 12-31, (元旦 01-01 by the regulation) 01-02, 01-05.
  assert.equal(o.received_at.slice(0, 10), '2098-12-28');
  assert.equal(o.deadline, '2099-01-05T23:59:59+08:00');
  assert.deepEqual(o.provisional, ['deadline']);
  const again = await ok(srv.get(`/api/v1/work-orders/${o.id}`));
  assert.deepEqual(again.provisional, ['deadline']);
  // A deadline inside the loaded year is not provisional.
  assert.ok(!again.provisional.includes('sign_deadline'));
});

test('administrators are told: the metric and the server\'s log name the missing year', async () => {
  const m = await srv.anonymous().get('/metrics');
  assert.equal(m.status, 200, m.text);
  assert.match(m.text, /^yuanluo_calendar_awaiting_year 2099$/m);
  // The sweeper thread says it once a day, the first time as it starts: wait for it, boundedly.
  for (let i = 0; i < 50 && !/calendar: the official holidays of 2099 are not loaded/.test(srv.log()); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(srv.log(), /calendar: the official holidays of 2099 are not loaded: deadlines reaching into 2099 are provisional/);
  assert.match(srv.log(), /yuanluo calendar load 2099\.csv/);
});

test('a dry run lists what loading the official year would move, and changes nothing', async () => {
  const r = await ok(srv.put('/api/v1/calendar/2099?dry_run=true', OFFICIAL_2099, CSV));
  assert.equal(r.dry_run, true);
  assert.equal(r.provisional, true, 'the year is still the provisional one');
  assert.deepEqual(r.recounted, [{
    order_id: T.order.id, number: T.order.number, field: 'deadline', before: '2099-01-05T23:59:59+08:00',
    after: '2099-01-07T23:59:59+08:00', changed: true, still_provisional: false, card_before: 'none', card_after: 'none',
  }]);
  assert.equal(r.deadlines_moved, 1);
  const o = await ok(srv.get(`/api/v1/work-orders/${T.order.id}`));
  assert.equal(o.deadline, '2099-01-05T23:59:59+08:00');
  assert.deepEqual(o.provisional, ['deadline']);
  assert.equal((await ok(srv.get('/api/v1/calendar'))).awaiting, 2099);
});

test('the command line dry run says the same', () => {
  const file = join(srv.dir, 'official-2099.csv');
  writeFileSync(file, OFFICIAL_2099);
  const r = cli(['calendar', 'load', '--dry-run', file, '--db', srv.db, '--key-file', srv.key], { env: srv.env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${T.order.number} deadline: 2099-01-05T23:59:59\\+08:00 -> 2099-01-07T23:59:59\\+08:00`));
  assert.match(r.stdout, /2099: 1 provisional deadline of open orders would be counted again, 1 moved/);
  assert.match(r.stdout, /dry run: nothing was loaded/);
});

test('loading the official year recounts the open order in one audited step', async () => {
  const r = await ok(srv.put('/api/v1/calendar/2099', OFFICIAL_2099, CSV), 201);
  assert.equal(r.dry_run, false);
  assert.equal(r.provisional, false);
  assert.equal(r.deadlines_moved, 1);
  const o = await ok(srv.get(`/api/v1/work-orders/${T.order.id}`));
  // 12-29, 12-30, 12-31, then 01-01, 01-02 and 01-05 off: 01-06, 01-07.
  assert.equal(o.deadline, '2099-01-07T23:59:59+08:00');
  assert.deepEqual(o.provisional, []);
  const ev = o.events[o.events.length - 1];
  assert.equal(ev.action, 'recount_deadline');
  assert.equal(ev.actor_login, null, 'the system recounts');
  assert.equal(ev.from_state, o.state);
  assert.equal(ev.to_state, o.state);
  assert.match(ev.detail, /deadline 2099-01-05 23:59:59 -> 2099-01-07 23:59:59/);
  assert.equal((await ok(srv.get('/api/v1/calendar'))).awaiting, null, 'nothing awaits now');
  assert.match((await srv.anonymous().get('/metrics')).text, /^yuanluo_calendar_awaiting_year 0$/m);
  // The same file again: nothing provisional is left, nothing moves.
  const again = await ok(srv.put('/api/v1/calendar/2099', OFFICIAL_2099, CSV));
  assert.equal(again.changed, false);
  assert.deepEqual(again.recounted, []);
});

test('the load is in the audit log with what it recounted', { skip: !canRunSql() && NO_SQL }, () => {
  const rows = sqlite(srv.db, "SELECT result, detail FROM audit_log WHERE action = 'PUT /api/v1/calendar/{year}' ORDER BY id;")
    .trim().split('\n');
  assert.ok(rows.includes('success|2099: 3 special days, dry run, loaded; 1 provisional deadlines of open orders recounted'), rows.join('\n'));
  assert.ok(rows.includes('success|2099: 3 special days, loaded; 1 provisional deadlines of open orders recounted'), rows.join('\n'));
});

test('a bad dry_run value is refused naming it', async () => {
  const r = await srv.put('/api/v1/calendar/2099?dry_run=maybe', OFFICIAL_2099, CSV);
  assert.equal(r.status, 400, r.text);
  assert.equal(errorOf(r).field, 'dry_run');
});

test('a card the recounted deadline no longer justifies is withdrawn', async () => {
  const a = await startServer({ clock: '2098-12-28T10:00:00+08:00', calendars: [2098] });
  let b;
  try {
    const o = await ok(a.post('/api/v1/work-orders', phoneCall(await tree(a))), 201);
    assert.equal(o.deadline, '2099-01-05T23:59:59+08:00');
    await a.stop({ keep: true });
    // Friday 2099-01-02, the last working day before the provisional deadline: the sweeper's yellow card.
    const sw = cli(['sweep', '--db', a.db, '--key-file', a.key], { env: clockEnv('2099-01-02T10:00:00+08:00') });
    assert.equal(sw.status, 0, sw.stderr);
    b = await startServer({ reuse: a, clock: '2099-01-02T10:00:00+08:00' });
    assert.equal((await ok(b.get(`/api/v1/work-orders/${o.id}`))).card, 'yellow');
    // The official year makes 01-02 and 01-05 holidays: due 01-07, yellow from 01-06: not yet.
    const r = await ok(b.put('/api/v1/calendar/2099', OFFICIAL_2099, CSV), 201);
    assert.equal(r.recounted.length, 1);
    assert.equal(r.recounted[0].card_before, 'yellow');
    assert.equal(r.recounted[0].card_after, 'none');
    const after = await ok(b.get(`/api/v1/work-orders/${o.id}`));
    assert.equal(after.card, 'none');
    assert.equal(after.deadline, '2099-01-07T23:59:59+08:00');
    assert.match(after.events[after.events.length - 1].detail, /yellow card withdrawn \(now none\)/);
  } finally {
    if (b) await b.stop();
    else await a.stop();
  }
});
