// calendar.test.mjs - the working-day calendar over HTTP (api_calendar_routes) and on the command line:
// GET /api/v1/calendar, GET|PUT /api/v1/calendar/{year}, GET /api/v1/calendar/working-days and /deadline;
// `yuanluo init` loading share/calendar, `yuanluo calendar load|show|years`; a year not loaded is counted on
// the provisional calendar and said so.  The years not loaded here are far ones (2097-2099): the test
// does not depend on which official years are shipped.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { startServer, errorOf, cli, canRunSql, NO_SQL, sqlite, BIN } from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const official = (year) => readFileSync(join(ROOT, 'share/calendar', `${year}.csv`), 'utf8');
const CSV = { 'Content-Type': 'text/csv; charset=utf-8' };
// Working days a year in the shipped files, counted by hand: weekdays - weekday holidays + swapped weekends.
const WORKING = { 2022: 249, 2023: 249, 2024: 251, 2025: 248, 2026: 248 };
const SHIPPED = readdirSync(join(ROOT, 'share/calendar')).filter((f) => /^\d{4}\.csv$/.test(f)).map((f) => Number(f.slice(0, 4))).sort();
// Unix seconds of an Asia/Shanghai local time.
const local = (text) => Date.parse(`${text}+08:00`) / 1000;

let server;
let work;

before(async () => {
  server = await startServer({ calendars: [] });	// the shipped years only, no made-up ones
  work = mkdtempSync(join(tmpdir(), 'yuanluo-cal-'));
});

after(async () => {
  if (server) await server.stop();
  if (work && existsSync(work)) rmSync(work, { recursive: true, force: true });
});

// A made-up calendar for a year the shipped files lack (tests only: not an official calendar).
function madeUp(year, extra = []) {
  return [`# test calendar ${year} (made up)`, 'date,kind,name', `${year}-01-01,holiday,元旦`,
    `${year}-10-01,holiday,国庆节`, ...extra].join('\n') + '\n';
}

