// enterprises.test.mjs - enterprise service (issue 15), black-box against `yuanluo serve`: the register
// (credit codes checked and unique, above-scale month, status with history), contacts' phones masked
// and revealed with an audit row, cadres with dated history and coverage, and problems on the shared
// time-node engine: carded red by the server's own sweeper and listed in GET /api/v1/tasks, the
// owner's and, once red, the enterprise's 帮包 leader's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, errorOf, hasSqlite3, sqlite } from './harness.mjs';

const PW = 'Enterprise-Pass-2026!';
const INIT = 'Init-Pass-2026';
// Published valid codes: the example of GB 32100-2015 and one printed on a public business licence.
const GB_EXAMPLE = '91350100M000100Y43';
const LICENCE = '91110108551385082Q';
const SQLITE = hasSqlite3();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// GB 32100 check character, to make further valid codes for the test (the server checks with its own).
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(body17) {
  const sum = [...body17].reduce((n, c, i) => n + CHARS.indexOf(c) * WEIGHTS[i], 0);
  return body17 + CHARS[(31 - (sum % 31)) % 31];
}

// A local date n days from today (Asia/Shanghai), YYYY-MM-DD.
function localDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}
const thisMonth = () => localDate().slice(0, 7);
const nextMonth = () => {
  const [y, m] = thisMonth().split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

let srv;
const T = {};
const U = {};

async function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  return res.body;
}

function refused(res, status, field) {
  assert.equal(res.status, status, res.text);
  assert.equal(errorOf(res).field, field, res.text);
}

async function user(login, role, scope) {
  const u = await ok(await srv.post('/api/v1/users', { login, role, password: INIT, scope_node_id: scope }), 201, login);
  return { id: u.id, client: await srv.loginAs(login, INIT, PW) };
}

before(async () => {
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const mk = async (body) => (await ok(await srv.post('/api/v1/nodes', body), 201, body.name)).id;
  T.sub = await mk({ level: 'subdistrict', name: '刁镇街道' });
  T.com = await mk({ level: 'community', name: '工业园社区', parent_id: T.sub });
  T.com2 = await mk({ level: 'community', name: '旧军社区', parent_id: T.sub });
  T.other = await mk({ level: 'subdistrict', name: '明水街道' });
  T.otherCom = await mk({ level: 'community', name: '龙泉社区', parent_id: T.other });
  U.officer = await user('officer-wang', 'subdistrict_staff', T.sub);
  U.officer2 = await user('officer-li', 'subdistrict_staff', T.sub);
  U.leader = await user('leader-zhao', 'subdistrict_staff', T.sub);
  U.stranger = await user('officer-far', 'subdistrict_staff', T.other);
  U.community = await user('com-staff', 'community_staff', T.com);
  U.community2 = await user('com2-staff', 'community_staff', T.com2);
});

after(async () => { if (srv) await srv.stop(); });

let E;	// the enterprise registered first

test('an enterprise is registered with a valid credit code, on the tree, with its first status', async () => {
  const e = await ok(await srv.post('/api/v1/enterprises', {
    credit_code: GB_EXAMPLE, name: '济南圣泉集团股份有限公司', legal_rep: '唐一林', industry_code: 'C2651',
    industry_name: '初级形态塑料及合成树脂制造', size: 'large', node_id: T.com, above_scale: true,
    above_scale_since: '2015-01', address: '章丘区刁镇工业经济开发区',
  }), 201, 'create');
  E = e;
  assert.equal(e.credit_code, GB_EXAMPLE);
  assert.equal(e.subdistrict_id, T.sub);
  assert.equal(e.node_id, T.com);
  assert.equal(e.above_scale, true);
  assert.equal(e.above_scale_since, '2015-01');
  assert.equal(e.status, 'operating');
  assert.deepEqual(e.status_history.map((h) => [h.status, h.since]), [['operating', localDate()]]);
  assert.deepEqual(e.contacts, []);
  assert.deepEqual(e.cadres, []);
  const again = await ok(await srv.get(`/api/v1/enterprises/${e.id}`), 200, 'get');
  assert.equal(again.name, '济南圣泉集团股份有限公司');
});

