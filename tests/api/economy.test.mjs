// economy.test.mjs - enterprises' monthly indicators and the month's report (issue 15), black-box against
// `yuanluo serve`: figures as fixed-point text, refused months and figures naming their field, a correction
// with its reason keeping the old values, growth month on month and year on year computed on reading (a
// zero month before, a missing month), and the subdistrict's November with the article's figures: output
// 20.27 亿元 (+10.1% on October), fixed-asset investment 3.62 亿元 (+8.7%), the smaller enterprises'
// increment of 1 亿元 above the three leaders', 久安酯 +24% and 鲁洪 +15.5% year on year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf } from './harness.mjs';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(body17) {
  let sum = 0;
  for (let i = 0, w = 1; i < 17; i++, w = (w * 3) % 31) sum += CHARS.indexOf(body17[i]) * w;
  return body17 + CHARS[(31 - (sum % 31)) % 31];
}
const localMonth = (deltaMonths = 0) => {
  const d = new Date(Date.now() + 8 * 3600e3);
  const n = d.getUTCFullYear() * 12 + d.getUTCMonth() + deltaMonths;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
};

let srv;
const T = {};
const E = {};
const C = {};	// credit codes by name

async function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  return res.body;
}
function refused(res, status, field) {
  assert.equal(res.status, status, res.text);
  assert.equal(errorOf(res).field, field, res.text);
}
const put = (e, body) => srv.post(`/api/v1/enterprises/${E[e]}/indicators`, body);

// 万元.  October and November 2025, and November 2024 for the year-on-year growth.
const FIGURES = {
  圣泉: { '2025-10': ['80000', '20000'], '2025-11': ['84000', '21500'] },
  明泉: { '2025-10': ['50000', '8000'], '2025-11': ['52600', '9000'] },
  日化: { '2025-10': ['30000', '5300'], '2025-11': ['32000', '5700'] },
  久安酯: { '2024-11': ['17016'], '2025-10': ['14100'], '2025-11': ['21100'] },
  鲁洪: { '2024-11': ['11255'], '2025-10': ['10000'], '2025-11': ['13000'] },
};

before(async () => {
  srv = await startServer();
  const mk = async (body) => (await ok(await srv.post('/api/v1/nodes', body), 201, body.name)).id;
  T.sub = await mk({ level: 'subdistrict', name: '刁镇街道' });
  T.com = await mk({ level: 'community', name: '工业园社区', parent_id: T.sub });
  T.other = await mk({ level: 'subdistrict', name: '明水街道' });
  let n = 0;
  for (const name of [...Object.keys(FIGURES), '华氟', '外街道']) {
    n++;
    C[name] = uscc(`913701810000${String(n).padStart(5, '0')}`);
    E[name] = (await ok(await srv.post('/api/v1/enterprises', {
      credit_code: C[name], name, node_id: name === '外街道' ? T.other : T.com,
      above_scale: true, above_scale_since: name === '久安酯' || name === '鲁洪' ? '2025-03' : '2019-01',
    }), 201, name)).id;
  }
});

after(async () => { if (srv) await srv.stop(); });

test('bad months and figures are refused naming their field; nothing is half-written', async () => {
  refused(await put('圣泉', { month: localMonth(1), output: '1' }), 400, 'month');
  refused(await put('圣泉', { month: '2025-13', output: '1' }), 400, 'month');
  refused(await put('圣泉', { output: '1' }), 400, 'month');
  refused(await put('圣泉', { month: '2025-01', output: '-1' }), 400, 'output');
  refused(await put('圣泉', { month: '2025-01', output: 20.27 }), 400, 'output');	// numbers travel as text
  refused(await put('圣泉', { month: '2025-01', output: '1e3' }), 400, 'output');
  refused(await put('圣泉', { month: '2025-01', investment: '1.00001' }), 400, 'investment');	// below a yuan
  refused(await put('圣泉', { month: '2025-01' }), 400, 'output');
  refused(await put('圣泉', { month: '2025-01', output: '1', tonnage: '3' }), 400, 'tonnage');
  const none = await ok(await srv.get(`/api/v1/enterprises/${E.圣泉}/indicators`), 200, 'list');
  assert.deepEqual(none.items, []);
  assert.equal((await srv.post('/api/v1/enterprises/999999/indicators', { month: '2025-01', output: '1' })).status, 404);
});

