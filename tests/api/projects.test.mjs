// projects.test.mjs - key projects (重点项目, issue 14): projects with their stage steps, work team and
// lead official, and their three ledgers (tasks, problems, responsibilities), black-box against
// `yuanluo serve`.  Tasks and problems are time nodes of the shared engine: the server's own sweeper
// cards an overdue task red and GET /api/v1/tasks lists it for its owner.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, errorOf } from './harness.mjs';

const PW = 'Project-Pass-2026!';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A local (Asia/Shanghai) date n days from today.
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

let srv;
const T = {};	// nodes
const U = {};	// users: { id, client }

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

// A 4xx naming the field; nothing else.
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
  T.diao = await mk({ level: 'subdistrict', name: '刁镇街道', code: 'DZ' });
  T.park = await mk({ level: 'community', name: '化工产业园', parent_id: T.diao, code: 'DZ-P' });
  T.other = await mk({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.otherCom = await mk({ level: 'community', name: '龙泉社区', parent_id: T.other, code: 'MS-L' });
  await user('office', 'project_office', T.diao);
  await user('lead1', 'project_lead', T.diao);
  await user('lead2', 'project_lead', T.diao);
  await user('member1', 'project_member', T.diao);
  await user('leader', 'subdistrict_leader', T.diao);
  await user('outsider', 'project_member', T.other);
  await user('office2', 'project_office', T.other);
});

after(async () => { if (srv) await srv.stop(); });

let P1, P2;