test('credit codes: corrupted ones are refused naming credit_code; a code is unique', async () => {
  const base = { name: '测试企业', node_id: T.com };
  for (const bad of [
    '91350100M000100Y44',	// the check character changed
    '91110108551385082R',
    '91350100M000100Y4',	// 17 characters
    '91350100m000100Y43',	// lower case
    '91350100I000100Y43',	// I is not used
    '91350100M000010Y43',	// two characters swapped
    '',
  ]) {
    refused(await srv.post('/api/v1/enterprises', { ...base, credit_code: bad }), 400, 'credit_code');
  }
  refused(await srv.post('/api/v1/enterprises', base), 400, 'credit_code');
  refused(await srv.post('/api/v1/enterprises', { ...base, credit_code: GB_EXAMPLE }), 409, 'credit_code');
  const other = await ok(await srv.post('/api/v1/enterprises', { ...base, credit_code: LICENCE }), 201, 'licence code');
  refused(await srv.patch(`/api/v1/enterprises/${other.id}`, { credit_code: GB_EXAMPLE }), 409, 'credit_code');
  refused(await srv.patch(`/api/v1/enterprises/${other.id}`, { credit_code: '91110108551385082R' }), 400, 'credit_code');
  assert.equal((await srv.get(`/api/v1/enterprises/${other.id}`)).body.credit_code, LICENCE, 'nothing half-written');
});