test('a month is reported once; a correction needs a reason and keeps what it replaced', async () => {
  const first = await ok(await put('华氟', { month: '2025-03', output: '0', energy: '12.5' }), 201, 'March');
  assert.equal(first.corrected, false);
  assert.equal(first.items[0].output, '0');
  assert.equal(first.items[0].energy, '12.5');
  assert.equal(first.items[0].sales, null);
  refused(await put('华氟', { month: '2025-03', output: '10' }), 409, 'reason');
  refused(await put('华氟', { month: '2025-03', output: '10', reason: '  ' }), 400, 'reason');
  const fixed = await ok(await put('华氟', { month: '2025-03', output: '0', energy: '13', reason: '统计局反馈能耗数据有误' }), 201,
    'correction');
  assert.equal(fixed.corrected, true);
  assert.equal(fixed.items[0].revision, 2);
  assert.equal(fixed.items[0].energy, '13');
  assert.equal(fixed.corrections.length, 1);
  assert.deepEqual([fixed.corrections[0].month, fixed.corrections[0].revision, fixed.corrections[0].energy,
    fixed.corrections[0].reason], ['2025-03', 1, '12.5', '统计局反馈能耗数据有误']);
});

test('growth is computed on reading: none after a zero month or a missing month', async () => {
  await ok(await put('华氟', { month: '2025-04', output: '500' }), 201, 'April');	// after a zero March
  await ok(await put('华氟', { month: '2025-06', output: '600' }), 201, 'June');	// May missing
  await ok(await put('华氟', { month: '2025-07', output: '660.5' }), 201, 'July');
  const rows = (await ok(await srv.get(`/api/v1/enterprises/${E.华氟}/indicators?from=2025-04`), 200, 'list')).items;
  assert.deepEqual(rows.map((r) => [r.month, r.output, r.growth.output.mom]),
    [['2025-04', '500', null], ['2025-06', '600', null], ['2025-07', '660.5', '10.1']]);
  assert.ok(rows.every((r) => r.growth.output.yoy === null), 'no month a year before');
  refused(await srv.get(`/api/v1/enterprises/${E.华氟}/indicators?from=July`), 400, 'from');
});

test('November: the article\'s figures come out of the report', async () => {
  for (const [name, months] of Object.entries(FIGURES)) {
    for (const [month, [output, investment]] of Object.entries(months)) {
      await ok(await put(name, { month, output, ...(investment ? { investment } : {}) }), 201, `${name} ${month}`);
    }
  }
  await ok(await put('外街道', { month: '2025-11', output: '99999' }), 201, 'another subdistrict');
  // A problem raised in November (due in two calendar days), for the month's count.
  await ok(await srv.post(`/api/v1/enterprises/${E.鲁洪}/problems`, {
    category: 'land', description: '扩建用地指标', unit_node_id: T.com, raised_on: '2025-11-10', days: 2, day_rule: 'calendar',
  }), 201, 'problem');

  const r = await ok(await srv.get(`/api/v1/economy/report?node=${T.sub}&month=2025-11`), 200, 'report');
  assert.equal(r.month, '2025-11');
  assert.equal(r.prev_month, '2025-10');
  assert.equal(r.last_year_month, '2024-11');
  assert.equal(r.reporting, 5);
  assert.equal(r.totals.output.value, '202700');	// 20.27 亿元
  assert.equal(r.totals.output.prev, '184100');
  assert.equal(r.totals.output.mom, '10.1');
  assert.equal(r.totals.investment.value, '36200');	// 3.62 亿元
  assert.equal(r.totals.investment.mom, '8.7');
  assert.deepEqual(r.totals.sales, { value: null, prev: null, last_year: null, mom: null, yoy: null }, 'nobody reported sales');
  assert.deepEqual(r.output_split.leaders.map((x) => x.name), ['圣泉', '明泉', '日化']);
  assert.equal(r.output_split.leaders_increment, '8600');
  assert.equal(r.output_split.rest_increment, '10000');	// about 1 亿元, more than the three leaders'
  assert.equal(r.output_split.rest_output, '34100');
  assert.deepEqual(r.growers.map((x) => [x.name, x.yoy]), [['久安酯', '24.0'], ['鲁洪', '15.5']]);
  assert.deepEqual(r.contributors.map((x) => [x.name, x.increment]),
    [['久安酯', '7000'], ['圣泉', '4000'], ['鲁洪', '3000'], ['明泉', '2600'], ['日化', '2000']]);
  assert.equal(r.new_above_scale, 2);
  assert.deepEqual(r.problems, { raised: 1, closed: 0 });
  // The enterprise's own view agrees.
  const jiu = (await ok(await srv.get(`/api/v1/enterprises/${E.久安酯}/indicators?from=2025-11&to=2025-11`), 200, 'list')).items;
  assert.equal(jiu[0].growth.output.yoy, '24.0');
  assert.equal(jiu[0].growth.output.mom, '49.6');

  refused(await srv.get(`/api/v1/economy/report?node=${T.sub}&month=${localMonth(1)}`), 400, 'month');
  refused(await srv.get(`/api/v1/economy/report?node=${T.sub}`), 400, 'month');
  refused(await srv.get('/api/v1/economy/report?month=2025-11'), 400, 'node');
});