describe('projects', () => {
  test('the office creates a project with its first stage, investment in 万元 and 亿元, and lead official', async () => {
    P1 = await ok(U.office.client.post('/api/v1/projects', {
      code: 'DZ-2026-01', name: '圣泉酚醛树脂', node_id: T.park, owner_name: '济南圣泉集团', category: '工业',
      industry: '新材料', stage: 'signed', stage_on: '2026-03-01', investment_total: '100000', plan_year: 2026,
      investment_plan: '30000.5', lead_user_id: U.lead1.id,
    }), 201);
    assert.equal(P1.stage, 'signed');
    assert.equal(P1.investment_total, '100000');
    assert.equal(P1.investment_total_yi, '10');
    assert.equal(P1.investment_plan, '30000.5');
    assert.equal(P1.investment_plan_yi, '3.0001');
    assert.equal(P1.subdistrict_id, T.diao);
    assert.equal(P1.lead_name, 'lead1');
    assert.deepEqual(P1.stages.map((s) => [s.stage, s.on]), [['signed', '2026-03-01']]);
    P2 = await ok(srv.post('/api/v1/projects', {
      code: 'DZ-2026-02', name: '明泉氮肥退城进园', node_id: T.park, stage_on: '2026-01-10', investment_total: '5067',
      lead_user_id: U.lead2.id,
    }), 201);
    assert.equal(P2.stage, 'planning');
    const list = await ok(U.leader.client.get('/api/v1/projects'));
    assert.deepEqual(list.items.map((p) => p.code), ['DZ-2026-01', 'DZ-2026-02']);
    const byStage = await ok(U.leader.client.get('/api/v1/projects?stage=signed'));
    assert.deepEqual(byStage.items.map((p) => p.id), [P1.id]);
    await fails(U.leader.client.get('/api/v1/projects?stage=dreaming'), 400, 'stage');
  });

  test('bad input is a 4xx naming the field, and nothing is written', async () => {
    const base = { code: 'DZ-BAD', name: '坏项目', node_id: T.park, stage_on: '2026-01-01' };
    const c = U.office.client;
    await fails(c.post('/api/v1/projects', { ...base, stage: 'dreaming' }), 400, 'stage');
    await fails(c.post('/api/v1/projects', { ...base, investment_total: '-5' }), 400, 'investment_total');
    await fails(c.post('/api/v1/projects', { ...base, investment_total: '99999999999' }), 400, 'investment_total');
    await fails(c.post('/api/v1/projects', { ...base, investment_total: '1.23456' }), 400, 'investment_total');
    await fails(c.post('/api/v1/projects', { ...base, investment_total: 12 }), 400, 'investment_total');
    await fails(c.post('/api/v1/projects', { ...base, investment_total: '10', investment_plan: '20' }), 400,
      'investment_plan');
    await fails(c.post('/api/v1/projects', { ...base, stage: 'building' }), 400, 'build_kind');
    await fails(c.post('/api/v1/projects', { ...base, stage: 'signed', build_kind: 'new' }), 400, 'build_kind');
    await fails(c.post('/api/v1/projects', { ...base, stage_on: day(3) }), 400, 'stage_on');
    await fails(c.post('/api/v1/projects', { ...base, name: '  ' }), 400, 'name');
    await fails(c.post('/api/v1/projects', { ...base, plan_year: 4294969296 }), 400, 'plan_year');
    await fails(c.post('/api/v1/projects', { ...base, plan_year: 1999 }), 400, 'plan_year');
    await fails(c.post('/api/v1/projects', { ...base, lead_user_id: U.outsider.id }), 400, 'lead_user_id');
    await fails(c.post('/api/v1/projects', { ...base, node_id: T.otherCom }), 400, 'node_id');
    await fails(c.post('/api/v1/projects', { ...base, code: 'DZ-2026-01' }), 409, 'code');
    await fails(c.post('/api/v1/projects', { ...base, colour: 'red' }), 400, 'colour');
    const list = await ok(srv.get('/api/v1/projects'));
    assert.equal(list.total, 2, 'nothing half-written');
  });

  test('stage steps: forward on a date, back only with a reason, unknown steps refused', async () => {
    const c = U.office.client;
    const path = `/api/v1/projects/${P1.id}/stage`;
    await fails(c.post(path, { stage: 'to_start', on: '2026-02-01' }), 400, 'on');	// before the current stage's date
    await fails(c.post(path, { stage: 'signed', on: '2026-04-01' }), 409, 'stage');
    await fails(c.post(path, { stage: 'nowhere', on: '2026-04-01' }), 400, 'stage');
    await fails(c.post(path, { stage: 'building', on: '2026-04-01' }), 400, 'build_kind');
    let p = await ok(c.post(path, { stage: 'building', build_kind: 'new', on: '2026-04-01' }));
    assert.equal(p.stage, 'building');
    assert.equal(p.build_kind, 'new');
    await fails(c.post(path, { stage: 'to_start', on: '2026-05-01' }), 400, 'reason');
    p = await ok(c.post(path, { stage: 'to_start', on: '2026-05-01', reason: '环评补充材料，暂缓开工' }));
    assert.deepEqual(p.stages.map((s) => [s.stage, s.on, s.reason]), [
      ['signed', '2026-03-01', null], ['building', '2026-04-01', null], ['to_start', '2026-05-01', '环评补充材料，暂缓开工'],
    ]);
    assert.equal(p.build_kind, null);
    // Only the office moves stages.
    await fails(U.lead1.client.post(path, { stage: 'completed', on: '2026-06-01' }), 403);
  });

  test('the work team: members of the subdistrict with a duty; outsiders refused', async () => {
    const c = U.office.client;
    const p = await ok(c.post(`/api/v1/projects/${P1.id}/members`, { user_id: U.member1.id, duty: '手续办理' }), 201);
    assert.deepEqual(p.members.map((m) => [m.login, m.duty]), [['member1', '手续办理']]);
    await fails(c.post(`/api/v1/projects/${P1.id}/members`, { user_id: U.member1.id, duty: '又一次' }), 409, 'user_id');
    await fails(c.post(`/api/v1/projects/${P1.id}/members`, { user_id: U.outsider.id, duty: '外援' }), 400, 'user_id');
    await fails(c.post(`/api/v1/projects/${P1.id}/members`, { user_id: U.lead1.id }), 400, 'duty');
  });

  test('edits: the office changes investment and lead; code and place stay', async () => {
    const c = U.office.client;
    const p = await ok(c.patch(`/api/v1/projects/${P2.id}`, { investment_total: '7332', owner_name: null }));
    assert.equal(p.investment_total, '7332');
    assert.equal(p.investment_total_yi, '0.7332');
    assert.equal(p.owner_name, null);
    await fails(c.patch(`/api/v1/projects/${P2.id}`, { code: 'X' }), 400, 'code');
    await fails(c.patch(`/api/v1/projects/${P2.id}`, { investment_total: 'a lot' }), 400, 'investment_total');
    await fails(U.lead2.client.patch(`/api/v1/projects/${P2.id}`, { name: '改名' }), 403);
  });

  test('scope: another subdistrict sees nothing of these projects', async () => {
    const c = U.office2.client;
    assert.deepEqual((await ok(c.get('/api/v1/projects'))).items, []);
    await fails(c.get(`/api/v1/projects/${P1.id}`), 404);
    await fails(c.patch(`/api/v1/projects/${P1.id}`, { name: '越权' }), 404);
    await fails(c.get(`/api/v1/projects/${P1.id}/tasks`), 404);
    await fails(c.post(`/api/v1/projects/${P1.id}/problems`, { kind: 'land', description: '越权' }), 404);
    await fails(srv.anonymous().get('/api/v1/projects'), 401);
  });
});