test('bad input names its field', async () => {
  const base = { credit_code: uscc('91370181MA3C00001'), name: '鲁洪', node_id: T.com };
  const cases = [
    [{ name: '   ' }, 'name'],
    [{ node_id: 999999 }, 'node_id'],
    [{ node_id: undefined }, 'node_id'],
    [{ size: 'huge' }, 'size'],
    [{ industry_code: '2651' }, 'industry_code'],
    [{ above_scale: true }, 'above_scale_since'],
    [{ above_scale: true, above_scale_since: nextMonth() }, 'above_scale_since'],
    [{ above_scale: true, above_scale_since: '2024-13' }, 'above_scale_since'],
    [{ above_scale_since: '2024-03' }, 'above_scale_since'],
    [{ status_since: localDate(3) }, 'status_since'],
    [{ legal_rep: 42 }, 'legal_rep'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [change, field] of cases) {
    const res = await srv.post('/api/v1/enterprises', { ...base, ...change });
    assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(change)}: ${res.status} ${res.text}`);
    assert.equal(errorOf(res).field, field, `${JSON.stringify(change)}: ${res.text}`);
  }
  const list = await ok(await srv.get(`/api/v1/enterprises?q=${encodeURIComponent('鲁洪')}`), 200, 'list');
  assert.equal(list.total, 0, 'no refused create left a row');
});

test('above-scale enterprises of this year are a query on the month they became so', async () => {
  const y = thisMonth().slice(0, 4);
  await ok(await srv.post('/api/v1/enterprises', {
    credit_code: uscc('91370181MA3C00002'), name: '济南久安酯有限公司', node_id: T.com2, above_scale: true,
    above_scale_since: `${y}-01`,
  }), 201, 'new this year');
  await ok(await srv.post('/api/v1/enterprises', {
    credit_code: uscc('91370181MA3C00003'), name: '山东玻科数控有限公司', node_id: T.com, above_scale: true,
    above_scale_since: thisMonth(),
  }), 201, 'new this month');
  const news = await ok(await srv.get(`/api/v1/enterprises?above_scale=true&above_scale_from=${y}-01&above_scale_to=${y}-12`),
    200, 'this year');
  assert.equal(news.total, 2);
  const all = await ok(await srv.get('/api/v1/enterprises?above_scale=true'), 200, 'above scale');
  assert.equal(all.total, 3);
  refused(await srv.get(`/api/v1/enterprises?above_scale_from=${nextMonth()}`), 400, 'above_scale_from');
  // A range may end in a month to come: on 1 January "this year" runs to December.
  const ahead = await ok(await srv.get(`/api/v1/enterprises?above_scale=true&above_scale_from=${thisMonth()}&above_scale_to=${nextMonth()}`),
    200, 'range ending next month');
  assert.equal(ahead.total, thisMonth().endsWith('-01') ? 2 : 1);
  refused(await srv.get('/api/v1/enterprises?above_scale_to=2026-13'), 400, 'above_scale_to');
  refused(await srv.get('/api/v1/enterprises?above_scale=maybe'), 400, 'above_scale');
  // Dropping below scale clears the month; becoming so again needs one.
  const small = (await srv.get(`/api/v1/enterprises?q=${encodeURIComponent('玻科')}`)).body.items[0];
  const dropped = await ok(await srv.patch(`/api/v1/enterprises/${small.id}`, { above_scale: false }), 200, 'drop');
  assert.equal(dropped.above_scale_since, null);
  refused(await srv.patch(`/api/v1/enterprises/${small.id}`, { above_scale: true }), 400, 'above_scale_since');
});

test('status changes keep their history; a repeated or unknown status is refused', async () => {
  const r = await ok(await srv.post(`/api/v1/enterprises/${E.id}/status`, {
    status: 'suspended', since: localDate(), reason: '设备检修停产',
  }), 201, 'suspend');
  assert.equal(r.status, 'suspended');
  assert.deepEqual(r.status_history.map((h) => h.status), ['operating', 'suspended']);
  assert.equal(r.status_history[1].reason, '设备检修停产');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/status`, { status: 'suspended' }), 409, 'status');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/status`, { status: 'bankrupt' }), 400, 'status');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/status`, { status: 'operating', since: localDate(-30) }), 400, 'since');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/status`, { status: 'operating', since: localDate(2) }), 400, 'since');
  const back = await ok(await srv.post(`/api/v1/enterprises/${E.id}/status`, { status: 'operating' }), 201, 'resume');
  assert.equal(back.status_history.length, 3);
  const suspended = await ok(await srv.get('/api/v1/enterprises?status=suspended'), 200, 'by status');
  assert.equal(suspended.total, 0);
});

test('a contact\'s phone is masked, sealed at rest, and revealed only with the permission and an audit row', async () => {
  const r = await ok(await srv.post(`/api/v1/enterprises/${E.id}/contacts`, {
    name: '张经理', title: '财务总监', phone: '138 1234 5678',
  }), 201, 'contact');
  assert.equal(r.contacts.length, 1);
  assert.equal(r.contacts[0].phone, '138****5678');
  assert.ok(!r.text?.includes('13812345678'));
  refused(await srv.post(`/api/v1/enterprises/${E.id}/contacts`, { name: '李', phone: '12345' }), 400, 'phone');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/contacts`, { phone: '13812345678' }), 400, 'name');
  const got = await srv.get(`/api/v1/enterprises/${E.id}`);
  assert.ok(!got.text.includes('13812345678'), 'masked on every read');
  if (SQLITE) assert.ok(!sqlite(srv.db, '.dump').includes('13812345678'), 'the database holds no phone in clear');

  // Community staff may read enterprises but not reveal.
  const denied = await U.community.client.post(`/api/v1/enterprises/${E.id}/reveal`, { fields: ['phone'] });
  assert.equal(denied.status, 403, denied.text);
  refused(await U.officer.client.post(`/api/v1/enterprises/${E.id}/reveal`, { fields: ['id_number'] }), 400, 'fields');
  const shown = await ok(await U.officer.client.post(`/api/v1/enterprises/${E.id}/reveal`, { fields: ['phone'] }), 200, 'reveal');
  assert.equal(shown.contacts[0].phone, '13812345678');

  const auditor = cli(['user', 'add', 'ent-auditor', '--role', 'auditor', '--db', srv.db, '--key-file', srv.key]);
  assert.equal(auditor.status, 0, auditor.stderr);
  const aud = await srv.loginAs('ent-auditor', /password: (\S+)/.exec(auditor.stdout)[1], PW);
  const rows = (await ok(await aud.get('/api/v1/audit?action=reveal&limit=100'), 200, 'audit')).items;
  const mine = rows.find((x) => x.login === 'officer-wang' && x.object_id === String(E.id) && x.result === 'success');
  assert.ok(mine, JSON.stringify(rows.slice(0, 3)));
  assert.match(mine.detail, /phone/);
  assert.ok(!JSON.stringify(rows).includes('13812345678'), 'the audit log does not copy the phone');
  assert.ok(rows.some((x) => x.login === 'com-staff' && x.result === 'denied'), 'the refused reveal is recorded');
});