describe('the shipped calendars', () => {
  test('init loads every year of share/calendar', async () => {
    const res = await server.get('/api/v1/calendar');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items.map((y) => y.year), SHIPPED);
    assert.equal(res.body.total, SHIPPED.length);
    for (const y of res.body.items) {
      if (WORKING[y.year]) assert.equal(y.working_days, WORKING[y.year], `${y.year}`);
      assert.equal(y.provisional, false);
      assert.match(y.source, new RegExp(`share/calendar/${y.year}\\.csv$`));
      assert.match(y.loaded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  test('the years page in SQL: limit and offset, the total of all', async () => {
    const res = await server.get('/api/v1/calendar?limit=2&offset=1');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items.map((y) => y.year), SHIPPED.slice(1, 3));
    assert.equal(res.body.total, SHIPPED.length);
    assert.equal((await server.get(`/api/v1/calendar?offset=${SHIPPED.length}`)).body.items.length, 0);
  });

  test('a year: its special days, in order, and its working-day count', async () => {
    const res = await server.get('/api/v1/calendar/2025');
    assert.equal(res.status, 200, res.text);
    const y = res.body;
    assert.equal(y.year, 2025);
    assert.equal(y.working_days, 248);
    assert.equal(y.holidays, 28);
    assert.equal(y.workdays, 5);
    assert.equal(y.days.length, 33);
    assert.deepEqual(y.days[0], { date: '2025-01-01', weekday: 3, kind: 'holiday', name: '元旦' });
    assert.deepEqual(y.days[1], { date: '2025-01-26', weekday: 7, kind: 'workday', name: '春节调休上班' });
    const dates = y.days.map((d) => d.date);
    assert.deepEqual(dates, [...dates].sort());
    // Every row of the file is there.
    const rows = official(2025).split('\n').filter((l) => /^\d{4}-/.test(l));
    assert.equal(rows.length, 33);
    for (const row of rows) {
      const [date, kind, name] = row.split(',');
      assert.ok(y.days.some((d) => d.date === date && d.kind === kind && d.name === name), row);
    }
  });

  test('not a year is 404; a year not loaded shows its provisional calendar', async () => {
    for (const p of ['1800', 'abc', '2025x', '99999']) {
      const res = await server.get(`/api/v1/calendar/${p}`);
      assert.equal(res.status, 404, `${p}: ${res.text}`);
      errorOf(res);
    }
    // 2099 by the national regulation: 元旦, 春节 from 除夕 (01-20) to 初三, 清明 04-04 (a Saturday: given back
    // on Monday 04-06), 劳动节 05-01/02 (05-02 a Saturday: 05-04), 端午 06-23, 中秋 09-29, 国庆 10-01..03 (10-03: 10-05).
    const res = await server.get('/api/v1/calendar/2099');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.provisional, true);
    assert.equal(res.body.source, 'provisional');
    assert.equal(res.body.loaded_at, null);
    assert.equal(res.body.workdays, 0);
    assert.deepEqual(res.body.days.map((d) => `${d.date.slice(5)} ${d.name}`), ['01-01 元旦', '01-20 春节', '01-21 春节',
      '01-22 春节', '01-23 春节', '04-04 清明节', '04-06 补假', '05-01 劳动节', '05-02 劳动节', '05-04 补假', '06-23 端午节',
      '09-29 中秋节', '10-01 国庆节', '10-02 国庆节', '10-03 国庆节', '10-05 补假']);
    assert.equal(res.body.working_days, 248);
  });

  test('the lunar dates are Debian\'s python3-lunardate, regenerated and compared; the official years agree', { skip: !existsSync('/usr/bin/python3') && 'no python3' }, () => {
    const r = spawnSync('/usr/bin/python3', [join(ROOT, 'tools/gen-festivals.py')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(ROOT, 'src/calendar/festivals.c'), 'utf8'));
    // Every shipped official year has 春节 (初一), 端午 and 中秋 of the table, 元旦 and 国庆 1-3 as holidays.
    const table = Object.fromEntries([...r.stdout.matchAll(/\{ (\d+), (\d+), (\d+), (\d+), (\d+), (\d+) \},\t\/\* (\d{4}) \*\//g)]
      .map((m) => [Number(m[7]), m.slice(1, 7).map(Number)]));
    const pad = (n) => String(n).padStart(2, '0');
    for (const year of SHIPPED) {
      const days = new Set(official(year).split('\n').filter((l) => /,holiday,/.test(l)).map((l) => l.slice(0, 10)));
      const [sm, sd, dm, dd, mm, md] = table[year];
      for (const [m, d, name] of [[sm, sd, '春节'], [dm, dd, '端午'], [mm, md, '中秋'], [1, 1, '元旦'], [10, 1, '国庆'],
        [10, 2, '国庆'], [10, 3, '国庆'], [5, 1, '劳动节']]) {
        assert.ok(days.has(`${year}-${pad(m)}-${pad(d)}`), `${name} ${year}-${pad(m)}-${pad(d)} is an official holiday`);
      }
    }
  });
});

describe('working days', () => {
  const wd = (q) => server.get(`/api/v1/calendar/working-days?${q}`);

  test('is a date a working day', async () => {
    for (const [date, working] of [['2025-01-24', true], ['2025-01-25', false], ['2025-01-26', true],
      ['2025-01-28', false], ['2025-02-08', true], ['2024-09-29', true], ['2024-10-07', false], ['2024-10-12', true],
      ['2026-02-14', true], ['2026-02-23', false], ['2026-01-04', true]]) {
      const res = await wd(`date=${date}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.working, working, date);
      assert.equal(res.body.date, date);
    }
  });

  test('adding working days crosses the Spring Festival and the new year', async () => {
    // 2025-01-24 (Fri): 01-26 Sun worked (1), 01-27 (2), 春节 01-28..02-04, 02-05 (3), 02-06 (4), 02-07 (5), 02-08 Sat worked (6).
    for (const [date, add, result] of [['2025-01-24', 5, '2025-02-07'], ['2025-01-24', 6, '2025-02-08'],
      ['2025-01-24', 1, '2025-01-26'], ['2025-02-05', -1, '2025-01-27'], ['2025-12-30', 5, '2026-01-07'],
      ['2024-09-27', 3, '2024-10-08'], ['2026-02-12', 10, '2026-03-04'], ['2025-03-01', 0, '2025-03-01']]) {
      const res = await wd(`date=${date}&add=${add}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result, result, `${date} + ${add}`);
      assert.equal(res.body.add, add);
    }
  });

  test('counting working days between dates', async () => {
    const res = await wd('from=2024-09-27&to=2024-10-13');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.working_days, 7);	// 09-29, 09-30, 10-08 .. 10-12
    assert.equal((await wd('from=2024-12-31&to=2025-12-31')).body.working_days, 248);
    assert.equal((await wd('from=2026-01-07&to=2025-12-30')).body.working_days, -5);
  });

  test('a year with no calendar is counted on the provisional one, and the answer says so', async () => {
    // 2099-01-01 is a Thursday (元旦); 01-20..23 春节; 2098-12-29 is a Monday.
    for (const [q, key, value] of [['date=2099-01-01', 'working', false], ['date=2099-01-05', 'working', true],
      ['date=2099-01-20', 'working', false], ['date=2098-12-29&add=5', 'result', '2099-01-06'],
      ['from=2098-12-28&to=2099-01-09', 'working_days', 9], ['date=2099-01-26&add=-3', 'result', '2099-01-15']]) {
      const res = await wd(q);
      assert.equal(res.status, 200, `${q}: ${res.text}`);
      assert.equal(res.body[key], value, q);
      assert.equal(res.body.provisional, true, q);
    }
    // Over loaded years only: not provisional.
    for (const q of ['date=2025-01-24', 'date=2025-01-24&add=5', 'from=2024-12-31&to=2025-12-31']) {
      assert.equal((await wd(q)).body.provisional, false, q);
    }
  });

  test('bad questions are 400 naming the parameter', async () => {
    for (const [q, field] of [['date=2025-02-30', 'date'], ['date=20250101', 'date'], ['date=2025-01-01&add=x', 'add'],
      ['date=2025-01-01&add=100000', 'add'], ['from=2025-01-01', 'to'], ['to=2025-01-01', 'from'], ['', 'from'],
      ['date=2025-01-01&from=2025-01-01', 'from'], ['from=2025-01-01&to=2025-02-01&add=3', 'add'],
      ['from=bad&to=2025-01-01', 'from']]) {
      const res = await wd(q);
      assert.equal(res.status, 400, `${q}: ${res.text}`);
      assert.equal(errorOf(res).field, field, q);
    }
  });

  test('the deadline of an order: end of the n-th working day after the day of receipt; yellow a working day before', async () => {
    // Received Friday 2025-01-24 10:15 with 5 working days: due 2025-02-07 23:59:59, yellow from 02-06 00:00.
    const received = local('2025-01-24T10:15:00');
    let res = await server.get(`/api/v1/calendar/deadline?received_at=${received}&days=5`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.deadline_local, '2025-02-07T23:59:59+08:00');
    assert.equal(res.body.deadline_at, local('2025-02-07T23:59:59'));
    assert.equal(res.body.yellow_local, '2025-02-06T00:00:00+08:00');
    assert.equal(res.body.received_local, '2025-01-24T10:15:00+08:00');
    // 2024 National Day: from Friday 09-27, 3 days are 09-29 (Sunday worked), 09-30 and 10-08.
    res = await server.get(`/api/v1/calendar/deadline?received_at=${local('2024-09-27T15:30:00')}&days=3`);
    assert.equal(res.body.deadline_local, '2024-10-08T23:59:59+08:00');
    assert.equal(res.body.yellow_local, '2024-09-30T00:00:00+08:00');
    assert.equal(res.body.provisional, false);
    // Into a year not loaded: counted on the provisional calendar (元旦 2099-01-01 off), and marked.
    res = await server.get(`/api/v1/calendar/deadline?received_at=${local('2098-12-29T10:00:00')}&days=5`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.deadline_local, '2099-01-06T23:59:59+08:00');
    assert.equal(res.body.yellow_local, '2099-01-05T00:00:00+08:00');
    assert.equal(res.body.provisional, true);
    for (const q of ['', 'received_at=x', `received_at=${received}&days=0`, `received_at=${received}&days=-1`]) {
      res = await server.get(`/api/v1/calendar/deadline?${q}`);
      assert.equal(res.status, 400, `${q}: ${res.text}`);
    }
  });
});

describe('loading a year over the API', () => {
  test('a good file is loaded (201), the same again changes nothing (200), a correction replaces the year', async () => {
    let res = await server.put('/api/v1/calendar/2099', madeUp(2099), CSV);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.year, 2099);
    assert.equal(res.body.changed, true);
    assert.equal(res.body.provisional, false);
    assert.deepEqual(res.body.recounted, [], 'no open order had a provisional deadline');
    assert.equal(res.body.source, 'api');
    assert.equal(res.body.days.length, 2);
    const loadedAt = res.body.loaded_at;
    assert.equal((await server.get('/api/v1/calendar/working-days?date=2099-01-01')).body.working, false);
    assert.equal((await server.get('/api/v1/calendar/working-days?date=2099-01-05')).body.working, true);

    res = await server.put('/api/v1/calendar/2099', madeUp(2099), CSV);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.changed, false);
    assert.equal(res.body.loaded_at, loadedAt);

    // BOM and CRLF, as Excel saves it; one day more.
    const fixed = `\uFEFF${madeUp(2099, ['2099-10-02,holiday,国庆节']).replace(/\n/g, '\r\n')}`;
    res = await server.put('/api/v1/calendar/2099', fixed, CSV);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.changed, true);
    assert.deepEqual(res.body.days.map((d) => d.date), ['2099-01-01', '2099-10-01', '2099-10-02']);
    // A correction that drops a day: the day is ordinary again.
    res = await server.put('/api/v1/calendar/2099', ['date,kind,name', '2099-01-01,holiday,元旦'].join('\n'), CSV);
    assert.equal(res.status, 200, res.text);
    const oct1 = (await server.get('/api/v1/calendar/working-days?date=2099-10-01')).body;
    assert.equal(oct1.working, true, 'the official year has no 国庆节 now: the provisional one is gone');
    assert.equal(oct1.provisional, false);
    assert.deepEqual((await server.get('/api/v1/calendar')).body.items.map((y) => y.year), [...SHIPPED, 2099]);
  });

  test('a bad file: 400 listing every bad line, and nothing is loaded', async () => {
    const before = await server.get('/api/v1/calendar/2025');
    const text = [
      '# 2025 with mistakes',		// 1
      'date,kind,name',			// 2
      '2025-01-01,holiday,元旦',		// 3
      '2024-12-31,holiday,元旦',		// 4: another year
      '2025-02-30,holiday,春节',		// 5: no such date
      '2025-01-28,festival,春节',		// 6: unknown kind
      '2025-01-01,holiday,元旦',		// 7: twice
      '2025-01-27,workday,春节调休上班',	// 8: a Monday
      '2025-01-29,holiday',			// 9: two fields
      '2025-05-01,holiday,劳动节',		// 10: good
    ].join('\n');
    const res = await server.put('/api/v1/calendar/2025', text, CSV);
    assert.equal(res.status, 400, res.text);
    const e = errorOf(res);
    assert.equal(e.code, 'invalid_calendar');
    assert.equal(e.field, 'rows');
    assert.match(e.message, /nothing was loaded/);
    assert.deepEqual(e.rows.map((r) => r.line), [4, 5, 6, 7, 8, 9]);
    const reason = (line) => e.rows.find((r) => r.line === line).reason;
    assert.match(reason(4), /2024-12-31 is not in 2025/);
    assert.match(reason(5), /'2025-02-30' is not a real date/);
    assert.match(reason(6), /holiday or workday, not 'festival'/);
    assert.match(reason(7), /listed twice \(first on line 3\)/);
    assert.match(reason(8), /Monday/);
    assert.match(reason(9), /expected 3 fields/);
    const after = await server.get('/api/v1/calendar/2025');
    assert.deepEqual(after.body, before.body, 'the year is as it was');
  });

  test('the year in the URL must be the year of the file', async () => {
    let res = await server.put('/api/v1/calendar/2026', official(2025), CSV);
    assert.equal(res.status, 400, res.text);
    let e = errorOf(res);
    assert.equal(e.code, 'year_mismatch');
    assert.equal(e.field, 'year');
    assert.match(e.message, /calendar of 2025, not of 2026/);
    assert.equal((await server.get('/api/v1/calendar/2026')).body.days.length, 39, '2026 untouched');
    // Mostly the right year: the stray rows are the bad lines.
    res = await server.put('/api/v1/calendar/2025', `${official(2025)}2026-01-01,holiday,元旦\n`, CSV);
    assert.equal(res.status, 400, res.text);
    e = errorOf(res);
    assert.equal(e.code, 'invalid_calendar');
    assert.deepEqual(e.rows.map((r) => r.line), [37]);
  });

  test('the official file again is unchanged; other bodies are refused', async () => {
    let res = await server.put('/api/v1/calendar/2024', official(2024), CSV);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.changed, false);
    res = await server.put('/api/v1/calendar/2024', { csv: official(2024) });
    assert.equal(res.status, 415, res.text);
    res = await server.put('/api/v1/calendar/2024', '', CSV);
    assert.equal(res.status, 400, res.text);
    assert.equal(errorOf(res).rows[0].line, 1);
    res = await server.put('/api/v1/calendar/abc', official(2024), CSV);
    assert.equal(res.status, 404, res.text);
  });

  test('loads are audited with the year', { skip: !canRunSql() && NO_SQL }, async () => {
    const rows = sqlite(server.db, "SELECT action, result, detail FROM audit_log WHERE action LIKE 'PUT /api/v1/calendar%' ORDER BY id;")
      .trim().split('\n');
    assert.ok(rows.some((r) => /^PUT \/api\/v1\/calendar\/\{year\}\|success\|2099: 2 special days, loaded; 0 provisional deadlines of open orders recounted$/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /\|failure\|/.test(r)), rows.join('\n'));
  });
});