describe('ledgers', () => {
  let overdue;

  test('tasks: the lead official gives one; a lead of another project cannot', async () => {
    const body = { content: '办理施工许可证', owner_user_id: U.member1.id, due_on: day(20) };
    await fails(U.lead2.client.post(`/api/v1/projects/${P1.id}/tasks`, body), 403);
    await fails(U.member1.client.post(`/api/v1/projects/${P1.id}/tasks`, body), 403);
    const t = await ok(U.lead1.client.post(`/api/v1/projects/${P1.id}/tasks`, body), 201);
    assert.equal(t.status, 'open');
    assert.equal(t.card, 'none');
    assert.ok(t.deadline.startsWith(`${day(20)}T23:59:59`), t.deadline);
    await fails(U.lead1.client.post(`/api/v1/projects/${P1.id}/tasks`, { ...body, due_on: day(-1) }), 400, 'due_on');
    await fails(U.lead1.client.post(`/api/v1/projects/${P1.id}/tasks`, { ...body, owner_user_id: U.outsider.id }), 400,
      'owner_user_id');
    await fails(U.lead1.client.post(`/api/v1/projects/${P1.id}/tasks`, { ...body, content: '' }), 400, 'content');
    const list = await ok(U.leader.client.get(`/api/v1/projects/${P1.id}/tasks`));
    assert.deepEqual(list.items.map((x) => x.id), [t.id]);
  });

  test('a task past its due day turns red by the server\'s sweeper and waits in its owner\'s inbox', async () => {
    overdue = await ok(U.office.client.post(`/api/v1/projects/${P1.id}/tasks`, {
      content: '完成土地征收公告', owner_user_id: U.member1.id, assigned_on: day(-5), due_on: day(-2),
    }), 201);
    let item;
    for (let i = 0; i < 100; i++) {
      const r = await ok(U.member1.client.get('/api/v1/tasks'));
      item = r.items.find((x) => x.kind === 'project_task' && x.id === overdue.id);
      assert.ok(item, `listed for its owner: ${JSON.stringify(r)}`);
      if (item.card === 'red') break;
      await sleep(100);
    }
    assert.equal(item.card, 'red');
    assert.equal(item.title, '完成土地征收公告');
    const t = (await ok(srv.get(`/api/v1/projects/${P1.id}/tasks`))).items.find((x) => x.id === overdue.id);
    assert.equal(t.card, 'red');
    // Not in the inbox of someone else.
    const other = await ok(U.lead2.client.get('/api/v1/tasks'));
    assert.ok(!other.items.some((x) => x.kind === 'project_task'));
  });

  test('the owner closes the task with evidence; it leaves the inbox; others cannot close it', async () => {
    await fails(U.lead2.client.patch(`/api/v1/project-tasks/${overdue.id}`, { status: 'done', evidence: 'x' }), 403);
    await fails(U.member1.client.patch(`/api/v1/project-tasks/${overdue.id}`, { status: 'done' }), 400, 'evidence');
    await fails(U.member1.client.patch(`/api/v1/project-tasks/${overdue.id}`, { status: 'done', evidence: ' ' }), 400,
      'evidence');
    const t = await ok(U.member1.client.patch(`/api/v1/project-tasks/${overdue.id}`,
      { status: 'done', evidence: '公告已张贴，见照片' }));
    assert.equal(t.status, 'done');
    assert.equal(t.done_by, U.member1.id);
    await fails(U.member1.client.patch(`/api/v1/project-tasks/${overdue.id}`, { status: 'done', evidence: '再次' }), 409);
    const r = await ok(U.member1.client.get('/api/v1/tasks'));
    assert.ok(!r.items.some((x) => x.kind === 'project_task' && x.id === overdue.id));
    await fails(U.office2.client.patch(`/api/v1/project-tasks/${overdue.id}`, { status: 'done', evidence: 'x' }), 404);
  });

  test('problems: raised by a member, assigned and closed (销号) by the lead, with their history of rules', async () => {
    const m = U.member1.client;
    const pr = await ok(m.post(`/api/v1/projects/${P1.id}/problems`, {
      kind: 'land', description: '施工便道需临时占地', raised_where: '项目现场', source: 'visit', raised_on: day(-1),
    }), 201);
    assert.equal(pr.status, 'open');
    assert.equal(pr.owner_user_id, null);
    assert.equal(pr.raised_by, U.member1.id);
    await fails(m.post(`/api/v1/projects/${P1.id}/problems`, { kind: 'weather', description: '下雨' }), 400, 'kind');
    await fails(m.post(`/api/v1/projects/${P1.id}/problems`, { kind: 'land', description: '' }), 400, 'description');
    // Assigning at raising is the lead's.
    await fails(m.post(`/api/v1/projects/${P1.id}/problems`,
      { kind: 'land', description: 'x', owner_user_id: U.member1.id, due_on: day(5) }), 403);
    // A lead of another project can neither assign nor close it.
    const act = (c, body) => c.post(`/api/v1/project-problems/${pr.id}/actions`, body);
    await fails(act(U.lead2.client, { action: 'assign', owner_user_id: U.member1.id, due_on: day(5) }), 403);
    await fails(act(U.lead1.client, { action: 'assign', owner_user_id: U.member1.id, due_on: day(-3) }), 400, 'due_on');
    await fails(act(U.lead1.client, { action: 'assign', owner_user_id: U.member1.id }), 400, 'due_on');
    await fails(act(U.lead1.client, { action: 'fly' }), 400, 'action');
    let p = await ok(act(U.lead1.client, { action: 'assign', owner_user_id: U.member1.id, due_on: day(5), unit: '自然资源所' }));
    assert.equal(p.owner_user_id, U.member1.id);
    assert.equal(p.unit, '自然资源所');
    assert.equal(p.card, 'none');
    const inbox = await ok(m.get('/api/v1/tasks'));
    assert.ok(inbox.items.some((x) => x.kind === 'project_problem' && x.id === pr.id), JSON.stringify(inbox));
    p = await ok(act(m, { action: 'start' }));
    assert.equal(p.status, 'in_progress');
    await fails(act(m, { action: 'close', evidence: '已协调' }), 403);
    await fails(act(U.lead1.client, { action: 'close' }), 400, 'evidence');
    p = await ok(act(U.lead1.client, { action: 'close', evidence: '已签订临时用地协议' }));
    assert.equal(p.status, 'closed');
    assert.equal(p.closed_by, U.lead1.id);
    await fails(act(U.lead1.client, { action: 'close', evidence: '再次' }), 409);
    const after = await ok(m.get('/api/v1/tasks'));
    assert.ok(!after.items.some((x) => x.kind === 'project_problem' && x.id === pr.id));
    const list = await ok(U.leader.client.get(`/api/v1/projects/${P1.id}/problems`));
    assert.deepEqual(list.items.map((x) => [x.id, x.status]), [[pr.id, 'closed']]);
  });

  test('a problem raised with owner and deadline: the deadline must not come before it was raised', async () => {
    const c = U.lead1.client;
    await fails(c.post(`/api/v1/projects/${P1.id}/problems`, {
      kind: 'funding', description: '配套资金未到位', raised_on: day(-1), owner_user_id: U.member1.id, due_on: day(-2),
    }), 400, 'due_on');
    const pr = await ok(c.post(`/api/v1/projects/${P1.id}/problems`, {
      kind: 'funding', description: '配套资金未到位', source: 'meeting', owner_user_id: U.member1.id, due_on: day(7),
    }), 201);
    assert.equal(pr.owner_user_id, U.member1.id);
    assert.ok(pr.deadline);
  });

  test('responsibilities: person x duty x project, users of the subdistrict only', async () => {
    const c = U.office.client;
    const d = await ok(c.post(`/api/v1/projects/${P1.id}/duties`, { user_id: U.lead1.id, duty: '协调要素保障' }), 201);
    assert.equal(d.duty, '协调要素保障');
    await fails(c.post(`/api/v1/projects/${P1.id}/duties`, { user_id: U.outsider.id, duty: 'x' }), 400, 'user_id');
    await fails(U.lead1.client.post(`/api/v1/projects/${P1.id}/duties`, { user_id: U.lead1.id, duty: 'x' }), 403);
    const list = await ok(U.leader.client.get(`/api/v1/projects/${P1.id}/duties`));
    assert.deepEqual(list.items.map((x) => [x.user_id, x.duty]), [[U.lead1.id, '协调要素保障']]);
  });

  test('subdistrict leaders read but do not write', async () => {
    const c = U.leader.client;
    await ok(c.get(`/api/v1/projects/${P1.id}`));
    await fails(c.post('/api/v1/projects', { code: 'L', name: 'L', node_id: T.park, stage_on: '2026-01-01' }), 403);
    await fails(c.post(`/api/v1/projects/${P1.id}/problems`, { kind: 'land', description: 'x' }), 403);
  });

  test('every write is in the audit log', async () => {
    const r = cli(['user', 'add', 'proj-auditor', '--role', 'auditor', '--db', srv.db, '--key-file', srv.key]);
    assert.equal(r.status, 0, r.stderr);
    const aud = await srv.loginAs('proj-auditor', /password: (\S+)/.exec(r.stdout)[1], PW);
    const rows = (await ok(aud.get('/api/v1/audit?limit=500'))).items;
    const has = (action, result) => rows.some((x) => x.action === action && x.result === result);
    for (const a of ['POST /api/v1/projects', 'POST /api/v1/projects/{id}/stage', 'POST /api/v1/projects/{id}/tasks',
      'PATCH /api/v1/project-tasks/{id}', 'POST /api/v1/project-problems/{id}/actions', 'POST /api/v1/projects/{id}/duties']) {
      assert.ok(has(a, 'success'), `${a} audited: ${JSON.stringify(rows.slice(0, 3))}`);
    }
    assert.ok(has('POST /api/v1/projects', 'failure'), 'refused writes too');
    // The auditor reads projects, writes nothing.
    await ok(aud.get('/api/v1/projects'));
  });
});