test('cadres: a leader and an officer of the subdistrict, dated history, coverage and an officer\'s list', async () => {
  refused(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, { role: 'officer', user_id: U.stranger.id }), 400, 'user_id');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, { role: 'boss', user_id: U.officer.id }), 400, 'role');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, { role: 'officer', user_id: 999999 }), 400, 'user_id');
  await ok(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, {
    role: 'officer', user_id: U.officer.id, starts_on: localDate(-60),
  }), 201, 'officer');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, { role: 'officer', user_id: U.officer.id }), 409, 'user_id');
  const led = await ok(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, {
    role: 'leader', user_id: U.leader.id, starts_on: localDate(-60),
  }), 201, 'leader');
  assert.deepEqual(led.cadres.map((c) => [c.role, c.login]), [['leader', 'leader-zhao'], ['officer', 'officer-wang']]);

  // A new officer from ten days ago: the first held it until the day before.
  refused(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, {
    role: 'officer', user_id: U.officer2.id, starts_on: localDate(-61),
  }), 400, 'starts_on');
  await ok(await srv.post(`/api/v1/enterprises/${E.id}/cadres`, {
    role: 'officer', user_id: U.officer2.id, starts_on: localDate(-10),
  }), 201, 'second officer');
  const history = (await ok(await srv.get(`/api/v1/enterprises/${E.id}/cadres`), 200, 'history')).items;
  const officers = history.filter((c) => c.role === 'officer');
  assert.deepEqual(officers.map((c) => [c.login, c.starts_on, c.ends_on]),
    [['officer-wang', localDate(-60), localDate(-11)], ['officer-li', localDate(-10), null]]);
  const then = (await ok(await srv.get(`/api/v1/enterprises/${E.id}/cadres?on=${localDate(-30)}`), 200, 'on')).items;
  assert.deepEqual(then.map((c) => c.login).sort(), ['leader-zhao', 'officer-wang']);
  refused(await srv.get(`/api/v1/enterprises/${E.id}/cadres?on=yesterday`), 400, 'on');

  const hers = await ok(await srv.get(`/api/v1/enterprises?cadre_user_id=${U.officer2.id}`), 200, 'officer list');
  assert.deepEqual(hers.items.map((e) => e.id), [E.id]);
  const gaps = await ok(await srv.get('/api/v1/enterprises?above_scale=true&without_cadre=officer'), 200, 'coverage');
  assert.ok(gaps.items.length >= 1 && !gaps.items.some((e) => e.id === E.id), 'covered enterprises are not gaps');
  refused(await srv.get('/api/v1/enterprises?without_cadre=boss'), 400, 'without_cadre');
});

let P;	// a problem raised ten days ago, due in two calendar days: overdue

test('a problem is a time node: overdue, it turns red by the server\'s sweeper and waits in the owner\'s inbox', async () => {
  const base = { category: 'financing', description: '流动资金贷款到期续贷困难', unit_node_id: T.com, days: 2,
    day_rule: 'calendar', owner_user_id: U.officer2.id };
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, category: 'weather' }), 400, 'category');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, raised_on: localDate(1) }), 400, 'raised_on');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, unit_node_id: T.otherCom }), 400, 'unit_node_id');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, owner_user_id: U.stranger.id }), 400, 'owner_user_id');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, days: 0 }), 400, 'days');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, day_rule: 'lunar' }), 400, 'day_rule');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, description: ' ' }), 400, 'description');
  assert.equal((await srv.get('/api/v1/enterprise-problems')).body.total, 0, 'nothing half-written');

  P = await ok(await srv.post(`/api/v1/enterprises/${E.id}/problems`, { ...base, raised_on: localDate(-10) }), 201, 'problem');
  assert.equal(P.state, 'open');
  assert.equal(P.node_id, T.com);
  assert.ok(P.time_node_id > 0);
  assert.match(P.deadline, /^\d{4}-\d{2}-\d{2}T23:59:59\+08:00$/);
  assert.ok(P.deadline.startsWith(localDate(-8)), P.deadline);

  let item;
  for (let i = 0; i < 100; i++) {
    const inbox = await ok(await U.officer2.client.get('/api/v1/tasks'), 200, 'tasks');
    item = inbox.items.find((t) => t.kind === 'enterprise_problem' && t.id === P.id);
    assert.ok(item, `the owner's inbox lists it: ${JSON.stringify(inbox)}`);
    if (item.card === 'red') break;
    await sleep(100);
  }
  assert.equal(item.card, 'red', 'the server\'s sweeper gave the red card');
  assert.equal(item.title, '济南圣泉集团股份有限公司：融资');
  assert.equal(item.time_node_id, P.time_node_id);
  const again = await ok(await srv.get(`/api/v1/enterprise-problems/${P.id}`), 200, 'problem');
  assert.equal(again.card, 'red');
  // Red, it is escalated to the enterprise's 帮包 leader: in the leader's inbox too.
  const led = await ok(await U.leader.client.get('/api/v1/tasks'), 200, 'leader inbox');
  const up = led.items.find((t) => t.kind === 'enterprise_problem' && t.id === P.id);
  assert.ok(up, `the leader's inbox lists it: ${JSON.stringify(led)}`);
  assert.equal(up.list, 'escalated');
  assert.equal(up.card, 'red');
  // Someone else's inbox does not list it: it waits for its owner and its leader.
  const others = await ok(await U.officer.client.get('/api/v1/tasks'), 200, 'other inbox');
  assert.ok(!others.items.some((t) => t.kind === 'enterprise_problem'));
});