describe('who may read and load the calendar', () => {
  let seq = 0;
  async function userWith(role) {
    const login = `cal-${role.replace(/_/g, '-')}-${++seq}`;
    let scope = null;
    if (role !== 'admin') {
      const node = await server.post('/api/v1/nodes', { level: 'subdistrict', name: `历城${seq}街道`, code: `CAL${process.pid}x${seq}` });
      assert.equal(node.status, 201, node.text);
      scope = node.body.id;
    }
    const body = { login, role, password: 'Calendar-Init-2026!' };
    if (scope) body.scope_node_id = scope;
    const u = await server.post('/api/v1/users', body);
    assert.equal(u.status, 201, u.text);
    return server.loginAs(login, 'Calendar-Init-2026!', 'Calendar-Test-2026!');
  }

  test('nobody logged in: 401', async () => {
    const anon = server.anonymous();
    for (const [m, p] of [['GET', '/api/v1/calendar'], ['GET', '/api/v1/calendar/2025'],
      ['GET', '/api/v1/calendar/working-days?date=2025-01-24'], ['GET', '/api/v1/calendar/deadline?received_at=1737684900']]) {
      const res = await anon.req(m, p);
      assert.equal(res.status, 401, `${m} ${p}: ${res.text}`);
    }
    const res = await anon.put('/api/v1/calendar/2025', official(2025), CSV);
    assert.equal(res.status, 401, res.text);
  });

  test('staff and grid members read; only the administrator loads', async () => {
    for (const role of ['subdistrict_staff', 'community_staff', 'courtyard_secretary', 'grid_member']) {
      const c = await userWith(role);
      assert.equal((await c.get('/api/v1/calendar')).status, 200, role);
      assert.equal((await c.get('/api/v1/calendar/2026')).status, 200, role);
      assert.equal((await c.get('/api/v1/calendar/working-days?date=2026-02-14')).body.working, true, role);
      const put = await c.put('/api/v1/calendar/2026', official(2026), CSV);
      assert.equal(put.status, 403, `${role}: ${put.text}`);
      assert.match(errorOf(put).message, /calendar\.admin/);
    }
    // The calendar is the whole deployment's: a token scoped to a node may read it but not load it.
    const node = await server.post('/api/v1/nodes', { level: 'subdistrict', name: '章丘街道', code: `CALT${process.pid}` });
    assert.equal(node.status, 201, node.text);
    for (const [scope, status] of [[node.body.id, 404], [null, 200]]) {
      const body = { name: `cal-${scope}`, permissions: ['calendar.read', 'calendar.admin'],
        expires_at: Math.floor(Date.now() / 1000) + 3600 };
      if (scope) body.scope_node_id = scope;
      const tok = await server.post('/api/v1/tokens', body);
      assert.equal(tok.status, 201, tok.text);
      const bearer = { Authorization: `Bearer ${tok.body.token}`, Cookie: undefined, 'X-CSRF-Token': undefined };
      assert.equal((await server.get('/api/v1/calendar/2026', bearer)).status, 200);
      const put = await server.put('/api/v1/calendar/2026', official(2026), { ...CSV, ...bearer });
      assert.equal(put.status, status, `scope ${scope}: ${put.text}`);
    }
    // Mobile grid members (couriers, riders) only report: the calendar is not theirs to read.
    const rider = await userWith('mobile_grid_member');
    const res = await rider.get('/api/v1/calendar');
    assert.equal(res.status, 403, res.text);
    assert.match(errorOf(res).message, /calendar\.read/);
  });
});