describe('dispatch meetings', () => {
  let M;
  // The Saturday on or before today (a meeting held already, so problems can be raised at it).
  const lastSaturday = () => {
    const d = new Date(Date.now() + 8 * 3600e3);
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 1) % 7));
    return d.toISOString().slice(0, 10);
  };

  test('a meeting is on the coming Saturday unless given, visits projects in order, of one subdistrict', async () => {
    const c = U.office.client;
    const next = await ok(c.post('/api/v1/project-meetings', { place: '化工产业园', project_ids: [P2.id, P1.id] }), 201);
    assert.equal(new Date(`${next.held_on}T00:00:00Z`).getUTCDay(), 6, next.held_on);
    assert.ok(next.held_on >= day(0) && next.held_on <= day(6), next.held_on);
    assert.deepEqual(next.sites.map((x) => [x.seq, x.project_id]), [[1, P2.id], [2, P1.id]]);
    await fails(c.post('/api/v1/project-meetings', { project_ids: [] }), 400, 'project_ids');
    await fails(c.post('/api/v1/project-meetings', { project_ids: [P1.id, P1.id] }), 400, 'project_ids');
    await fails(c.post('/api/v1/project-meetings', { project_ids: [999999] }), 400, 'project_ids');
    await fails(c.post('/api/v1/project-meetings', { project_ids: [P1.id], held_on: '2026-02-30' }), 400, 'held_on');
    await fails(c.post('/api/v1/project-meetings', { project_ids: [P1.id], chair_user_id: U.outsider.id }), 400,
      'chair_user_id');
    await fails(U.office2.client.post('/api/v1/project-meetings', { project_ids: [P1.id] }), 400, 'project_ids');
    await fails(U.lead1.client.post('/api/v1/project-meetings', { project_ids: [P1.id] }), 403);
    // Not held yet (unless today is Saturday): nothing is raised at it.
    if (next.held_on > day(0)) {
      await fails(U.lead1.client.post(`/api/v1/project-meetings/${next.id}/problems`,
        { project_id: P1.id, kind: 'land', description: '未开的会' }), 409, 'meeting_id');
    }
    M = await ok(c.post('/api/v1/project-meetings', {
      held_on: lastSaturday(), place: '圣泉项目现场', chair_user_id: U.leader.id, attendees: '街道主要领导、项目办、帮包领导',
      project_ids: [P1.id],
    }), 201);
  });

  test('problems raised on site go into the project ledger, linked to the meeting; open ones are listed for review', async () => {
    const open = await ok(U.leader.client.get(`/api/v1/project-meetings/${M.id}`));
    const before = open.open_problems.length;
    assert.ok(open.open_problems.every((x) => x.project_id === P1.id && x.status !== 'closed'));
    await fails(U.lead2.client.post(`/api/v1/project-meetings/${M.id}/problems`,
      { project_id: P1.id, kind: 'labour', description: '用工缺口' }), 403);
    await fails(U.office.client.post(`/api/v1/project-meetings/${M.id}/problems`,
      { project_id: P2.id, kind: 'labour', description: '用工缺口' }), 400, 'project_id');
    const pr = await ok(U.lead1.client.post(`/api/v1/project-meetings/${M.id}/problems`, {
      project_id: P1.id, kind: 'logistics', description: '原料运输车辆限行', unit: '交警中队', owner_user_id: U.member1.id,
      due_on: day(10),
    }), 201);
    assert.equal(pr.meeting_id, M.id);
    assert.equal(pr.source, 'meeting');
    assert.equal(pr.raised_on, M.held_on);
    assert.equal(pr.raised_where, '圣泉项目现场');
    const ledger = await ok(srv.get(`/api/v1/projects/${P1.id}/problems`));
    assert.ok(ledger.items.some((x) => x.id === pr.id));
    await ok(U.lead1.client.post(`/api/v1/project-problems/${pr.id}/actions`, { action: 'close', evidence: '已办理通行证' }));
    const m = await ok(U.leader.client.get(`/api/v1/project-meetings/${M.id}`));
    assert.deepEqual(m.counts, { raised: 1, closed: 1, open_for_review: before });
    assert.deepEqual(m.problems_raised.map((x) => x.id), [pr.id]);
    const list = await ok(U.leader.client.get('/api/v1/project-meetings'));
    assert.equal(list.total, 2);
    assert.equal(list.items[0].node_id, T.diao);
    await fails(U.office2.client.get(`/api/v1/project-meetings/${M.id}`), 404);
    assert.deepEqual((await ok(U.office2.client.get('/api/v1/project-meetings'))).items, []);
  });

  test('minutes are kept; the day is fixed', async () => {
    const c = U.office.client;
    const m = await ok(c.patch(`/api/v1/project-meetings/${M.id}`, { minutes: '一、原料运输问题当场协调。' }));
    assert.equal(m.minutes, '一、原料运输问题当场协调。');
    await fails(c.patch(`/api/v1/project-meetings/${M.id}`, { held_on: '2026-01-03' }), 400, 'held_on');
  });
});