test('progress notes, then closing with evidence and satisfaction settles the time node', async () => {
  refused(await srv.post(`/api/v1/enterprise-problems/${P.id}/notes`, { note: '' }), 400, 'note');
  const noted = await ok(await U.officer2.client.post(`/api/v1/enterprise-problems/${P.id}/notes`, {
    note: '已对接农商行，续贷材料已提交',
  }), 201, 'note');
  assert.deepEqual(noted.notes.map((n) => n.note), ['已对接农商行，续贷材料已提交']);
  assert.equal(noted.notes[0].user_id, U.officer2.id);
  refused(await srv.post(`/api/v1/enterprise-problems/${P.id}/close`, { evidence: '已续贷', satisfaction: 'happy' }), 400,
    'satisfaction');
  refused(await srv.post(`/api/v1/enterprise-problems/${P.id}/close`, { satisfaction: 'satisfied' }), 400, 'evidence');
  const closed = await ok(await U.officer2.client.post(`/api/v1/enterprise-problems/${P.id}/close`, {
    evidence: '续贷2000万元已于本周放款', satisfaction: 'satisfied',
  }), 200, 'close');
  assert.equal(closed.state, 'closed');
  assert.equal(closed.satisfaction, 'satisfied');
  refused(await srv.post(`/api/v1/enterprise-problems/${P.id}/close`, { evidence: 'x', satisfaction: 'satisfied' }), 409, 'state');
  refused(await srv.post(`/api/v1/enterprise-problems/${P.id}/notes`, { note: 'late' }), 409, 'state');
  const inbox = await ok(await U.officer2.client.get('/api/v1/tasks'), 200, 'tasks');
  assert.ok(!inbox.items.some((t) => t.kind === 'enterprise_problem'), 'a closed problem waits for nobody');
  const led = await ok(await U.leader.client.get('/api/v1/tasks'), 200, 'leader inbox');
  assert.ok(!led.items.some((t) => t.kind === 'enterprise_problem'), 'nor for its leader');
  if (SQLITE) {
    const events = sqlite(srv.db, `SELECT action FROM time_node_events WHERE time_node_id = ${P.time_node_id} ORDER BY id;`);
    assert.deepEqual(events.trim().split('\n').filter((a) => a !== 'escalate'), ['open', 'red_card', 'done']);
  }
  const open = await ok(await srv.get(`/api/v1/enterprise-problems?enterprise_id=${E.id}&state=open`), 200, 'open');
  assert.equal(open.total, 0);
  const all = await ok(await srv.get(`/api/v1/enterprise-problems?enterprise_id=${E.id}`), 200, 'all');
  assert.equal(all.total, 1);
});

