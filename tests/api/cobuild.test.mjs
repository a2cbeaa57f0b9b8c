// cobuild.test.mjs - co-building (双报到, issue 18), black-box against `yuanluo serve`: units that report
// with a checked credit code and a masked contact, in-service party members, the three lists (needs,
// resources, projects built from needs), and claims on the shared time-node engine — claimed by a unit's
// contact for their unit only, reported with evidence, rated by the community and by the residents who
// raised the needs.  A unit's contact sees only their unit's claims.  Bad input is a 4xx naming the field
// with nothing written.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf } from './harness.mjs';

const PW = 'Cobuild-Pass-2026!';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A local (Asia/Shanghai) date n days from today.
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

// A unified social credit code with its GB 32100 check character.
function uscc(body17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  for (let i = 0, w = 1; i < 17; i++, w = (w * 3) % 31) sum += chars.indexOf(body17[i]) * w;
  return body17 + chars[(31 - (sum % 31)) % 31];
}

let srv;
const T = {};	// nodes
const U = {};	// users: { id, client }
const P = {};	// persons
const X = {};	// objects made along the way

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
  return U[login];
}

before(async () => {
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const mk = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  T.ms = await mk({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.yq = await mk({ level: 'community', name: '御泉社区', parent_id: T.ms, code: 'MS-YQ' });
  T.dorm = await mk({ level: 'courtyard', name: '机关宿舍院', parent_id: T.yq, code: 'MS-YQ-01', kind: 'residential' });
  T.lq = await mk({ level: 'community', name: '龙泉社区', parent_id: T.ms, code: 'MS-LQ' });
  T.dz = await mk({ level: 'subdistrict', name: '刁镇街道', code: 'DZ' });
  T.dzc = await mk({ level: 'community', name: '化工产业园', parent_id: T.dz, code: 'DZ-P' });
  await user('staff', 'community_staff', T.yq);
  await user('grid', 'grid_member', T.dorm);
  await user('bank', 'unit_contact', T.yq);
  await user('school', 'unit_contact', T.yq);
  await user('lqstaff', 'community_staff', T.lq);
  const person = async (name, home, extra = {}) => (await ok(srv.post('/api/v1/persons', { name, home_node_id: home, ...extra }), 201)).id;
  P.wang = await person('王大爷', T.dorm);
  P.li = await person('李阿姨', T.dorm);
  P.zhang = await person('张建国', T.dorm, { party_member: true, member_org_name: '章丘农商银行党委' });
});

after(async () => { if (srv) await srv.stop(); });

describe('units', () => {
  test('a unit reports with a checked credit code; its contact phone is masked and revealed only on record', async () => {
    const staff = U.staff.client;
    const base = { name: '章丘农商银行御泉支行', kind: 'bank', node_id: T.yq, reported_on: day(-30),
      party_org_name: '农商银行御泉支行党支部', contact_name: '刘行长', contact_phone: '13805310001' };
    await fails(staff.post('/api/v1/cobuild-units', { ...base, credit_code: '91370181MA3C4BQ02A' }), 400, 'credit_code');
    await fails(staff.post('/api/v1/cobuild-units', { ...base, credit_code: uscc('91370181MA3C4BQ02'), kind: 'temple' }), 400, 'kind');
    await fails(staff.post('/api/v1/cobuild-units', { ...base, reported_on: day(3) }), 400, 'reported_on');
    await fails(staff.post('/api/v1/cobuild-units', { ...base, contact_phone: '12345' }), 400, 'contact_phone');
    await fails(staff.post('/api/v1/cobuild-units', { ...base, colour: 'red' }), 400, 'colour');
    // a community outside one's scope is as if missing
    await fails(staff.post('/api/v1/cobuild-units', { ...base, node_id: T.lq }), 400, 'node_id');
    assert.equal((await ok(staff.get('/api/v1/cobuild-units'))).items.length, 0, 'nothing written');
    X.bank = await ok(staff.post('/api/v1/cobuild-units', { ...base, credit_code: uscc('91370181MA3C4BQ02') }), 201);
    assert.equal(X.bank.contact_phone, '138****0001');
    assert.equal(X.bank.subdistrict_id, T.ms);
    await fails(staff.post('/api/v1/cobuild-units', { ...base, name: '重名', credit_code: uscc('91370181MA3C4BQ02') }), 409, 'credit_code');
    X.school = await ok(staff.post('/api/v1/cobuild-units', { name: '明水实验小学', kind: 'school', node_id: T.yq,
      reported_on: day(-20) }), 201);
    X.far = await ok(srv.post('/api/v1/cobuild-units', { name: '刁镇卫生院', kind: 'hospital', node_id: T.dzc,
      reported_on: day(-20) }), 201);
    const shown = await ok(staff.post(`/api/v1/cobuild-units/${X.bank.id}/reveal`, { fields: ['contact_phone'] }));
    assert.equal(shown.contact_phone, '13805310001');
    // accounts that speak for the units
    await ok(staff.post(`/api/v1/cobuild-units/${X.bank.id}/accounts`, { user_id: U.bank.id }), 201);
    await ok(staff.post(`/api/v1/cobuild-units/${X.school.id}/accounts`, { user_id: U.school.id }), 201);
    await fails(staff.post(`/api/v1/cobuild-units/${X.bank.id}/accounts`, { user_id: U.bank.id }), 409, 'user_id');
    // another community's staff does not see it
    await fails(U.lqstaff.client.get(`/api/v1/cobuild-units/${X.bank.id}`), 404);
  });

  test('in-service party members who reported are party members, once each', async () => {
    const staff = U.staff.client;
    await fails(staff.post(`/api/v1/cobuild-units/${X.bank.id}/members`, { person_id: P.wang }), 400, 'person_id');
    await fails(staff.post(`/api/v1/cobuild-units/${X.bank.id}/members`, { person_id: P.zhang, reported_on: day(2) }), 400, 'reported_on');
    const u = await ok(staff.post(`/api/v1/cobuild-units/${X.bank.id}/members`, { person_id: P.zhang }), 201);
    assert.equal(u.members, 1);
    assert.deepEqual(u.in_service_members.map((m) => [m.person_id, m.member_org_name]), [[P.zhang, '章丘农商银行党委']]);
    await fails(staff.post(`/api/v1/cobuild-units/${X.bank.id}/members`, { person_id: P.zhang }), 409, 'person_id');
  });
});

describe('the three lists', () => {
  test('a grid member raises needs on the spot; a resident\'s need names the resident', async () => {
    const grid = U.grid.client;
    const body = { node_id: T.dorm, title: '3号楼需要无障碍坡道', kind: 'facility', source: 'resident', urgency: 'urgent' };
    await fails(grid.post('/api/v1/cobuild-needs', body), 400, 'raised_by_person_id');
    await fails(grid.post('/api/v1/cobuild-needs', { ...body, raised_by_person_id: P.wang, raised_on: day(1) }), 400, 'raised_on');
    await fails(grid.post('/api/v1/cobuild-needs', { ...body, raised_by_person_id: P.wang, kind: 'weather' }), 400, 'kind');
    await fails(grid.post('/api/v1/cobuild-needs', { ...body, raised_by_person_id: P.wang, node_id: T.lq }), 400, 'node_id');
    await fails(grid.post('/api/v1/cobuild-needs', { ...body, source: 'work_order' }), 400, 'work_order_id');
    X.ramp = await ok(grid.post('/api/v1/cobuild-needs', { ...body, raised_by_person_id: P.wang }), 201);
    assert.equal(X.ramp.status, 'open');
    assert.equal(X.ramp.raised_on, day(0));
    assert.equal(X.ramp.raised_by_user_id, U.grid.id);
    X.phone = await ok(grid.post('/api/v1/cobuild-needs', { node_id: T.dorm, title: '老人想学手机支付', kind: 'finance',
      source: 'grid_member' }), 201);
    X.farNeed = await ok(srv.post('/api/v1/cobuild-needs', { node_id: T.dzc, title: '园区路灯', kind: 'facility',
      source: 'council' }), 201);
    const list = await ok(U.staff.client.get('/api/v1/cobuild-needs?status=open'));
    assert.deepEqual(list.items.map((n) => n.id).sort(), [X.ramp.id, X.phone.id].sort());
    await fails(U.staff.client.get('/api/v1/cobuild-needs?status=closed'), 400, 'status');
  });

  test('resources are offered by a unit or a person of the subdistrict', async () => {
    const staff = U.staff.client;
    await fails(staff.post('/api/v1/cobuild-resources', { node_id: T.yq, kind: 'funding', title: '助老基金' }), 400, 'unit_id');
    await fails(staff.post('/api/v1/cobuild-resources', { node_id: T.yq, kind: 'funding', title: '助老基金', unit_id: X.far.id }),
      400, 'unit_id');
    X.fund = await ok(staff.post('/api/v1/cobuild-resources', { node_id: T.yq, kind: 'funding', title: '助老基金',
      unit_id: X.bank.id }), 201);
    assert.equal(X.fund.offered_by, '章丘农商银行御泉支行');
    X.class = await ok(staff.post('/api/v1/cobuild-resources', { node_id: T.yq, kind: 'training', title: '金融知识课堂',
      person_id: P.zhang }), 201);
  });

  test('a project is built from needs (never none) with resources matched, and waits to be claimed', async () => {
    const staff = U.staff.client;
    const body = { node_id: T.dorm, title: '坡道与手机课堂', resource_ids: [X.fund.id, X.class.id] };
    await fails(staff.post('/api/v1/cobuild-projects', body), 400, 'need_ids');
    await fails(staff.post('/api/v1/cobuild-projects', { ...body, need_ids: [] }), 400, 'need_ids');
    await fails(staff.post('/api/v1/cobuild-projects', { ...body, need_ids: [X.ramp.id, X.farNeed.id] }), 400, 'need_ids');
    await fails(staff.post('/api/v1/cobuild-projects', { ...body, need_ids: [X.ramp.id], claim_by: day(0) }), 400, 'claim_by');
    assert.equal((await ok(staff.get('/api/v1/cobuild-projects'))).items.length, 0, 'nothing written');
    assert.equal((await ok(staff.get(`/api/v1/cobuild-needs/${X.ramp.id}`))).status, 'open');
    X.project = await ok(staff.post('/api/v1/cobuild-projects', { ...body, need_ids: [X.ramp.id, X.phone.id],
      claim_by: day(10) }), 201);
    assert.equal(X.project.status, 'open');
    assert.deepEqual(X.project.needs.map((n) => n.status), ['planned', 'planned']);
    assert.deepEqual(X.project.resources.map((r) => r.title), ['助老基金', '金融知识课堂']);
    assert.equal(X.project.card, 'none');
    assert.ok(X.project.claim_deadline.startsWith(`${day(10)}T23:59:59`), X.project.claim_deadline);
    assert.equal(X.project.claim, null);
    // a need goes into one project
    await fails(staff.post('/api/v1/cobuild-projects', { ...body, need_ids: [X.ramp.id] }), 409, 'need_ids');
  });
});

describe('claims', () => {
  test('a unit of another subdistrict cannot claim; a contact claims only for their own unit', async () => {
    const path = `/api/v1/cobuild-projects/${X.project.id}/claim`;
    await fails(U.staff.client.post(path, { unit_id: X.far.id, due_on: day(7) }), 400, 'unit_id');
    await fails(U.bank.client.post(path, { unit_id: X.school.id, due_on: day(7) }), 403, 'unit_id');
    await fails(U.grid.client.post(path, { unit_id: X.bank.id, due_on: day(7) }), 403, 'unit_id');
    await fails(U.bank.client.post(path, { unit_id: X.bank.id, due_on: day(0) }), 400, 'due_on');
    await fails(U.bank.client.post(path, { unit_id: X.bank.id }), 400, 'due_on');
    assert.equal((await ok(U.staff.client.get(`/api/v1/cobuild-projects/${X.project.id}`))).status, 'open', 'nothing written');
    X.claim = await ok(U.bank.client.post(path, { unit_id: X.bank.id, due_on: day(7) }), 201);
    assert.equal(X.claim.status, 'claimed');
    assert.equal(X.claim.claimant, '章丘农商银行御泉支行');
    assert.equal(X.claim.card, 'none');
    await fails(U.school.client.post(path, { unit_id: X.school.id, due_on: day(7) }), 409, 'status');
    const p = await ok(U.staff.client.get(`/api/v1/cobuild-projects/${X.project.id}`));
    assert.equal(p.status, 'claimed');
    assert.equal(p.claim.id, X.claim.id);
  });

  test("a unit's contact sees only their unit's claims", async () => {
    assert.deepEqual((await ok(U.bank.client.get('/api/v1/cobuild-claims'))).items.map((c) => c.id), [X.claim.id]);
    assert.deepEqual((await ok(U.school.client.get('/api/v1/cobuild-claims'))).items, []);
    await fails(U.school.client.get(`/api/v1/cobuild-claims/${X.claim.id}`), 404);
    await fails(U.school.client.post(`/api/v1/cobuild-claims/${X.claim.id}/report`, { evidence: 'x', served_on: day(0), hours: '1' }), 404);
    assert.equal((await ok(U.school.client.get(`/api/v1/cobuild-projects/${X.project.id}`))).claim, null);
    assert.equal((await ok(U.grid.client.get(`/api/v1/cobuild-claims/${X.claim.id}`))).id, X.claim.id);
    await fails(U.lqstaff.client.get(`/api/v1/cobuild-claims/${X.claim.id}`), 404);
    // the inbox: the bank's contact finds the bank's claim, never the school's at the community their scope names
    const need = await ok(U.staff.client.post('/api/v1/cobuild-needs', { node_id: T.yq, title: '社区广场需要长椅', kind: 'facility',
      source: 'council' }), 201);
    const p = await ok(U.staff.client.post('/api/v1/cobuild-projects', { node_id: T.yq, title: '广场长椅', need_ids: [need.id] }), 201);
    const schools = await ok(U.staff.client.post(`/api/v1/cobuild-projects/${p.id}/claim`, { unit_id: X.school.id, due_on: day(9) }), 201);
    const inbox = async (u) => (await ok(u.client.get('/api/v1/tasks'))).items.filter((x) => x.kind === 'cobuild_claim').map((x) => x.id);
    assert.deepEqual(await inbox(U.bank), [X.claim.id]);
    assert.deepEqual(await inbox(U.school), []);
    assert.ok((await inbox(U.staff)).includes(schools.id), 'staff find the claim at their community');
  });

  test('a report carries evidence, a day served not in the future and hours; then the ratings', async () => {
    const path = `/api/v1/cobuild-claims/${X.claim.id}`;
    await fails(U.staff.client.post(`${path}/ratings`, { rater: 'community', score: 5 }), 409, 'status');
    await fails(U.bank.client.post(`${path}/report`, { served_on: day(0), hours: '6.5' }), 400, 'evidence');
    await fails(U.bank.client.post(`${path}/report`, { evidence: '坡道已建成', served_on: day(1), hours: '6.5' }), 400, 'served_on');
    await fails(U.bank.client.post(`${path}/report`, { evidence: '坡道已建成', served_on: day(-1), hours: '6.5' }), 400, 'served_on');
    await fails(U.bank.client.post(`${path}/report`, { evidence: '坡道已建成', served_on: day(0), hours: '6.55' }), 400, 'hours');
    await fails(U.grid.client.post(`${path}/report`, { evidence: '坡道已建成', served_on: day(0), hours: '6.5' }), 403);
    const r = await ok(U.bank.client.post(`${path}/report`, { evidence: '坡道已建成，照片存档', served_on: day(0), hours: '6.5',
      report: '银行党员志愿者施工并开设手机支付课' }), 201);
    assert.equal(r.status, 'reported');
    assert.equal(r.hours, '6.5');
    assert.equal(r.on_time, true);
    await fails(U.bank.client.post(`${path}/report`, { evidence: '再报', served_on: day(0), hours: '1' }), 409, 'status');
    // ratings: only a resident who raised a need rates as a resident; the unit does not rate itself
    await fails(U.grid.client.post(`${path}/ratings`, { rater: 'resident', person_id: P.li, score: 5 }), 400, 'person_id');
    await fails(U.grid.client.post(`${path}/ratings`, { rater: 'resident', person_id: P.wang, score: 9 }), 400, 'score');
    await fails(U.bank.client.post(`${path}/ratings`, { rater: 'resident', person_id: P.wang, score: 5 }), 403);
    await fails(U.grid.client.post(`${path}/ratings`, { rater: 'community', score: 5 }), 403, 'rater');
    await ok(U.grid.client.post(`${path}/ratings`, { rater: 'resident', person_id: P.wang, score: 4, comment: '坡道很好走' }), 201);
    await fails(U.grid.client.post(`${path}/ratings`, { rater: 'resident', person_id: P.wang, score: 5 }), 409, 'person_id');
    const rated = await ok(U.staff.client.post(`${path}/ratings`, { rater: 'community', score: 5 }), 201);
    assert.equal(rated.status, 'rated');
    assert.equal(rated.community_score, 5);
    assert.equal(rated.resident_score, 4);
    assert.deepEqual(rated.ratings.map((x) => [x.rater, x.score]), [['resident', 4], ['community', 5]]);
    const needs = await ok(U.staff.client.get('/api/v1/cobuild-needs?status=met'));
    assert.deepEqual(needs.items.map((n) => n.met_on), [day(0), day(0)]);
  });

  test('an overdue claim is carded red by the shared sweeper and waits in the inbox', async () => {
    const staff = U.staff.client;
    const need = await ok(U.grid.client.post('/api/v1/cobuild-needs', { node_id: T.dorm, title: '楼道灯不亮', kind: 'facility',
      source: 'grid_member' }), 201);
    const p = await ok(staff.post('/api/v1/cobuild-projects', { node_id: T.dorm, title: '楼道照明', need_ids: [need.id] }), 201);
    assert.equal(p.claim_by, day(14));
    // a party member's claim, made ten days ago and due two days ago
    const c = await ok(staff.post(`/api/v1/cobuild-projects/${p.id}/claim`, { person_id: P.zhang, claimed_on: day(-10),
      due_on: day(-2) }), 201);
    assert.equal(c.claimant, '张建国');
    let seen;
    for (let i = 0; i < 50; i++) {
      seen = await ok(staff.get(`/api/v1/cobuild-claims/${c.id}`));
      if (seen.card === 'red') break;
      await sleep(200);
    }
    assert.equal(seen.card, 'red');
    const tasks = await ok(staff.get('/api/v1/tasks'));
    const all = JSON.stringify(tasks);
    assert.ok(all.includes('cobuild_claim'), all.slice(0, 400));
    // the bank's contact does not see a party member's claim
    await fails(U.bank.client.get(`/api/v1/cobuild-claims/${c.id}`), 404);
  });
});

describe('agreements', () => {
  const year = Number(day(0).slice(0, 4));
  test('an agreement with commitments; the annual review counts hours from the claims and money as recorded', async () => {
    const staff = U.staff.client;
    const body = { unit_id: X.bank.id, title: '共驻共建协议', starts_on: `${year}-01-01`, ends_on: `${year + 2}-12-31`,
      signed_on: day(-1), document_ref: '御泉共建〔2026〕3号' };
    await fails(staff.post('/api/v1/cobuild-agreements', { ...body, ends_on: `${year - 1}-12-31` }), 400, 'ends_on');
    await fails(staff.post('/api/v1/cobuild-agreements', { ...body, signed_on: day(1) }), 400, 'signed_on');
    await fails(staff.post('/api/v1/cobuild-agreements', { ...body, unit_id: X.far.id }), 400, 'unit_id');
    await fails(U.bank.client.post('/api/v1/cobuild-agreements', body), 403);
    X.agreement = await ok(staff.post('/api/v1/cobuild-agreements', body), 201);
    assert.equal(X.agreement.unit_name, '章丘农商银行御泉支行');
    const path = `/api/v1/cobuild-agreements/${X.agreement.id}`;
    await fails(staff.post(`${path}/commitments`, { kind: 'gold', description: 'x', per_year: '1' }), 400, 'kind');
    await fails(staff.post(`${path}/commitments`, { kind: 'hours', description: '志愿服务', per_year: '1.25' }), 400, 'per_year');
    await fails(staff.post(`${path}/commitments`, { kind: 'service', description: '金融课堂', per_year: '2.5' }), 400, 'per_year');
    await ok(staff.post(`${path}/commitments`, { kind: 'hours', description: '党员志愿服务', per_year: '100' }), 201);
    await ok(staff.post(`${path}/commitments`, { kind: 'money', description: '助老基金', per_year: '5000.00' }), 201);
    const a = await ok(staff.post(`${path}/commitments`, { kind: 'service', description: '金融知识课堂', per_year: '4' }), 201);
    assert.deepEqual(a.commitments.map((c) => [c.kind, c.per_year]), [['hours', '100'], ['money', '5000'], ['service', '4']]);
    const [hours, money, service] = a.commitments.map((c) => c.id);
    // hours are never typed: they come from the reported claims
    await fails(staff.post(`/api/v1/cobuild-commitments/${hours}/deliveries`, { year, delivered: '10' }), 409, 'kind');
    await fails(staff.post(`/api/v1/cobuild-commitments/${money}/deliveries`, { year: year + 1, delivered: '10' }), 400, 'year');
    await fails(staff.post(`/api/v1/cobuild-commitments/${money}/deliveries`, { year, delivered: '10.001' }), 400, 'delivered');
    await ok(staff.post(`/api/v1/cobuild-commitments/${money}/deliveries`, { year, delivered: '2500.5', note: '第一批' }), 201);
    await fails(staff.post(`/api/v1/cobuild-commitments/${money}/deliveries`, { year, delivered: '1' }), 409, 'year');
    const r = await ok(staff.get(`${path}/review?year=${year}`));
    assert.deepEqual(r.items.map((x) => [x.kind, x.promised, x.delivered, x.percent]),
      [['hours', '100', '6.5', 7], ['money', '5000', '2500.5', 50], ['service', '4', null, null]]);
    await fails(staff.get(`${path}/review?year=${year - 1}`), 400, 'year');
    await fails(U.lqstaff.client.get(path), 404);
    await fails(U.lqstaff.client.post(`/api/v1/cobuild-commitments/${service}/deliveries`, { year, delivered: '1' }), 404);
  });
});

describe("party members' service", () => {
  test('the roll: status with history, a transfer between branches, service records and points', async () => {
    const staff = U.staff.client;
    const dorm2 = (await ok(srv.post('/api/v1/nodes', { level: 'courtyard', name: '银行宿舍院', parent_id: T.yq, code: 'MS-YQ-02',
      kind: 'residential' }), 201)).id;
    const lqCourt = (await ok(srv.post('/api/v1/nodes', { level: 'courtyard', name: '龙泉小区', parent_id: T.lq, code: 'MS-LQ-01',
      kind: 'residential' }), 201)).id;
    const branch = (await ok(srv.post('/api/v1/party-orgs', { node_id: T.dorm }), 201)).id;
    const branch2 = (await ok(srv.post('/api/v1/party-orgs', { node_id: dorm2 }), 201)).id;
    const lqBranch = (await ok(srv.post('/api/v1/party-orgs', { node_id: lqCourt }), 201)).id;
    const body = { person_id: P.zhang, org_id: branch, status: 'formal', since: day(-400), pledge: '帮邻居修水电' };
    await fails(staff.post('/api/v1/party-members', { ...body, status: 'member' }), 400, 'status');
    await fails(staff.post('/api/v1/party-members', { ...body, since: day(1) }), 400, 'since');
    await fails(staff.post('/api/v1/party-members', { ...body, org_id: lqBranch }), 400, 'org_id');
    await fails(U.grid.client.post('/api/v1/party-members', body), 403);
    const m = await ok(staff.post('/api/v1/party-members', body), 201);
    assert.equal(m.status, 'formal');
    assert.equal(m.reported, true, 'reported through the bank (双报到)');
    assert.equal(m.pledge, '帮邻居修水电');
    await fails(staff.post('/api/v1/party-members', body), 409, 'person_id');
    const li = await ok(staff.post('/api/v1/party-members', { person_id: P.li, org_id: branch, status: 'activist', since: day(-100) }), 201);
    // status: not the same again, not before the last change
    await fails(staff.post(`/api/v1/party-members/${li.id}/status`, { status: 'activist', since: day(0) }), 409, 'status');
    await fails(staff.post(`/api/v1/party-members/${li.id}/status`, { status: 'candidate', since: day(-200) }), 400, 'since');
    const moved = await ok(staff.post(`/api/v1/party-members/${li.id}/status`, { status: 'candidate', since: day(-10) }), 201);
    assert.deepEqual(moved.history.map((e) => [e.action, e.status]), [['enrol', 'activist'], ['status', 'candidate']]);
    // a transfer keeps its history
    await fails(staff.post(`/api/v1/party-members/${m.id}/transfers`, { to_org_id: branch, on: day(0), reason: '搬家' }), 400, 'to_org_id');
    await fails(staff.post(`/api/v1/party-members/${m.id}/transfers`, { to_org_id: branch2, on: day(0) }), 400, 'reason');
    await ok(staff.post(`/api/v1/party-members/${m.id}/transfers`, { to_org_id: branch2, on: day(-5), reason: '搬入银行宿舍院' }), 201);
    // service: hours in the future are refused
    const path = `/api/v1/party-members/${m.id}/service`;
    await fails(staff.post(path, { served_on: day(1), hours: '2', what: '修水管' }), 400, 'served_on');
    await fails(staff.post(path, { served_on: day(0), hours: '0', what: '修水管' }), 400, 'hours');
    await fails(staff.post(path, { served_on: day(0), hours: '2', what: ' ' }), 400, 'what');
    const after = await ok(staff.post(path, { served_on: day(0), hours: '2.5', what: '修水管', for_whom: '王大爷' }), 201);
    assert.equal(after.org_id, branch2);
    assert.deepEqual(after.history.map((e) => e.action), ['enrol', 'transfer']);
    assert.equal(after.history[1].from_org_id, branch);
    assert.equal(after.hours_this_year, '2.5');
    // points: 2 for the full hours, 2 for the record, 5 for the reported claim of this year (the overdue one is not reported)
    assert.equal(after.points_this_year, 2 + 2);
    assert.deepEqual(after.service.map((r) => [r.what, r.hours, r.for_whom]), [['修水管', '2.5', '王大爷']]);
    // the branch's view of this quarter: who served nobody
    const view = await ok(staff.get(`/api/v1/party-branch-view?under=${T.yq}`));
    assert.equal(view.members, 2);
    assert.equal(view.served_nobody, 1);
    assert.equal(view.hours, '2.5');
    assert.deepEqual(view.items.filter((x) => x.served_nobody).map((x) => x.person_id), [P.li]);
    await fails(staff.get('/api/v1/party-branch-view?quarter=2026-Q5'), 400, 'quarter');
    await fails(U.lqstaff.client.get(`/api/v1/party-members/${m.id}`), 404);
    assert.deepEqual((await ok(U.lqstaff.client.get('/api/v1/party-members'))).items, []);
  });
});

describe('figures', () => {
  test('the year counted from the rows: units per community, the ranking, needs met, hours', async () => {
    const fg = await ok(U.staff.client.get('/api/v1/cobuild-figures'));
    assert.equal(fg.year, Number(day(0).slice(0, 4)));
    assert.deepEqual(fg.units_per_community.map((c) => [c.name, c.units]), [['御泉社区', 2]]);
    assert.deepEqual(fg.ranking.map((u) => [u.rank, u.name, u.claims, u.reported, u.on_time, u.hours, u.community_rating]),
      [[1, '章丘农商银行御泉支行', 1, 1, 1, '6.5', 5], [2, '明水实验小学', 1, 0, 0, '0', null]]);
    assert.deepEqual(fg.needs, { raised: 4, met: 2, average_days_to_meet: 0 });
    assert.deepEqual(fg.hours, { units: '6.5', party_members: '2.5' });
    // another community's staff count their own
    const lq = await ok(U.lqstaff.client.get('/api/v1/cobuild-figures'));
    assert.deepEqual([lq.units_per_community, lq.ranking, lq.needs.raised], [[], [], 0]);
    await fails(U.staff.client.get(`/api/v1/cobuild-figures?under=${T.lq}`), 404);
    await fails(U.staff.client.get('/api/v1/cobuild-figures?year=1999'), 400, 'year');
  });
});

describe('the demo', () => {
  test("Mingshui's units, their in-service members, a rated project and the dormitory's 25 members on the roll", async () => {
    const demo = await startServer({ demo: true, demoArgs: ['--no-orders'] });
    try {
      const units = await ok(demo.get('/api/v1/cobuild-units'));
      const bank = units.items.find((u) => u.name === '章丘农村商业银行御泉支行');
      assert.ok(bank, JSON.stringify(units.items.map((u) => u.name)));
      assert.equal(bank.kind, 'bank');
      assert.ok(units.items.filter((u) => u.members > 0).length >= 3, 'offices with in-service members from their dormitories');
      const projects = await ok(demo.get('/api/v1/cobuild-projects'));
      assert.deepEqual(projects.items.map((p) => p.status).sort(), ['claimed', 'open', 'rated']);
      const fg = await ok(demo.get('/api/v1/cobuild-figures'));
      assert.equal(fg.ranking[0].name, '章丘农村商业银行御泉支行');
      assert.equal(fg.ranking[0].community_rating, 5);
      const story = (await ok(demo.get('/api/v1/nodes?q=桃花山职工宿舍&level=courtyard'))).items[0];
      const roll = await ok(demo.get(`/api/v1/party-members?under=${story.id}`));
      assert.equal(roll.total, 25);
      const view = await ok(demo.get(`/api/v1/party-branch-view?under=${story.id}`));
      assert.equal(view.members, 25);
      assert.ok(view.served_nobody >= 1 && view.served_nobody < 25, `${view.served_nobody} served nobody`);
      const agreement = (await ok(demo.get(`/api/v1/cobuild-agreements?unit_id=${bank.id}`))).items[0];
      const review = await ok(demo.get(`/api/v1/cobuild-agreements/${agreement.id}/review`));
      assert.deepEqual(review.items.map((x) => [x.kind, x.delivered]), [['hours', '36'], ['money', '8000'], ['service', null]]);
    } finally {
      await demo.stop();
    }
  });
});