describe('investment completed', () => {
  test('monthly reports in 万元: to date is their sum; a month again replaces it; bad months and amounts refused', async () => {
    const c = U.office.client;
    const path = `/api/v1/projects/${P1.id}/investment`;
    let r = await ok(c.post(path, { month: '2026-03', amount: '12000.5' }), 201);
    r = await ok(c.post(path, { month: '2026-04', amount: '8000' }), 201);
    assert.equal(r.to_date, '20000.5');
    r = await ok(c.post(path, { month: '2026-03', amount: '10000' }), 201);	// corrected
    assert.deepEqual(r.items.map((x) => [x.month, x.amount]), [['2026-03', '10000'], ['2026-04', '8000']]);
    assert.equal(r.to_date, '18000');
    assert.equal(r.to_date_yi, '1.8');
    await fails(c.post(path, { month: '2026-13', amount: '1' }), 400, 'month');
    await fails(c.post(path, { month: '2026-4', amount: '1' }), 400, 'month');
    await fails(c.post(path, { month: `${Number(day(0).slice(0, 4)) + 1}-01`, amount: '1' }), 400, 'month');
    await fails(c.post(path, { month: '2026-05', amount: '-1' }), 400, 'amount');
    await fails(c.post(path, { month: '2026-05', amount: '90000' }), 400, 'amount');	// over the total of 100000
    await fails(U.lead1.client.post(path, { month: '2026-05', amount: '1' }), 403);
    await fails(U.office2.client.post(path, { month: '2026-05', amount: '1' }), 404);
    const after = await ok(U.leader.client.get(path));
    assert.equal(after.to_date, '18000', 'the refused reports wrote nothing');
    const p = await ok(U.leader.client.get(`/api/v1/projects/${P1.id}`));
    assert.equal(p.investment_completed, '18000');
    const f = await ok(U.leader.client.get('/api/v1/project-figures?year=2026'));
    assert.equal(f.investment_completed, '18000');
    assert.equal(f.investment_completed_yi, '1.8');
  });
});