test('honours: kind, level, year and expiry; counted by the list; a second of the same refused', async () => {
  const y = Number(localDate().slice(0, 4));
  const add = (body) => srv.post(`/api/v1/enterprises/${E.id}/honours`, body);
  const r = await ok(await add({ kind: 'little_giant', level: 'national', year: y - 1, expires_on: `${y + 2}-12-31` }), 201, 'giant');
  assert.deepEqual(r.honours.map((h) => [h.kind, h.level, h.year]), [['little_giant', 'national', y - 1]]);
  await ok(await add({ kind: 'specialised', level: 'provincial', year: y - 3, expires_on: `${y - 1}-12-31` }), 201, 'lapsed');
  await ok(await add({ kind: 'gazelle', level: 'city', year: y }), 201, 'gazelle');
  refused(await add({ kind: 'little_giant', level: 'national', year: y - 1 }), 409, 'kind');
  refused(await add({ kind: 'unicorn', level: 'national', year: y }), 400, 'kind');
  refused(await add({ kind: 'gazelle', level: 'planet', year: y }), 400, 'level');
  refused(await add({ kind: 'other', level: 'city', year: y }), 400, 'title');
  refused(await add({ kind: 'high_tech', level: 'national', year: y + 1 }), 400, 'year');
  refused(await add({ kind: 'high_tech', level: 'national', year: y, expires_on: `${y - 1}-06-30` }), 400, 'expires_on');
  const giants = await ok(await srv.get('/api/v1/enterprise-honours?kind=little_giant&level=national'), 200, 'giants');
  assert.equal(giants.total, 1);
  assert.equal(giants.items[0].enterprise_id, E.id);
  assert.equal((await ok(await srv.get('/api/v1/enterprise-honours'), 200, 'all')).total, 3);
  const valid = await ok(await srv.get(`/api/v1/enterprise-honours?valid_on=${localDate()}`), 200, 'valid today');
  assert.deepEqual(valid.items.map((h) => h.kind).sort(), ['gazelle', 'little_giant'], 'the lapsed one is left out');
  refused(await srv.get('/api/v1/enterprise-honours?level=planet'), 400, 'level');
  assert.equal((await ok(await U.community2.client.get('/api/v1/enterprise-honours'), 200, 'out of scope')).total, 0);
});