describe('the command line', () => {
  const run = (args) => cli([...args, '--db', server.db], { cwd: work });

  test('calendar years and show', () => {
    let r = run(['calendar', 'years']);
    assert.equal(r.status, 0, r.stderr);
    for (const y of [2022, 2023, 2024, 2025, 2026]) assert.match(r.stdout, new RegExp(`^${y}\\s.*\\s${WORKING[y]}\\s`, 'm'));
    r = run(['calendar', 'show', '2025']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2025-01-26 Sun {2}workday {2}春节调休上班/);
    assert.match(r.stdout, /28 holidays, 5 swapped working days; 248 working days in 2025/);
    r = run(['calendar', 'show', '2097']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2097 is not loaded: deadlines reaching into it are counted on this provisional calendar/);
    assert.match(r.stdout, /2097-01-01 Tue {2}holiday {2}元旦/);
    // With no subcommand, the years (and, when a year awaits its official file, how to load it).
    r = run(['calendar']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^2025\s/m);
    for (const args of [['calendar', 'frob'], ['calendar', 'show'], ['calendar', 'show', 'x'],
      ['calendar', 'load'], ['calendar', 'years', 'x'], ['calendar', 'load', '--bogus']]) {
      assert.equal(run(args).status, 2, args.join(' '));
    }
  });

  test('calendar load: every bad line as FILE:LINE: reason, exit 1, nothing loaded', () => {
    const good = join(work, '2098.csv');
    const bad = join(work, 'bad-2097.csv');
    writeFileSync(good, madeUp(2098));
    writeFileSync(bad, madeUp(2097, ['2097-02-30,holiday,春节', '2097-01-01,holiday,元旦', '2097-03-01,rest,x']));
    let r = run(['calendar', 'load', good, bad]);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith(`${bad}:`)).length, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`^${bad}:5: '2097-02-30' is not a real date`, 'm'));
    assert.match(r.stderr, new RegExp(`^${bad}:6: 2097-01-01 is listed twice \\(first on line 3\\)`, 'm'));
    assert.match(r.stderr, new RegExp(`^${bad}:7: the kind must be holiday or workday, not 'rest'`, 'm'));
    assert.match(r.stderr, /nothing was loaded/);
    assert.doesNotMatch(run(['calendar', 'years']).stdout, /^2098/m, 'the good file was not loaded either');
    r = run(['calendar', 'load', join(work, 'missing.csv')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing\.csv: cannot read/);
    // Two files of one year in one load.
    const copy = join(work, 'copy-2098.csv');
    writeFileSync(copy, madeUp(2098));
    r = run(['calendar', 'load', good, copy]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the calendar of 2098 is also in/);
  });

  test('calendar load while the server runs: the server sees it at once; again is unchanged', async () => {
    const good = join(work, 'cli-2098.csv');
    writeFileSync(good, madeUp(2098));
    assert.equal((await server.get('/api/v1/calendar/2098')).body.provisional, true);
    let r = run(['calendar', 'load', good]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2098: 2 special days loaded from/);
    const res = await server.get('/api/v1/calendar/2098');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.source, good);
    r = run(['calendar', 'load', good]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2098: 2 special days unchanged/);
    if (canRunSql()) {
      const rows = sqlite(server.db, "SELECT login, result, detail FROM audit_log WHERE action = 'calendar load' AND object_id = '2098' ORDER BY id;")
        .trim().split('\n');
      assert.equal(rows.length, 2, rows.join('\n'));
      assert.match(rows[0], new RegExp(`^cli:[^|]+\\|success\\|loaded from ${good}$`));
      assert.match(rows[1], /\|success\|unchanged from /);
    }
  });

  test('init from another folder still finds share/calendar next to the binary', {
    skip: !existsSync(join(dirname(BIN), 'share/calendar')) && 'the binary under test has no share/calendar beside it',
  }, () => {
    const dir = join(work, 'elsewhere');
    mkdirSync(dir);
    const r = cli(['init', '--db', join(dir, 'x.db'), '--key-file', join(dir, 'x.key')], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`loaded ${SHIPPED.length} working-day calendars`));
    const y = cli(['calendar', 'years', '--db', join(dir, 'x.db')], { cwd: dir });
    assert.equal(y.stdout.split('\n').filter((l) => /^\d{4}\s+\d/.test(l)).length, SHIPPED.length, y.stdout);
  });

  test('init with a bad calendar folder stops before the key and the administrator', () => {
    const dir = join(work, 'badcal');
    mkdirSync(dir);
    writeFileSync(join(dir, '2025.csv'), madeUp(2025, ['2025-13-01,holiday,x']));
    const db = join(work, 'bad.db');
    const key = join(work, 'bad.key');
    let r = cli(['init', '--db', db, '--key-file', key, '--calendar-dir', dir], { cwd: work });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`${dir}/2025\\.csv:5: '2025-13-01' is not a real date`));
    assert.ok(!existsSync(key), 'no key file');
    assert.doesNotMatch(r.stdout, /password/);
    r = cli(['init', '--db', db, '--key-file', key, '--calendar-dir', join(work, 'nope')], { cwd: work });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /nope/);
    // Fixed, init runs again on the same database.
    writeFileSync(join(dir, '2025.csv'), madeUp(2025));
    r = cli(['init', '--db', db, '--key-file', key, '--calendar-dir', dir], { cwd: work });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /loaded 1 working-day calendar from/);
  });
});