describe('figures', () => {
  test('by stage, investment and plan come from the stored projects', async () => {
    const f = await ok(U.leader.client.get('/api/v1/project-figures?year=2026'));
    const st = Object.fromEntries(f.by_stage.map((x) => [x.stage, x]));
    assert.deepEqual(f.by_stage.map((x) => x.stage), ['planning', 'signed', 'to_start', 'building', 'completed']);
    assert.equal(f.projects, 2);
    assert.deepEqual([st.planning.projects, st.planning.this_year, st.to_start.projects, st.signed.projects],
      [1, 1, 1, 0]);
    assert.equal(st.to_start.investment_total, '100000');
    assert.equal(st.planning.investment_total_yi, '0.7332');
    assert.equal(f.investment_total_yi, '10.7332');
    assert.equal(f.investment_plan, '30000.5');
    const old = await ok(U.leader.client.get('/api/v1/project-figures?year=2025'));
    assert.equal(old.by_stage.reduce((n, x) => n + x.this_year, 0), 0, 'nothing reached a stage in 2025');
    assert.equal(old.investment_plan, '0');
    await fails(U.leader.client.get('/api/v1/project-figures?year=1999'), 400, 'year');
    const other = await ok(U.office2.client.get('/api/v1/project-figures?year=2026'));
    assert.equal(other.projects, 0, 'another subdistrict counts nothing of these');
  });

  test('meetings, problems and tasks: the same numbers as the ledgers give', async () => {
    const problems = [];
    const tasks = [];
    for (const p of [P1, P2]) {
      problems.push(...(await ok(srv.get(`/api/v1/projects/${p.id}/problems`))).items);
      tasks.push(...(await ok(srv.get(`/api/v1/projects/${p.id}/tasks`))).items);
    }
    const allMeetings = (await ok(srv.get('/api/v1/project-meetings'))).items;
    const local = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10);
    // Every year the ledgers touch (early in January the problems raised last week are last year's).
    const years = [...new Set([day(0), ...problems.map((x) => x.raised_on), ...tasks.map((x) => x.due_on)]
      .map((d) => d.slice(0, 4)))].sort();
    let raised = 0;
    let closedAll = 0;
    for (const year of years) {
      const f = await ok(U.leader.client.get(`/api/v1/project-figures?year=${year}`));
      const mine = problems.filter((x) => x.raised_on.startsWith(year));
      const closed = mine.filter((x) => x.status === 'closed');
      const days = closed.map((x) => (Date.parse(local(x.closed_at)) - Date.parse(x.raised_on)) / 86400e3).sort((a, b) => a - b);
      const median = !days.length ? null
        : days.length % 2 ? days[(days.length - 1) / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2;
      raised += mine.length;
      closedAll += closed.length;
      assert.deepEqual(f.problems, {
        raised: mine.length, closed: closed.length, open: mine.length - closed.length,
        overdue_now: mine.filter((x) => x.status !== 'closed' && x.deadline && Date.parse(x.deadline) < Date.now()).length,
        median_days_to_close: median,
      }, `problems of ${year}`);
      const due = tasks.filter((x) => x.due_on.startsWith(year));
      const done = due.filter((x) => x.status === 'done');
      assert.deepEqual([f.tasks.due, f.tasks.done], [due.length, done.length], `tasks of ${year}`);
      assert.equal(f.tasks.on_time, 0, 'the one task done was done after its deadline');
      assert.equal(f.tasks.on_time_percent, done.length ? 0 : null);
      const meetings = allMeetings.filter((m) => m.held_on.startsWith(year) && m.held_on <= day(0));
      assert.equal(f.meetings_held, meetings.length, `meetings of ${year}`);
    }
    assert.ok(raised >= 3 && closedAll >= 2, JSON.stringify(problems));
  });
});
