// councils.test.mjs - courtyard councils (小区议事会, issue 17), black-box against `yuanluo serve`: a council
// with members by seat and the courtyard's parties (phones masked), a meeting with agenda, attendance and
// the quorum, closed only with minutes; a proposal with supports and one member one vote (a member of one
// courtyard cannot vote in another's; twice is refused), the result with its counts; a resolution on the
// time-node engine that spawns a work order linked both ways; the notice board and the public courtyard
// page, whose every answer is scanned for phone and ID numbers.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf } from './harness.mjs';

const PW = 'Council-Pass-2026!';
// A local (Asia/Shanghai) date n days from today.
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

let srv;
const T = {};	// nodes
const U = {};	// users: { id, client }
const PHONES = ['13812341234', '13987654321', '15600001111', '13700002222', '18600003333', '13500004444', '13300005555'];

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

// Every public answer is kept and scanned for personal data at the end.
const publicAnswers = [];
async function board(node) {
  const r = await srv.anonymous().get(`/api/v1/public/boards/${node}`);
  publicAnswers.push(r.text);
  return r;
}

before(async () => {
  srv = await startServer();
  const mk = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  T.ms = await mk({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.lq = await mk({ level: 'community', name: '龙泉社区', parent_id: T.ms, code: 'MS-LQ' });
  T.jl = await mk({ level: 'courtyard', name: '君临天下', parent_id: T.lq, code: 'MS-LQ-JL', kind: 'residential' });
  T.lx = await mk({ level: 'courtyard', name: '龙泉小区', parent_id: T.lq, code: 'MS-LQ-LX', kind: 'residential' });
  T.bldg = await mk({ level: 'building', name: '3号楼', parent_id: T.jl, code: 'MS-LQ-JL-3' });
  T.dz = await mk({ level: 'subdistrict', name: '刁镇街道', code: 'DZ' });
  await user('staff', 'community_staff', T.lq);
  await user('owner', 'community_staff', T.lq);
  await user('sec2', 'courtyard_secretary', T.lx);
  await user('wang', 'council_member', T.jl);
  await user('li', 'council_member', T.lx);
  await user('far', 'community_staff', T.dz);
});

after(async () => { if (srv) await srv.stop(); });

let C1, C2, M, P;
const mem = {};

describe('councils', () => {
  test('a council on a courtyard with members by seat; bad input names the field and writes nothing', async () => {
    const base = { node_id: T.jl, name: '君临天下议事会', term_start: day(-400), term_end: day(700), quorum_percent: 60,
      pass_rule: 'majority' };
    await fails(U.staff.client.post('/api/v1/councils', { ...base, term_end: base.term_start }), 400, 'term_end');
    await fails(U.staff.client.post('/api/v1/councils', { ...base, pass_rule: 'most' }), 400, 'pass_rule');
    await fails(U.staff.client.post('/api/v1/councils', { ...base, quorum_percent: 0 }), 400, 'quorum_percent');
    await fails(U.staff.client.post('/api/v1/councils', { ...base, node_id: T.bldg }), 400, 'node_id');
    await fails(U.staff.client.post('/api/v1/councils', { ...base, extra: 1 }), 400, 'extra');
    // a place outside one's scope is as if missing
    await fails(U.far.client.post('/api/v1/councils', base), 400, 'node_id');
    assert.equal((await ok(U.staff.client.get('/api/v1/councils'))).total, 0);
    C1 = await ok(U.staff.client.post('/api/v1/councils', { ...base, convenor_user_id: U.staff.id }), 201);
    assert.equal(C1.quorum_percent, 60);
    const seats = [['王建国', 'party_member', U.wang.id], ['赵物业', 'property'], ['钱委员', 'owners_committee'],
      ['孙楼长', 'building_head'], ['周代表', 'resident_rep']];
    let c;
    for (const [i, [name, seat, uid]] of seats.entries()) {
      c = await ok(U.staff.client.post(`/api/v1/councils/${C1.id}/members`, {
        name, seat, joined_on: day(-300), phone: PHONES[i], ...(uid ? { user_id: uid } : {}),
      }), 201);
    }
    for (const m of c.member_list) mem[m.name] = m.id;
    assert.equal(c.members, 5);
    assert.deepEqual(c.member_list.map((m) => m.phone), PHONES.slice(0, 5).map((p) => `${p.slice(0, 3)}****${p.slice(7)}`));
    await fails(U.staff.client.post(`/api/v1/councils/${C1.id}/members`, { name: '吴', seat: 'mayor', joined_on: day(-1) }),
      400, 'seat');
    await fails(U.staff.client.post(`/api/v1/councils/${C1.id}/members`, { name: '吴', seat: 'resident_rep',
      joined_on: day(-1), phone: '12345' }), 400, 'phone');
    // the courtyard's parties: 三位一体
    await ok(U.staff.client.post('/api/v1/courtyard-parties', { node_id: T.jl, kind: 'property', name: '明珠物业',
      contact_name: '物业经理', contact_phone: PHONES[5] }), 201);
    await fails(U.staff.client.post('/api/v1/courtyard-parties', { node_id: T.lq, kind: 'property', name: '明珠物业' }),
      400, 'node_id');
    const full = await ok(U.staff.client.get(`/api/v1/councils/${C1.id}`));
    assert.deepEqual(full.parties.map((p) => [p.kind, p.name, p.contact_phone]), [['property', '明珠物业', '135****4444']]);
    assert.ok(!JSON.stringify(full).includes(PHONES[5]));
    // the other courtyard's council, with li as its member
    C2 = await ok(U.sec2.client.post('/api/v1/councils', { node_id: T.lx, name: '龙泉小区议事会', term_start: day(-400),
      term_end: day(700) }), 201);
    const c2 = await ok(U.sec2.client.post(`/api/v1/councils/${C2.id}/members`, { name: '李明', seat: 'building_head',
      joined_on: day(-300), user_id: U.li.id }), 201);
    mem.li = c2.member_list[0].id;
    // scope: the secretary of 龙泉小区 does not see 君临天下's council
    assert.equal((await U.sec2.client.get(`/api/v1/councils/${C1.id}`)).status, 404);
    assert.deepEqual((await ok(U.sec2.client.get('/api/v1/councils'))).items.map((x) => x.id), [C2.id]);
  });

  test('a meeting with agenda and attendance counts the quorum; it closes only with minutes', async () => {
    await fails(U.staff.client.post(`/api/v1/councils/${C1.id}/meetings`, { held_on: day(0), agenda: [''] }), 400, 'agenda');
    M = await ok(U.staff.client.post(`/api/v1/councils/${C1.id}/meetings`, { held_on: day(0), place: '党群服务站',
      agenda: ['电动车充电桩', '楼道堆物清理'] }), 201);
    assert.deepEqual(M.agenda, ['电动车充电桩', '楼道堆物清理']);
    assert.deepEqual(M.quorum, { members: 5, present: 0, needed: 3, met: false });
    await fails(U.staff.client.post(`/api/v1/council-meetings/${M.id}/attendance`, { present: [mem.li] }), 400, 'attendance');
    await fails(U.staff.client.post(`/api/v1/council-meetings/${M.id}/attendance`, { proxy: [mem['孙楼长']] }), 400,
      'proxy_holders');
    M = await ok(U.staff.client.post(`/api/v1/council-meetings/${M.id}/attendance`, {
      present: [mem['王建国'], mem['赵物业']], absent: [mem['周代表']], proxy: [mem['孙楼长']], proxy_holders: [mem['王建国']],
    }));
    assert.deepEqual(M.quorum, { members: 5, present: 3, needed: 3, met: true });
    // the member of another courtyard cannot even see this meeting
    assert.equal((await U.li.client.get(`/api/v1/council-meetings/${M.id}`)).status, 404);
    // a council member reads but does not run meetings
    assert.equal((await U.wang.client.post(`/api/v1/council-meetings/${M.id}/close`, { minutes: 'x' })).status, 403);
    await fails(U.staff.client.post(`/api/v1/council-meetings/${M.id}/close`, {}), 400, 'minutes');
    await fails(U.staff.client.post(`/api/v1/council-meetings/${M.id}/close`, { minutes: '   ' }), 400, 'minutes');
    assert.equal((await ok(U.staff.client.get(`/api/v1/council-meetings/${M.id}`))).status, 'planned');
  });

  test('a proposal: supports, one member one vote, a result with counts', async () => {
    P = await ok(U.staff.client.post(`/api/v1/councils/${C1.id}/proposals`, { title: '东门加装电动车充电桩',
      body: '东门停车棚加装 20 个充电口', proposer_name: '张女士' }), 201);
    assert.equal(P.source, 'resident');
    assert.equal(P.status, 'open');
    // a council member proposes as themselves; not as another
    const own = await ok(U.wang.client.post(`/api/v1/councils/${C1.id}/proposals`, { title: '楼道堆物清理' }), 201);
    assert.equal(own.proposer_member_id, mem['王建国']);
    await fails(U.wang.client.post(`/api/v1/councils/${C1.id}/proposals`, { title: 'x', proposer_member_id: mem['赵物业'] }),
      403, 'member_id');
    assert.equal((await U.li.client.post(`/api/v1/councils/${C1.id}/proposals`, { title: 'x' })).status, 404);
    // supports: a member once, residents by name
    await ok(U.wang.client.post(`/api/v1/council-proposals/${P.id}/supports`, {}), 201);
    await fails(U.wang.client.post(`/api/v1/council-proposals/${P.id}/supports`, {}), 409, 'member_id');
    P = await ok(U.staff.client.post(`/api/v1/council-proposals/${P.id}/supports`, { name: '3号楼 刘阿姨' }), 201);
    assert.equal(P.supports, 2);
    // no vote before it is opened
    await fails(U.wang.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes' }), 409, 'status');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/vote`, {}), 400, 'meeting_id');
    P = await ok(U.staff.client.post(`/api/v1/council-proposals/${P.id}/vote`, { meeting_id: M.id }));
    assert.equal(P.status, 'voting');
    // wang votes as himself
    await ok(U.wang.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes' }), 201);
    // ... not twice, and not for another member
    await fails(U.wang.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'no' }), 409, 'member_id');
    await fails(U.wang.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes', member_id: mem['赵物业'] }),
      403, 'member_id');
    // a council member of another courtyard cannot vote here: the proposal is outside their courtyard
    assert.equal((await U.li.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes' })).status, 404);
    // nor can staff cast a vote for them
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes', member_id: mem.li }), 400,
      'member_id');
    // absent: no vote; staff must name the member; the choice must be one
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes', member_id: mem['周代表'] }),
      409, 'member_id');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes' }), 400, 'member_id');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'maybe', member_id: mem['赵物业'] }),
      400, 'choice');
    await ok(U.staff.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'yes', member_id: mem['赵物业'] }), 201);
    P = await ok(U.staff.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'abstain', member_id: mem['孙楼长'] }),
      201);
    assert.equal(P.votes, 3);
    // with votes recorded one by one, a show of hands is refused
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/result`, { yes: 3, no: 0, abstain: 0 }), 409, 'yes');
    P = await ok(U.staff.client.post(`/api/v1/council-proposals/${P.id}/result`, {}));
    assert.equal(P.status, 'passed');
    assert.deepEqual(P.result, { yes: 2, no: 0, abstain: 1, eligible: 5 });
    await fails(U.wang.client.post(`/api/v1/council-proposals/${P.id}/votes`, { choice: 'no' }), 409, 'status');
  });

  test('a show of hands that does not add up is refused; a period vote counts quorum', async () => {
    const hands = await ok(U.staff.client.post(`/api/v1/councils/${C1.id}/proposals`, { title: '垃圾分类督导员' }), 201);
    await ok(U.staff.client.post(`/api/v1/council-proposals/${hands.id}/vote`, { meeting_id: M.id }));
    // 3 present: 4 hands do not add up
    await fails(U.staff.client.post(`/api/v1/council-proposals/${hands.id}/result`, { yes: 3, no: 1, abstain: 0 }), 400, 'yes');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${hands.id}/result`, { yes: -1, no: 1, abstain: 0 }), 400, 'yes');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${hands.id}/result`, { yes: 1 }), 400, 'no');
    assert.equal((await ok(U.staff.client.get(`/api/v1/council-proposals/${hands.id}`))).status, 'voting');
    const r = await ok(U.staff.client.post(`/api/v1/council-proposals/${hands.id}/result`, { yes: 1, no: 2, abstain: 0 }));
    assert.equal(r.status, 'rejected');
    // a period vote: closes_on in the past is refused; one vote of five is below the 60% quorum
    const period = await ok(U.staff.client.post(`/api/v1/councils/${C1.id}/proposals`, { title: '增设快递柜' }), 201);
    await fails(U.staff.client.post(`/api/v1/council-proposals/${period.id}/vote`, { closes_on: day(-1) }), 400, 'closes_on');
    await ok(U.staff.client.post(`/api/v1/council-proposals/${period.id}/vote`, { closes_on: day(3) }));
    await ok(U.staff.client.post(`/api/v1/council-proposals/${period.id}/votes`, { choice: 'yes', member_id: mem['周代表'] }), 201);
    const q = await ok(U.staff.client.post(`/api/v1/council-proposals/${period.id}/result`, {}));
    assert.equal(q.status, 'no_quorum');
    assert.deepEqual(q.result, { yes: 1, no: 0, abstain: 0, eligible: 5 });
    // now the meeting closes with its minutes
    const closed = await ok(U.staff.client.post(`/api/v1/council-meetings/${M.id}/close`, { minutes: '一、充电桩：通过。二、督导员：未通过。' }));
    assert.equal(closed.status, 'closed');
    await fails(U.staff.client.post(`/api/v1/council-meetings/${M.id}/close`, { minutes: 'again' }), 409, 'status');
  });

  let R, order;
  test('a resolution with an owner and a time node spawns a work order, linked both ways, and closes with evidence', async () => {
    const rejected = (await ok(U.staff.client.get(`/api/v1/councils/${C1.id}/proposals`))).items.find((x) => x.status === 'rejected');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${rejected.id}/resolutions`, { content: 'x',
      owner_user_id: U.owner.id, due_on: day(10) }), 409, 'status');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/resolutions`, { content: '东门安装充电桩',
      owner_user_id: U.owner.id, due_on: day(0) }), 400, 'due_on');
    await fails(U.staff.client.post(`/api/v1/council-proposals/${P.id}/resolutions`, { content: '东门安装充电桩',
      owner_user_id: U.far.id, due_on: day(10) }), 400, 'owner_user_id');
    R = await ok(U.staff.client.post(`/api/v1/council-proposals/${P.id}/resolutions`, { content: '东门安装充电桩',
      owner_user_id: U.owner.id, due_on: day(10) }), 201);
    assert.equal(R.status, 'open');
    assert.equal(R.card, 'none');
    assert.ok(R.deadline);
    const inbox = await ok(U.owner.client.get('/api/v1/tasks'));
    assert.ok(inbox.items.some((x) => x.kind === 'council_resolution' && x.id === R.id), JSON.stringify(inbox));
    const cats = (await ok(U.staff.client.get('/api/v1/wo-categories'))).items;
    await fails(U.staff.client.post(`/api/v1/council-resolutions/${R.id}/work-order`, {}), 400, 'category_id');
    R = await ok(U.staff.client.post(`/api/v1/council-resolutions/${R.id}/work-order`, { category_id: cats[0].id,
      text: '请物业联系供电公司' }), 201);
    order = R.work_order_id;
    assert.ok(order);
    const wo = await ok(U.staff.client.get(`/api/v1/work-orders/${order}`));
    assert.match(wo.text, new RegExp(`决议 #${R.id}`));
    const back = await ok(U.staff.client.get(`/api/v1/council-resolutions?work_order_id=${order}`));
    assert.deepEqual(back.items.map((x) => x.id), [R.id]);
    // outside the scope the link is not shown
    assert.deepEqual((await ok(U.far.client.get(`/api/v1/council-resolutions?work_order_id=${order}`))).items, []);
    assert.equal((await U.far.client.get(`/api/v1/council-resolutions/${R.id}`)).status, 404);
    await fails(U.staff.client.post(`/api/v1/council-resolutions/${R.id}/work-order`, { category_id: cats[0].id }), 409,
      'work_order_id');
    // a council member who does not own it cannot close it
    assert.equal((await U.wang.client.post(`/api/v1/council-resolutions/${R.id}/done`, { evidence: 'x' })).status, 403);
    await fails(U.owner.client.post(`/api/v1/council-resolutions/${R.id}/done`, {}), 400, 'evidence');
    R = await ok(U.owner.client.post(`/api/v1/council-resolutions/${R.id}/done`, { evidence: '已安装 20 个充电口' }));
    assert.equal(R.status, 'done');
    const after = await ok(U.owner.client.get('/api/v1/tasks'));
    assert.ok(!after.items.some((x) => x.kind === 'council_resolution' && x.id === R.id));
    const prop = await ok(U.staff.client.get(`/api/v1/council-proposals/${P.id}`));
    assert.deepEqual(prop.resolutions.map((x) => [x.id, x.work_order_id]), [[R.id, order]]);
  });

  let N;
  test('notices: a bad period is refused; only published, current notices reach the public board', async () => {
    const base = { node_id: T.lq, title: '文明公约（2026版）', body: '爱护公物，邻里和睦，垃圾分类。', category: 'convention',
      starts_on: day(-1), ends_on: day(30) };
    await fails(U.staff.client.post('/api/v1/notices', { ...base, ends_on: day(-2) }), 400, 'ends_on');
    await fails(U.staff.client.post('/api/v1/notices', { ...base, category: 'gossip' }), 400, 'category');
    await fails(U.far.client.post('/api/v1/notices', base), 400, 'node_id');
    assert.equal((await U.wang.client.post('/api/v1/notices', base)).status, 403);
    N = await ok(U.staff.client.post('/api/v1/notices', base), 201);
    assert.equal(N.status, 'draft');
    const future = await ok(U.staff.client.post('/api/v1/notices', { ...base, title: '下月停水通知', category: 'policy',
      starts_on: day(40), ends_on: day(45), publish: true }), 201);
    assert.equal(future.status, 'published');
    let b = await board(T.jl);
    assert.equal(b.status, 200);
    assert.deepEqual(b.body.notices, []);
    await ok(U.staff.client.post(`/api/v1/notices/${N.id}/publish`));
    await fails(U.staff.client.post(`/api/v1/notices/${N.id}/publish`), 409, 'status');
    b = await board(T.jl);
    assert.deepEqual(b.body.notices.map((x) => [x.title, x.from]), [['文明公约（2026版）', '龙泉社区']]);
    // the council, its members by name and seat, its results with counts
    assert.equal(b.body.councils.length, 1);
    assert.deepEqual(b.body.councils[0].members.map((m) => m.seat).sort(),
      ['building_head', 'owners_committee', 'party_member', 'property', 'resident_rep']);
    const passed = b.body.councils[0].results.find((x) => x.title === '东门加装电动车充电桩');
    assert.deepEqual([passed.status, passed.yes, passed.no, passed.abstain, passed.eligible], ['passed', 2, 0, 1, 5]);
    assert.ok(!JSON.stringify(b.body).includes('张女士'), 'the proposer is not on the board');
    // the other courtyard sees the community's notice but not 君临天下's council
    b = await board(T.lx);
    assert.equal(b.body.notices.length, 1);
    assert.deepEqual(b.body.councils.map((c) => c.name), ['龙泉小区议事会']);
    // conventions are versioned: a newer one on the courtyard replaces the community's on its board
    await ok(U.staff.client.post('/api/v1/notices', { ...base, node_id: T.jl, title: '文明公约（2027修订）', starts_on: day(0),
      publish: true }), 201);
    b = await board(T.jl);
    assert.deepEqual(b.body.notices.map((x) => x.title), ['文明公约（2027修订）']);
    b = await board(T.lx);
    assert.deepEqual(b.body.notices.map((x) => x.title), ['文明公约（2026版）']);
    await ok(U.staff.client.post(`/api/v1/notices/${N.id}/withdraw`));
    b = await board(T.lx);
    assert.deepEqual(b.body.notices, []);
    assert.equal((await board(999999)).status, 404);
    const home = (await ok(srv.post('/api/v1/nodes', { level: 'household', name: '301', parent_id: T.bldg, code: 'MS-LQ-JL-3-301' }),
      201)).id;
    assert.equal((await board(home)).status, 404, 'a household has no board');
    assert.equal(b.body.name, '龙泉小区');
    // the list is cut to the scope
    assert.deepEqual((await ok(U.far.client.get('/api/v1/notices'))).items, []);
  });

  test('no public answer ever shows a phone or an ID number', () => {
    assert.ok(publicAnswers.length >= 5);
    for (const text of publicAnswers) {
      assert.doesNotMatch(text, /1[3-9]\d{9}/, 'a mobile phone number');
      assert.doesNotMatch(text, /\d{17}[\dXx]/, 'an ID number');
      assert.doesNotMatch(text, /\d{3}\*{4}\d{4}/, 'even a masked phone');
      for (const p of PHONES) assert.ok(!text.includes(p.slice(-4) + '"'));
    }
  });

  test('figures: meetings held and quorate, proposals by result, resolutions on time, notices', async () => {
    const year = Number(day(0).slice(0, 4));
    const fg = await ok(U.staff.client.get(`/api/v1/council-figures?year=${year}`));
    assert.deepEqual(fg.meetings, { held: 1, quorate: 1, quorum_percent: 100 });
    assert.equal(fg.proposals.passed, 1);
    assert.equal(fg.proposals.rejected, 1);
    assert.equal(fg.proposals.no_quorum, 1);
    assert.equal(fg.notices.published, 3);
    const far = await ok(U.far.client.get(`/api/v1/council-figures?year=${year}`));
    assert.equal(far.meetings.held, 0);
    assert.equal(far.proposals.raised, 0);
  });
});