test('service records: visits, a 直通车 with the enterprises attending, booklets; counted in the month\'s report', async () => {
  const other = (await srv.get(`/api/v1/enterprises?q=${encodeURIComponent('久安酯')}`)).body.items[0];
  const far = await ok(await srv.post('/api/v1/enterprises', {
    credit_code: uscc('91370181MA3C00010'), name: '外街道企业', node_id: T.otherCom,
  }), 201, 'far');
  // Visits: by whoever records it unless another user of the subdistrict is named.
  const v = await ok(await U.officer.client.post(`/api/v1/enterprises/${E.id}/visits`, {
    purpose: '送政策上门：研发费用加计扣除', policies: '《惠企政策汇编》', follow_up: '协助申报高新技术企业',
  }), 201, 'visit');
  assert.deepEqual([v.user_id, v.login, v.visited_on, v.node_id], [U.officer.id, 'officer-wang', localDate(), T.com]);
  await ok(await srv.post(`/api/v1/enterprises/${other.id}/visits`, { purpose: '走访', user_id: U.officer2.id,
    visited_on: localDate() }), 201, 'second visit');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/visits`, { purpose: '走访', user_id: U.stranger.id }), 400, 'user_id');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/visits`, { purpose: '走访', user_id: U.officer.id,
    visited_on: localDate(1) }), 400, 'visited_on');
  refused(await srv.post(`/api/v1/enterprises/${E.id}/visits`, { user_id: U.officer.id }), 400, 'purpose');
  assert.equal((await ok(await srv.get(`/api/v1/enterprise-visits?user_id=${U.officer.id}`), 200, 'visits')).total, 1);
  assert.equal((await ok(await srv.get('/api/v1/enterprise-visits'), 200, 'all visits')).total, 2);

  // A finance 直通车 held by the subdistrict, two enterprises attending.
  const base = { node_id: T.sub, held_on: localDate(), kind: 'finance', title: '金融服务直通车', partner: '章丘农商银行' };
  refused(await srv.post('/api/v1/enterprise-events', { ...base, enterprise_ids: [E.id, E.id] }), 400, 'enterprise_ids');
  refused(await srv.post('/api/v1/enterprise-events', { ...base, enterprise_ids: [E.id, far.id] }), 400, 'enterprise_ids');
  refused(await srv.post('/api/v1/enterprise-events', { ...base, kind: 'party' }), 400, 'kind');
  refused(await srv.post('/api/v1/enterprise-events', { ...base, held_on: localDate(1) }), 400, 'held_on');
  const ev = await ok(await srv.post('/api/v1/enterprise-events', { ...base, enterprise_ids: [E.id, other.id] }), 201, 'event');
  assert.equal(ev.attendee_count, 2);
  assert.deepEqual(ev.enterprise_ids, [E.id, other.id].sort((a, b) => a - b));
  assert.equal((await ok(await srv.get(`/api/v1/enterprise-events?enterprise_id=${E.id}&kind=finance`), 200, 'events')).total, 1);

  // 300 booklets: at the event, to an enterprise, and at the subdistrict's stand.
  await ok(await srv.post('/api/v1/policy-handouts', { event_id: ev.id, title: '惠企政策汇编', copies: 120 }), 201, 'at the event');
  await ok(await srv.post('/api/v1/policy-handouts', { enterprise_id: E.id, title: '惠企政策汇编', copies: 30 }), 201, 'to E');
  await ok(await srv.post('/api/v1/policy-handouts', { node_id: T.sub, title: '惠企政策汇编', copies: 150 }), 201, 'stand');
  refused(await srv.post('/api/v1/policy-handouts', { node_id: T.sub, title: '惠企政策汇编', copies: 0 }), 400, 'copies');
  refused(await srv.post('/api/v1/policy-handouts', { title: '惠企政策汇编', copies: 5 }), 400, 'node_id');
  refused(await srv.post('/api/v1/policy-handouts', { event_id: 999999, title: '惠企政策汇编', copies: 5 }), 400, 'event_id');
  const handed = await ok(await srv.get('/api/v1/policy-handouts'), 200, 'handouts');
  assert.deepEqual([handed.total, handed.copies], [3, 300]);

  const report = await ok(await srv.get(`/api/v1/economy/report?node=${T.sub}&month=${localDate().slice(0, 7)}`), 200, 'report');
  assert.deepEqual(report.service, { visits: 2, events: 1, handout_copies: 300 });
  // Community staff of the other community see the visit to their own enterprise only, and no subdistrict event.
  const theirs = await ok(await U.community2.client.get('/api/v1/enterprise-visits'), 200, 'visits 2');
  assert.deepEqual(theirs.items.map((x) => x.enterprise_id), [other.id]);
  assert.equal((await ok(await U.community2.client.get('/api/v1/enterprise-events'), 200, 'events 2')).total, 0);
  assert.equal((await U.community2.client.get(`/api/v1/enterprise-events/${ev.id}`)).status, 404);
});

test('scope: community staff see their community\'s enterprises only, and may not write', async () => {
  const mine = await ok(await U.community.client.get('/api/v1/enterprises'), 200, 'list');
  assert.ok(mine.items.length > 0 && mine.items.every((e) => e.node_id === T.com), JSON.stringify(mine.items));
  const theirs = await ok(await U.community2.client.get('/api/v1/enterprises'), 200, 'list 2');
  assert.ok(theirs.items.every((e) => e.node_id === T.com2));
  assert.equal((await U.community2.client.get(`/api/v1/enterprises/${E.id}`)).status, 404);
  assert.equal((await U.community2.client.get(`/api/v1/enterprise-problems/${P.id}`)).status, 404);
  assert.equal((await U.community2.client.get(`/api/v1/enterprises/${E.id}/cadres`)).status, 404);
  const problems = await ok(await U.community2.client.get('/api/v1/enterprise-problems'), 200, 'problems');
  assert.equal(problems.total, 0);
  assert.equal((await U.community.client.post(`/api/v1/enterprises/${E.id}/status`, { status: 'closed' })).status, 403);
  // A subdistrict officer of another subdistrict sees none of it.
  assert.equal((await U.stranger.client.get(`/api/v1/enterprises/${E.id}`)).status, 404);
  refused(await U.stranger.client.post('/api/v1/enterprises', {
    credit_code: uscc('91370181MA3C00009'), name: '越界', node_id: T.com,
  }), 400, 'node_id');
});