test('the statistics office\'s CSV: a dry run, every bad row named, all or nothing, corrections with a reason', async () => {
  const csv = (rows) => `\uFEFF统一社会信用代码,月份,工业产值,固定资产投资,更正原因\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
  const send = (body, dry) => srv.req('POST', `/api/v1/import/indicators${dry ? '?dry_run=true' : ''}`, body,
    { 'Content-Type': 'text/csv' });
  const bad = await send(csv([
    [C.圣泉, '2025/12', '90000', '22000', ''],
    [C.明泉, '2025年12月', '55000', '', ''],
    [uscc('91370181MA3X00001'), '2025-12', '1', '', ''],	// line 4: nobody has this code
    [C.日化, '2025-12', '-5', '', ''],	// line 5: negative
    [C.明泉, '2025-12', '1', '', ''],	// line 6: the same enterprise and month as line 3
    [C.圣泉, '2025-11', '84500', '', ''],	// line 7: already reported, no reason
    [C.鲁洪, localMonth(1), '1', '', ''],	// line 8: a month in the future
    ['91350100M000100Y44', '2025-12', '1', '', ''],	// line 9: not a credit code at all
  ]));
  assert.equal(bad.status, 400, bad.text);
  const lines = bad.body.error.rows.map((r) => r.line);
  assert.deepEqual([...new Set(lines)], [4, 5, 6, 7, 8, 9], bad.text);
  assert.ok(bad.body.error.rows.every((r) => r.column && r.reason), bad.text);
  assert.match(bad.body.error.rows.find((r) => r.line === 7).reason, /correction needs a reason/);
  const none = (await ok(await srv.get(`/api/v1/enterprises/${E.圣泉}/indicators?from=2025-12`), 200, 'nothing')).items;
  assert.deepEqual(none, [], 'all or nothing');

  const good = csv([
    [C.圣泉, '2025/12', '90000', '22000', ''],
    [C.明泉, '2025年12月', '55000', '', ''],
    [C.华氟, '2025-07', '700', '', '统计局核定后更正'],
  ]);
  const dry = await ok(await send(good, true), 200, 'dry run');
  assert.deepEqual([dry.dry_run, dry.rows, dry.created, dry.updated], [true, 3, 2, 1]);
  assert.deepEqual((await srv.get(`/api/v1/enterprises/${E.圣泉}/indicators?from=2025-12`)).body.items, [], 'a dry run writes nothing');
  const done = await ok(await send(good, false), 200, 'import');
  assert.deepEqual([done.dry_run, done.created, done.updated], [false, 2, 1]);
  const dec = (await ok(await srv.get(`/api/v1/enterprises/${E.圣泉}/indicators?from=2025-12`), 200, 'december')).items;
  assert.deepEqual(dec.map((r) => [r.month, r.output, r.investment, r.growth.output.mom]), [['2025-12', '90000', '22000', '7.1']]);
  const hua = await ok(await srv.get(`/api/v1/enterprises/${E.华氟}/indicators?from=2025-07&to=2025-07`), 200, 'corrected');
  assert.equal(hua.items[0].output, '700');
  assert.ok(hua.corrections.some((c) => c.month === '2025-07' && c.output === '660.5' && c.reason === '统计局核定后更正'));
  // The same file again: every month is already reported and has no reason.
  const again = await send(csv([[C.明泉, '2025-12', '55000', '', '']]), false);
  assert.equal(again.status, 400, again.text);
});

test('scope: a community\'s staff see its report and enterprises, not another subdistrict\'s', async () => {
  await ok(await srv.post('/api/v1/users', { login: 'com-staff', role: 'community_staff', password: 'Init-Pass-2026',
    scope_node_id: T.com }), 201, 'user');
  const c = await srv.loginAs('com-staff', 'Init-Pass-2026', 'Economy-Pass-2026!');
  const own = await ok(await c.get('/api/v1/economy/report?month=2025-11'), 200, 'own report');
  assert.equal(own.node_id, T.com);
  assert.equal(own.totals.output.value, '202700');
  assert.equal((await c.get(`/api/v1/economy/report?month=2025-11&node=${T.other}`)).status, 404);
  assert.equal((await c.get(`/api/v1/enterprises/${E.外街道}/indicators`)).status, 404);
  assert.equal((await c.post(`/api/v1/enterprises/${E.圣泉}/indicators`, { month: '2025-01', output: '1' })).status, 403);
});
