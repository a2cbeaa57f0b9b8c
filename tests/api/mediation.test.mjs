// mediation.test.mjs - mediation cases (民事调解, issue 17 part 5) and 红白理事会 filings, black-box against
// `yuanluo serve`: a case with parties and sessions, closed settled at a level with its agreement, referred,
// or withdrawn; bad input names the field and writes nothing; the summary, the notes and the agreement are
// encrypted at rest and never in a list; a 邻里纠纷 work order becomes a case (once), another kind does not;
// another community's staff see none of it; the figures count disputes settled in the courtyard and community.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf, canRunSql, sqlite, NO_SQL } from './harness.mjs';

const PW = 'Mediation-Pass-2026!';
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const SECRET = '两户因漏水纠纷，王某患有抑郁症';

let srv;
const T = {};
const U = {};

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

async function fails(p, status, field) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  const e = errorOf(r);
  if (field !== undefined) assert.equal(e.field, field, r.text);
  return e;
}

async function user(login, role, scope) {
  const u = await ok(srv.post('/api/v1/users', { login, role, scope_node_id: scope, password: 'Init-Pass-2026' }), 201);
  U[login] = { id: u.id, client: await srv.loginAs(login, 'Init-Pass-2026', PW) };
}

before(async () => {
  srv = await startServer();
  const mk = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  T.ms = await mk({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.lq = await mk({ level: 'community', name: '龙泉社区', parent_id: T.ms, code: 'MS-LQ' });
  T.jl = await mk({ level: 'courtyard', name: '君临天下', parent_id: T.lq, code: 'MS-LQ-JL', kind: 'residential' });
  T.b3 = await mk({ level: 'building', name: '3号楼', parent_id: T.jl, code: 'MS-LQ-JL-3' });
  T.h = await mk({ level: 'household', name: '201', parent_id: T.b3, code: 'MS-LQ-JL-3-201' });
  T.qs = await mk({ level: 'community', name: '泉水社区', parent_id: T.ms, code: 'MS-QS' });
  await user('mediator', 'community_staff', T.lq);
  await user('other', 'community_staff', T.qs);
  await user('member', 'council_member', T.jl);
});

after(async () => { if (srv) await srv.stop(); });

let C;
describe('mediation cases', () => {
  test('a case opens with place, kind and summary; bad input names the field', async () => {
    const base = { node_id: T.jl, kind: 'neighbours', summary: SECRET, mediator_user_id: U.mediator.id, opened_on: day(-3) };
    await fails(U.mediator.client.post('/api/v1/mediation-cases', { ...base, kind: 'war' }), 400, 'kind');
    await fails(U.mediator.client.post('/api/v1/mediation-cases', { ...base, summary: ' ' }), 400, 'summary');
    await fails(U.mediator.client.post('/api/v1/mediation-cases', { ...base, opened_on: day(1) }), 400, 'opened_on');
    await fails(U.other.client.post('/api/v1/mediation-cases', base), 400, 'node_id');
    assert.equal((await U.member.client.post('/api/v1/mediation-cases', base)).status, 403);
    assert.equal((await ok(U.mediator.client.get('/api/v1/mediation-cases'))).total, 0);
    C = await ok(U.mediator.client.post('/api/v1/mediation-cases', base), 201);
    assert.equal(C.summary, SECRET);
    assert.equal(C.status, 'open');
  });

  test('parties (phones masked), sessions with notes; the list shows neither text nor full names', async () => {
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/parties`, { name: '王某', role: 'judge' }), 400, 'role');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/parties`, { name: '王某', role: 'applicant',
      phone: '123' }), 400, 'phone');
    await ok(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/parties`, { name: '王建华', role: 'applicant',
      phone: '13812345678' }), 201);
    C = await ok(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/parties`, { name: '李秀英', role: 'respondent' }), 201);
    assert.deepEqual(C.parties.map((p) => [p.name, p.role, p.phone]), [['王建华', 'applicant', '138****5678'],
      ['李秀英', 'respondent', null]]);
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/sessions`, { held_on: day(-4), notes: 'x' }), 400,
      'held_on');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/sessions`, { held_on: day(1), notes: 'x' }), 400,
      'held_on');
    C = await ok(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/sessions`, { held_on: day(-1),
      notes: '双方同意由楼上维修防水层' }), 201);
    assert.equal(C.sessions[0].notes, '双方同意由楼上维修防水层');
    const list = await ok(U.mediator.client.get('/api/v1/mediation-cases'));
    const text = JSON.stringify(list);
    assert.ok(!text.includes(SECRET) && !text.includes('防水层') && !text.includes('王建华') && !text.includes('13812345678'), text);
    assert.deepEqual(list.items[0].parties.map((p) => p.name), ['王**', '李**']);
  });

  test('sensitive text is encrypted at rest', { skip: !canRunSql() && NO_SQL }, () => {
    const rows = sqlite(srv.db, 'SELECT summary_enc FROM mediation_cases; SELECT notes_enc FROM mediation_sessions;'
      + ' SELECT phone_enc FROM mediation_parties;');
    assert.ok(rows.trim().length > 0);
    assert.ok(!rows.includes('抑郁') && !rows.includes('防水') && !rows.includes('13812345678'), rows);
  });

  test('closing: settled needs its level and agreement; referred names where; nothing half-written', async () => {
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'happy' }), 400, 'outcome');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'settled', agreement: 'x' }), 400,
      'level');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'settled', level: 'courtyard' }),
      400, 'agreement');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'withdrawn', level: 'courtyard' }),
      400, 'level');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'settled', level: 'courtyard',
      agreement: 'x', closed_on: day(-5) }), 400, 'closed_on');
    assert.equal((await ok(U.mediator.client.get(`/api/v1/mediation-cases/${C.id}`))).status, 'open');
    C = await ok(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'settled', level: 'courtyard',
      agreement: '楼上住户三日内修复防水层，费用自理' }));
    assert.deepEqual([C.status, C.settled_level, C.closed_on], ['settled', 'courtyard', day(0)]);
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/close`, { outcome: 'withdrawn' }), 409, 'status');
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${C.id}/sessions`, { held_on: day(0), notes: 'x' }), 409,
      'status');
    const ref = await ok(U.mediator.client.post('/api/v1/mediation-cases', { node_id: T.jl, kind: 'rent', summary: '租金纠纷' }), 201);
    await fails(U.mediator.client.post(`/api/v1/mediation-cases/${ref.id}/close`, { outcome: 'referred' }), 400, 'referred_to');
    await ok(U.mediator.client.post(`/api/v1/mediation-cases/${ref.id}/close`, { outcome: 'referred', referred_to: '街道司法所' }));
  });

  test('a 邻里纠纷 work order becomes a case once, its caller the applicant; another kind does not', async () => {
    const cats = (await ok(U.mediator.client.get('/api/v1/wo-categories'))).items;
    const neigh = cats.find((c) => c.name === '邻里纠纷').children.find((c) => c.name === '邻里矛盾');
    const env = cats.find((c) => c.name === '市容环境').children[0];
    const order = async (category_id) => (await ok(U.mediator.client.post('/api/v1/work-orders', { source: 'walk_in',
      type: 'complaint', category_id, node_id: T.h, text: '楼上装修噪音，双方吵架', caller_name: '赵大妈',
      caller_phone: '13900001111' }), 201)).id;
    const o1 = await order(neigh.id);
    const o2 = await order(env.id);
    await fails(U.mediator.client.post('/api/v1/mediation-cases', { work_order_id: o2 }), 400, 'work_order_id');
    await fails(U.mediator.client.post('/api/v1/mediation-cases', { work_order_id: o1, kind: 'family' }), 400, 'kind');
    await fails(U.other.client.post('/api/v1/mediation-cases', { work_order_id: o1 }), 400, 'work_order_id');
    const c = await ok(U.mediator.client.post('/api/v1/mediation-cases', { work_order_id: o1, mediator_user_id: U.mediator.id }),
      201);
    assert.equal(c.work_order_id, o1);
    assert.equal(c.node_id, T.h);
    assert.equal(c.summary, '楼上装修噪音，双方吵架');
    assert.deepEqual(c.parties.map((p) => [p.name, p.role, p.phone]), [['赵大妈', 'applicant', '139****1111']]);
    await fails(U.mediator.client.post('/api/v1/mediation-cases', { work_order_id: o1 }), 409, 'work_order_id');
    await ok(U.mediator.client.post(`/api/v1/mediation-cases/${c.id}/close`, { outcome: 'settled', level: 'community',
      agreement: '装修限定在工作日 9-17 时' }));
  });

  test('another community sees none of it', async () => {
    assert.equal((await U.other.client.get(`/api/v1/mediation-cases/${C.id}`)).status, 404);
    assert.equal((await U.other.client.post(`/api/v1/mediation-cases/${C.id}/sessions`, { held_on: day(0), notes: 'x' })).status,
      404);
    assert.deepEqual((await ok(U.other.client.get('/api/v1/mediation-cases'))).items, []);
    assert.equal((await U.member.client.get('/api/v1/mediation-cases')).status, 403);
  });

  test('红白理事会 filings and the figures: disputes settled within the community', async () => {
    await fails(U.mediator.client.post('/api/v1/red-white-filings', { node_id: T.h, kind: 'party', held_on: day(-2),
      family_name: '孙家', tables: 8, frugal_pledge: true }), 400, 'kind');
    await fails(U.mediator.client.post('/api/v1/red-white-filings', { node_id: T.h, kind: 'wedding', held_on: day(-2),
      family_name: '孙家', tables: 1000, frugal_pledge: true }), 400, 'tables');
    await ok(U.mediator.client.post('/api/v1/red-white-filings', { node_id: T.h, kind: 'wedding', held_on: day(-2),
      family_name: '孙家', tables: 8, frugal_pledge: true }), 201);
    await ok(U.mediator.client.post('/api/v1/red-white-filings', { node_id: T.h, kind: 'funeral', held_on: day(-1),
      family_name: '周家', tables: 5, frugal_pledge: false }), 201);
    assert.equal((await ok(U.mediator.client.get('/api/v1/red-white-filings'))).total, 2);
    assert.equal((await ok(U.other.client.get('/api/v1/red-white-filings'))).total, 0);
    const year = Number(day(0).slice(0, 4));
    const fg = await ok(U.mediator.client.get(`/api/v1/council-figures?year=${year}`));
    // opened: the first case 3 days ago may fall in last year on the first days of January
    assert.equal(fg.mediation.settled_courtyard, 1);
    assert.equal(fg.mediation.settled_community, 1);
    assert.equal(fg.mediation.settled_above, 0);
    assert.equal(fg.mediation.referred, 1);
    assert.equal(fg.mediation.within_community_percent, 100);
    const filed = [day(-2), day(-1)].filter((d) => d.startsWith(String(year)));
    assert.equal(fg.red_white.weddings + fg.red_white.funerals, filed.length);
  });
});
