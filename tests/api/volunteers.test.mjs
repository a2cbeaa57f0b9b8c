// volunteers.test.mjs - volunteers, duty rosters and patrols (issue 16), black-box against `yuanluo serve`:
// teams and dated members, shift types, shifts and the repeat rule, sign-up and assignment under the
// conflict rules, check-in and check-out, the server's own sweeper marking late and no-show at the end
// and carding a shift still short a day before, the hours and points ledger with the points shop, the
// volunteer role that sees and edits only its own, and the calendar feed parsed as RFC 5545.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf, canRunSql, sqlite } from './harness.mjs';

const PW = 'Volunteer-Pass-2026!';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SHANGHAI = 8 * 3600e3;
// A local (Asia/Shanghai) "YYYY-MM-DD HH:MM:SS" of an instant in ms, and a local day n days from now.
const local = (ms) => new Date(ms + SHANGHAI).toISOString().slice(0, 19).replace('T', ' ');
const day = (n) => new Date(Date.now() + SHANGHAI + n * 86400e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
// The Monday of the week after next: a whole week, at least a week away.
const MONDAY = (() => {
  const d = day(14);
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();	// 0 Sunday
  return addDays(d, -((wd + 6) % 7));
})();
const SQL = canRunSql();

let srv;
const T = {};	// nodes
const P = {};	// persons
const U = {};	// users: { id, client }
const X = {};	// objects made along the way

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

async function user(login, role, scope, person) {
  const body = { login, role, scope_node_id: scope, password: 'Init-Pass-2026' };
  if (person) body.person_id = person;
  const u = await ok(srv.post('/api/v1/users', body), 201);
  U[login] = { id: u.id, client: await srv.loginAs(login, 'Init-Pass-2026', PW) };
  return U[login];
}

const count = (sql) => Number(sqlite(srv.db, sql).trim());

before(async () => {
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const node = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  T.ms = await node({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.thd = await node({ level: 'community', name: '桃花山社区', parent_id: T.ms, code: 'MS-02' });
  T.dorm = await node({ level: 'courtyard', name: '桃花山职工宿舍', parent_id: T.thd, code: 'MS-02-01', kind: 'dormitory' });
  T.hk = await node({ level: 'courtyard', name: '香港街商圈联盟', parent_id: T.thd, code: 'MS-02-02', kind: 'business_alliance' });
  T.dz = await node({ level: 'subdistrict', name: '刁镇街道', code: 'DZ' });
  T.dzc = await node({ level: 'community', name: '化工产业园', parent_id: T.dz, code: 'DZ-P' });
  T.dzy = await node({ level: 'courtyard', name: '园区宿舍', parent_id: T.dzc, code: 'DZ-P-01', kind: 'dormitory' });
  const person = async (name, home, party = false) => (await ok(srv.post('/api/v1/persons',
    { name, home_node_id: home, party_member: party }), 201)).id;
  P.leader = await person('王队长', T.dorm, true);
  P.m1 = await person('李志愿', T.dorm);
  P.m2 = await person('赵党员', T.dorm, true);
  P.m3 = await person('钱大爷', T.dorm);
  P.hk = await person('孙店长', T.hk);
  P.outsider = await person('刁镇居民', T.dzy);
  await user('secretary', 'courtyard_secretary', T.dorm);
  await user('vol1', 'volunteer', T.dorm, P.m1);
  await user('lead', 'volunteer', T.dorm, P.leader);
  await user('hkvol', 'volunteer', T.hk, P.hk);
  await user('auditor2', 'subdistrict_leader', T.ms);
});

after(async () => { if (srv) await srv.stop(); });

describe('teams and members', () => {
  test('staff make teams on the tree with a leader, dated members, and a weekly limit', async () => {
    const c = U.secretary.client;
    X.patrol = await ok(c.post('/api/v1/volunteer-teams', {
      name: '夜间巡逻队', kind: 'patrol', node_id: T.dorm, leader_person_id: P.leader, weekly_limit_minutes: 600,
      cutoff_hours: 12, description: '每晚19:00-21:00院内巡逻',
    }), 201);
    assert.equal(X.patrol.leader_name, '王队长');
    assert.equal(X.patrol.members, 1, 'the leader joins the team');
    assert.equal(X.patrol.weekly_limit_minutes, 600);
    assert.equal(X.patrol.subdistrict_id, T.ms);
    X.emergency = await ok(c.post('/api/v1/volunteer-teams', { name: '应急值守队', kind: 'emergency', node_id: T.dorm }), 201);
    X.hkteam = await ok(srv.post('/api/v1/volunteer-teams', { name: '香港街志愿服务队', kind: 'service', node_id: T.hk }), 201);
    for (const p of [P.m1, P.m2, P.m3]) {
      await ok(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/members`, { person_id: p, joined_on: '2026-01-01' }), 201);
    }
    await ok(c.post(`/api/v1/volunteer-teams/${X.emergency.id}/members`, { person_id: P.m2 }), 201);
    await ok(srv.post(`/api/v1/volunteer-teams/${X.hkteam.id}/members`, { person_id: P.hk }), 201);
    // a person may be in several teams; not twice in one
    await fails(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/members`, { person_id: P.m1 }), 409, 'person_id');
    const team = await ok(c.get(`/api/v1/volunteer-teams/${X.patrol.id}`));
    assert.deepEqual(team.member_list.map((m) => m.name).sort(), ['李志愿', '王队长', '赵党员', '钱大爷'].sort());
    assert.equal(team.my_part, 'staff');
    const list = await ok(U.secretary.client.get('/api/v1/volunteer-teams'));
    assert.deepEqual(list.items.map((t) => t.name).sort(), ['夜间巡逻队', '应急值守队']);
  });

  test('bad input is a 4xx naming the field, and nothing is written', async () => {
    const c = U.secretary.client;
    const base = { name: '新队', kind: 'culture', node_id: T.dorm };
    await fails(c.post('/api/v1/volunteer-teams', { ...base, kind: 'choir' }), 400, 'kind');
    await fails(c.post('/api/v1/volunteer-teams', { ...base, name: ' ' }), 400, 'name');
    await fails(c.post('/api/v1/volunteer-teams', { ...base, node_id: T.hk }), 400, 'node_id');	// outside the secretary's scope
    await fails(c.post('/api/v1/volunteer-teams', { ...base, weekly_limit_minutes: 10 }), 400, 'weekly_limit_minutes');
    await fails(c.post('/api/v1/volunteer-teams', { ...base, name: '夜间巡逻队' }), 409, 'name');
    await fails(srv.post('/api/v1/volunteer-teams', { ...base, leader_person_id: P.outsider }), 400, 'leader_person_id');
    // a member of another subdistrict
    await fails(srv.post(`/api/v1/volunteer-teams/${X.patrol.id}/members`, { person_id: P.outsider }), 400, 'person_id');
    const all = await ok(srv.get('/api/v1/volunteer-teams?all=true'));
    assert.equal(all.total, 3, 'nothing half-written');
  });

  test('a volunteer sees only their own teams; another courtyard\'s volunteer sees none of them', async () => {
    const mine = await ok(U.vol1.client.get('/api/v1/volunteer-teams'));
    assert.deepEqual(mine.items.map((t) => t.id), [X.patrol.id]);
    assert.equal((await ok(U.vol1.client.get(`/api/v1/volunteer-teams/${X.patrol.id}`))).my_part, 'member');
    assert.equal((await ok(U.lead.client.get(`/api/v1/volunteer-teams/${X.patrol.id}`))).my_part, 'leader');
    await fails(U.vol1.client.get(`/api/v1/volunteer-teams/${X.emergency.id}`), 404);
    await fails(U.hkvol.client.get(`/api/v1/volunteer-teams/${X.patrol.id}`), 404);
    await fails(U.vol1.client.patch(`/api/v1/volunteer-teams/${X.patrol.id}`, { name: '我的队' }), 403);
    // a reader without volunteer.act sees every team of the scope
    const seen = await ok(U.auditor2.client.get('/api/v1/volunteer-teams'));
    assert.equal(seen.total, 3);
  });
});

describe('shifts', () => {
  test('shift types and the repeat rule: every evening 19:00-21:00 for four weeks in one request', async () => {
    const c = U.secretary.client;
    X.night = await ok(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/shift-types`, {
      name: '夜巡', minutes: 120, people: 2, party_members: 1, points_per_hour: 10, place: '宿舍大院',
    }), 201);
    X.day = await ok(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/shift-types`, {
      name: '全天值守', minutes: 480, people: 3, points_per_hour: 8,
    }), 201);
    await fails(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/shift-types`, { name: '坏', minutes: 120, people: 1, party_members: 2 }),
      400, 'party_members');
    await fails(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/shift-types`, { name: '坏', minutes: 5 }), 400, 'minutes');
    const from = addDays(MONDAY, 7);
    const series = await ok(U.lead.client.post(`/api/v1/volunteer-teams/${X.patrol.id}/shift-series`, {
      type_id: X.night.id, from_on: from, until_on: addDays(from, 27), start: '19:00', end: '21:00',
    }), 201);
    assert.equal(series.shifts, 28);
    const listed = await ok(c.get(`/api/v1/volunteer-shifts?team_id=${X.patrol.id}&from=${from}&to=${addDays(from, 6)}`));
    assert.equal(listed.total, 7);
    assert.ok(listed.items.every((s) => s.type_name === '夜巡' && s.people === 2 && s.party_members === 1 && s.place === '宿舍大院'));
    assert.equal(listed.items[0].starts_at, `${from}T19:00:00+08:00`);
    assert.equal(listed.items[0].ends_at, `${from}T21:00:00+08:00`);
    // weekdays only: Monday, Wednesday, Friday
    const mwf = await ok(c.post(`/api/v1/volunteer-teams/${X.emergency.id}/shift-types`, { name: '测温点', minutes: 240 }), 201);
    const wk = await ok(c.post(`/api/v1/volunteer-teams/${X.emergency.id}/shift-series`, {
      type_id: mwf.id, from_on: from, until_on: addDays(from, 6), weekdays: '135', start: '08:00', end: '12:00',
    }), 201);
    assert.equal(wk.shifts, 3);
  });

  test('bad shifts and rules are refused naming the field; nothing is half-written', async () => {
    const c = U.lead.client;
    const before = (await ok(srv.get('/api/v1/volunteer-shifts?limit=1'))).total;
    const path = `/api/v1/volunteer-teams/${X.patrol.id}/shifts`;
    await fails(c.post(path, { type_id: X.night.id, starts_at: `${MONDAY} 19:00`, ends_at: `${MONDAY} 18:00` }), 400, 'ends_at');
    await fails(c.post(path, { type_id: X.night.id, starts_at: `${MONDAY} 25:00` }), 400, 'starts_at');
    await fails(c.post(path, { type_id: X.night.id, starts_at: '2020-01-01 19:00' }), 400, 'ends_at');	// over already
    await fails(c.post(path, { starts_at: `${MONDAY} 19:00` }), 400, 'type_id');
    await fails(c.post(path, { type_id: X.night.id, starts_at: `${MONDAY} 19:00`, people: 0 }), 400, 'people');
    const rules = `/api/v1/volunteer-teams/${X.patrol.id}/shift-series`;
    const rule = { type_id: X.night.id, from_on: MONDAY, until_on: addDays(MONDAY, 30), start: '19:00', end: '21:00' };
    await fails(c.post(rules, { ...rule, end: '18:00' }), 400, 'end');
    await fails(c.post(rules, { ...rule, weekdays: '89' }), 400, 'weekdays');
    await fails(c.post(rules, { ...rule, until_on: addDays(MONDAY, -1) }), 400, 'until_on');
    await fails(c.post(rules, { ...rule, until_on: addDays(MONDAY, 400) }), 400, 'until_on');
    await fails(c.post(rules, { ...rule, start: '7pm' }), 400, 'start');
    // a plain member plans nothing
    await fails(U.vol1.client.post(path, { type_id: X.night.id, starts_at: `${MONDAY} 19:00` }), 403);
    assert.equal((await ok(srv.get('/api/v1/volunteer-shifts?limit=1'))).total, before);
  });

  test('sign-up and assignment under the conflict rules', async () => {
    const lead = U.lead.client;
    const path = `/api/v1/volunteer-teams/${X.patrol.id}/shifts`;
    // Monday evening, Tuesday all day (8 h), Wednesday evening: 2 + 8 = 10 h is the team's weekly limit
    X.mon = await ok(lead.post(path, { type_id: X.night.id, starts_at: `${MONDAY} 19:00` }), 201);
    X.monLate = await ok(lead.post(path, { type_id: X.night.id, starts_at: `${MONDAY} 20:00` }), 201);
    X.tue = await ok(lead.post(path, { type_id: X.day.id, starts_at: `${addDays(MONDAY, 1)} 08:00` }), 201);
    X.wed = await ok(lead.post(path, { type_id: X.night.id, starts_at: `${addDays(MONDAY, 2)} 19:00`, people: 3 }), 201);
    const v = U.vol1.client;
    let s = await ok(v.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, {}), 201);
    assert.equal(s.filled, 1);
    assert.equal(s.places[0].name, '李志愿');
    assert.equal(s.places[0].how, 'signup');
    // a double sign-up
    await fails(v.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, {}), 409, 'person_id');
    // the last place waits for the party member the shift needs
    await fails(lead.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, { person_id: P.m3 }), 409, 'person_id');
    // a member signs up only themselves; the leader assigns
    await fails(v.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, { person_id: P.m2 }), 403, 'person_id');
    s = await ok(lead.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, { person_id: P.m2 }), 201);
    assert.equal(s.places[1].how, 'assigned');
    // full
    await fails(lead.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, { person_id: P.m3 }), 409, 'id');
    // two shifts at once
    const e = await fails(v.post(`/api/v1/volunteer-shifts/${X.monLate.id}/signups`, {}), 409, 'person_id');
    assert.match(e.message, /two shifts at once/);
    // the weekly limit
    await ok(v.post(`/api/v1/volunteer-shifts/${X.tue.id}/signups`, {}), 201);
    const w = await fails(v.post(`/api/v1/volunteer-shifts/${X.wed.id}/signups`, {}), 409, 'person_id');
    assert.match(w.message, /weekly limit/);
    // not a member of the team: someone of another courtyard, someone of another subdistrict
    await fails(srv.post(`/api/v1/volunteer-shifts/${X.wed.id}/signups`, { person_id: P.hk }), 400, 'person_id');
    await fails(srv.post(`/api/v1/volunteer-shifts/${X.wed.id}/signups`, { person_id: P.outsider }), 400, 'person_id');
    // give-up before the cut-off, then back again; the roster shows who is on
    await ok(v.post(`/api/v1/volunteer-shifts/${X.tue.id}/actions`, { action: 'give_up' }));
    await ok(v.post(`/api/v1/volunteer-shifts/${X.wed.id}/signups`, {}), 201);
    const mine = await ok(v.get('/api/v1/volunteer-shifts?mine=true'));
    assert.deepEqual(mine.items.map((x) => x.id), [X.mon.id, X.wed.id]);
    // a swap hands the place to another member, who passes the same rules
    s = await ok(v.post(`/api/v1/volunteer-shifts/${X.wed.id}/actions`, { action: 'swap', to_person_id: P.m3 }));
    assert.deepEqual(s.places.map((p) => [p.name, p.state]), [['李志愿', 'swapped'], ['钱大爷', 'active']]);
    await fails(v.post(`/api/v1/volunteer-shifts/${X.mon.id}/actions`, { action: 'swap', to_person_id: P.outsider }), 400,
      'to_person_id');
    // another courtyard's volunteer cannot reach the shift at all
    await fails(U.hkvol.client.get(`/api/v1/volunteer-shifts/${X.mon.id}`), 404);
    await fails(U.hkvol.client.post(`/api/v1/volunteer-shifts/${X.mon.id}/signups`, {}), 404);
    const theirs = await ok(U.hkvol.client.get('/api/v1/volunteer-shifts'));
    assert.equal(theirs.total, 0);
  });

  test('check-in to someone else\'s shift, or for someone else, is refused naming the field', async () => {
    const v = U.vol1.client;
    // vol1 is not on Tuesday's shift any more
    await fails(v.post(`/api/v1/volunteer-shifts/${X.tue.id}/actions`, { action: 'check_in' }), 409, 'id');	// not open yet
    const soon = await ok(U.lead.client.post(`/api/v1/volunteer-teams/${X.patrol.id}/shifts`, {
      type_id: X.night.id, starts_at: local(Date.now() + 30 * 60e3), people: 3,
    }), 201);
    await ok(U.lead.client.post(`/api/v1/volunteer-shifts/${soon.id}/signups`, { person_id: P.m2 }), 201);
    await fails(v.post(`/api/v1/volunteer-shifts/${soon.id}/actions`, { action: 'check_in' }), 409, 'person_id');
    await fails(v.post(`/api/v1/volunteer-shifts/${soon.id}/actions`, { action: 'check_in', person_id: P.m2 }), 403, 'person_id');
    await fails(v.post(`/api/v1/volunteer-shifts/${soon.id}/actions`, { action: 'check_in', at: local(Date.now()) }), 403, 'at');
    await fails(v.post(`/api/v1/volunteer-shifts/${soon.id}/actions`, { action: 'dance' }), 400, 'action');
    await fails(v.post(`/api/v1/volunteer-shifts/${soon.id}/actions`, { action: 'confirm', person_id: P.m2, minutes: 10 }), 403);
    X.soon = soon;
  });
});

describe('on the day, on the time-node engine', () => {
  test('check-in and out; at the end the server marks present, late and no-show and counts the points', async () => {
    const lead = U.lead.client;
    const now = Date.now();
    // going on now: from two hours ago until a few seconds from now
    const sh = await ok(lead.post(`/api/v1/volunteer-teams/${X.patrol.id}/shifts`, {
      type_id: X.night.id, starts_at: local(now - 2 * 3600e3), ends_at: local(now + 5000), people: 3,
    }), 201);
    // it began: a member can no longer sign up; the leader assigns
    await fails(U.vol1.client.post(`/api/v1/volunteer-shifts/${sh.id}/signups`, {}), 409, 'id');
    for (const p of [P.m1, P.m2, P.m3]) await ok(lead.post(`/api/v1/volunteer-shifts/${sh.id}/signups`, { person_id: p }), 201);
    // the leader records the paper sheet: m1 on time, m3 half an hour late; m2 never came
    await ok(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'check_in', person_id: P.m1, at: local(now - 2 * 3600e3 - 300e3) }));
    await ok(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'check_in', person_id: P.m3, at: local(now - 90 * 60e3) }));
    await fails(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'check_in', person_id: P.m3 }), 409, 'person_id');
    await fails(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'check_in', person_id: P.m1, at: local(now + 3600e3) }),
      400, 'at');
    // m1 checks out on the phone
    let s = await ok(U.vol1.client.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'check_out' }));
    assert.ok(s.places.find((p) => p.person_id === P.m1).check_out_at);
    // the end passes; the server's sweeper closes the shift
    for (let i = 0; i < 40; i++) {
      s = await ok(lead.get(`/api/v1/volunteer-shifts/${sh.id}`));
      if (s.state === 'closed') break;
      await sleep(250);
    }
    assert.equal(s.state, 'closed');
    const by = Object.fromEntries(s.places.map((p) => [p.person_id, p]));
    assert.equal(by[P.m1].attendance, 'present');
    assert.ok(by[P.m1].minutes >= 119 && by[P.m1].minutes <= 120, `${by[P.m1].minutes}`);
    assert.equal(by[P.m3].attendance, 'late');
    assert.ok(by[P.m3].minutes >= 89 && by[P.m3].minutes <= 90);
    assert.equal(by[P.m2].attendance, 'no_show');
    assert.equal(by[P.m2].minutes, 0);
    // points by the type's rule: 10 an hour, rounded half up
    const l1 = await ok(U.vol1.client.get(`/api/v1/volunteers/${P.m1}/ledger`));
    assert.equal(l1.items[0].kind, 'shift');
    assert.equal(l1.points, Math.floor((l1.minutes * 10 + 30) / 60));
    assert.equal(l1.minutes, by[P.m1].minutes);
    // after the end: no check-in; the leader confirms the no-show's hours with a reason
    await fails(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'check_in', person_id: P.m2 }), 409, 'id');
    s = await ok(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, {
      action: 'confirm', person_id: P.m2, minutes: 60, reason: '在门岗值守，未签到',
    }));
    assert.equal(s.places.find((p) => p.person_id === P.m2).attendance, 'present');
    const l2 = await ok(lead.get(`/api/v1/volunteers/${P.m2}/ledger`));
    assert.deepEqual([l2.items[0].kind, l2.items[0].minutes, l2.items[0].points, l2.points], ['confirm', 60, 10, 10]);
    await fails(lead.post(`/api/v1/volunteer-shifts/${sh.id}/actions`, { action: 'confirm', person_id: P.m2, minutes: 999 }),
      400, 'minutes');
    X.closed = sh;
  });

  test('a shift still short of people a day before is carded to its leader', async () => {
    const sh = await ok(U.lead.client.post(`/api/v1/volunteer-teams/${X.patrol.id}/shifts`, {
      type_id: X.night.id, starts_at: local(Date.now() + 6 * 3600e3),
    }), 201);
    let s;
    for (let i = 0; i < 40; i++) {
      s = await ok(U.lead.client.get(`/api/v1/volunteer-shifts/${sh.id}`));
      if (s.staff_card === 'red') break;
      await sleep(250);
    }
    assert.equal(s.staff_card, 'red');
    const me = await ok(U.lead.client.get('/api/v1/volunteer-me'));
    assert.ok(me.carded.some((x) => x.id === sh.id), JSON.stringify(me.carded));
    assert.equal((await ok(U.vol1.client.get('/api/v1/volunteer-me'))).carded.length, 0, 'only the leader is carded');
    // staff of the team's node find it among their tasks
    const tasks = await ok(U.secretary.client.get('/api/v1/tasks'));
    assert.ok(tasks.items.some((t) => t.kind === 'volunteer_short' && t.id === sh.id && t.card === 'red'), JSON.stringify(tasks));
    // filled: the card is withdrawn
    await ok(U.lead.client.post(`/api/v1/volunteer-shifts/${sh.id}/signups`, { person_id: P.leader }), 201);
    s = await ok(U.lead.client.post(`/api/v1/volunteer-shifts/${sh.id}/signups`, { person_id: P.m3 }), 201);
    assert.equal(s.staff_card, 'none');
    assert.equal(s.staff_due, null);
    // cancelled: everyone withdrawn, nothing due
    s = await ok(U.lead.client.patch(`/api/v1/volunteer-shifts/${sh.id}`, { state: 'cancelled' }));
    assert.equal(s.state, 'cancelled');
    assert.ok(s.places.every((p) => p.state === 'withdrawn'));
  });
});

describe('hours and points', () => {
  test('adjustments with a reason; the points shop; more points than held is refused and nothing is written', async () => {
    const c = U.secretary.client;
    await fails(c.post(`/api/v1/volunteers/${P.m1}/adjustments`, { points: 50 }), 400, 'reason');
    await fails(c.post(`/api/v1/volunteers/${P.m1}/adjustments`, { points: -100000, reason: '扣' }), 409, 'points');
    await fails(U.vol1.client.post(`/api/v1/volunteers/${P.m1}/adjustments`, { points: 50, reason: '自加' }), 403);
    const adj = await ok(c.post(`/api/v1/volunteers/${P.m1}/adjustments`, { points: 40, reason: '春节值守补录' }), 201);
    const held = adj.points;
    X.soap = await ok(c.post('/api/v1/volunteer-shop-items', { name: '洗衣液', node_id: T.dorm, points: 20, stock: 5 }), 201);
    await fails(c.post('/api/v1/volunteer-shop-items', { name: '洗衣液', node_id: T.dorm, points: 20 }), 409, 'name');
    await fails(c.post('/api/v1/volunteer-shop-items', { name: '大米', node_id: T.dorm, points: 0 }), 400, 'points');
    const items = await ok(U.vol1.client.get('/api/v1/volunteer-shop-items'));
    assert.deepEqual(items.items.map((i) => i.name), ['洗衣液']);
    const want = Math.floor(held / 20) + 1;
    const ledgerBefore = (await ok(U.vol1.client.get(`/api/v1/volunteers/${P.m1}/ledger`))).total;
    await fails(U.vol1.client.post(`/api/v1/volunteer-shop-items/${X.soap.id}/redeem`, { quantity: want }), 409, 'quantity');
    await fails(U.vol1.client.post(`/api/v1/volunteer-shop-items/${X.soap.id}/redeem`, { person_id: P.m2 }), 403, 'person_id');
    assert.equal((await ok(srv.get('/api/v1/volunteer-shop-items'))).items[0].stock, 5, 'the stock stays');
    assert.equal((await ok(U.vol1.client.get(`/api/v1/volunteers/${P.m1}/ledger`))).total, ledgerBefore);
    const r = await ok(U.vol1.client.post(`/api/v1/volunteer-shop-items/${X.soap.id}/redeem`, { quantity: 2 }), 201);
    assert.equal(r.balance, held - 40);
    const l = await ok(U.vol1.client.get(`/api/v1/volunteers/${P.m1}/ledger`));
    assert.equal(l.points, held - 40);
    assert.equal(l.items[0].kind, 'redeem');
    assert.equal(l.items[0].points, -40);
    assert.equal(l.items.reduce((a, x) => a + x.points, 0), l.points, 'the balance is the sum of the rows');
    // their own exchanges only; another's ledger is not theirs to read
    const ex = await ok(U.vol1.client.get('/api/v1/volunteer-redemptions'));
    assert.deepEqual(ex.items.map((x) => [x.item_name, x.quantity, x.points]), [['洗衣液', 2, 40]]);
    await fails(U.vol1.client.get(`/api/v1/volunteers/${P.m2}/ledger`), 404);
    await fails(U.hkvol.client.get(`/api/v1/volunteers/${P.m1}/ledger`), 404);
    // staff keep the shop for anyone of their scope
    await ok(c.post(`/api/v1/volunteer-shop-items/${X.soap.id}/redeem`, { person_id: P.m2, quantity: 0 }), 400).catch(() => {});
    if (SQL) {
      assert.equal(count('SELECT count(*) FROM volunteer_ledger l WHERE balance <> (SELECT sum(points) FROM volunteer_ledger m'
        + ' WHERE m.person_id = l.person_id AND m.seq <= l.seq)'), 0);
      assert.equal(count('SELECT count(*) FROM volunteer_ledger WHERE balance < 0'), 0);
    }
  });

  test('my shifts: the person, teams, places to come and served, open shifts, balance', async () => {
    const me = await ok(U.vol1.client.get('/api/v1/volunteer-me'));
    assert.equal(me.person.name, '李志愿');
    assert.deepEqual(me.teams.map((t) => t.name), ['夜间巡逻队']);
    assert.ok(me.shifts.some((s) => s.id === X.mon.id));
    assert.ok(me.past.some((s) => s.id === X.closed.id));
    assert.ok(me.open.some((s) => s.id === X.soon.id), 'a shift of their team still short');
    assert.ok(me.balance.points > 0 && me.balance.minutes > 100);
    const none = await ok(srv.get('/api/v1/volunteer-me'));
    assert.equal(none.person, null);
  });
});

describe('the calendar feed', () => {
  // RFC 5545: unfold, split into properties.
  function parseIcs(text) {
    assert.ok(text.includes('\r\n'), 'CRLF line ends');
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `a line over 75 octets: ${line}`);
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.equal(lines[lines.length - 1], 'END:VCALENDAR');
    const events = [];
    let ev = null;
    for (const l of lines) {
      if (l === 'BEGIN:VEVENT') ev = {};
      else if (l === 'END:VEVENT') { events.push(ev); ev = null; } else if (ev) {
        const i = l.indexOf(':');
        ev[l.slice(0, i)] = l.slice(i + 1);
      }
    }
    return events;
  }
  const icsTime = (iso) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

  test('a personal token: the feed lists one\'s shifts in UTC; a new token ends the old', async () => {
    const t = await ok(U.vol1.client.post('/api/v1/volunteer-me/ical-token', {}), 201);
    assert.match(t.path, /^\/api\/v1\/volunteer-ical\/[\w-]{43}\.ics$/);
    const res = await srv.anonymous().get(t.path);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    const events = parseIcs(res.text);
    const mon = events.find((e) => e.UID.startsWith(`volunteer-shift-${X.mon.id}-`));
    assert.ok(mon, res.text);
    assert.equal(mon.DTSTART, icsTime(`${MONDAY}T19:00:00+08:00`));
    assert.equal(mon.DTEND, icsTime(`${MONDAY}T21:00:00+08:00`));
    assert.equal(mon.SUMMARY, '夜间巡逻队 · 夜巡');
    assert.equal(mon.LOCATION, '宿舍大院');
    assert.ok(!events.some((e) => e.UID.startsWith(`volunteer-shift-${X.wed.id}-`)), 'a place handed over is not in it');
    const again = await ok(U.vol1.client.post('/api/v1/volunteer-me/ical-token', {}), 201);
    assert.equal((await srv.anonymous().get(t.path)).status, 404);
    assert.equal((await srv.anonymous().get(again.path)).status, 200);
    assert.equal((await srv.anonymous().get(`/api/v1/volunteer-ical/${'x'.repeat(43)}.ics`)).status, 404);
    // an account that stands for no person has no feed
    await fails(srv.post('/api/v1/volunteer-me/ical-token', {}), 409, 'person_id');
  });
});

describe('changes', () => {
  test('a shift type changes for shifts to come; a member leaves and their shifts from that day are withdrawn', async () => {
    const c = U.secretary.client;
    const ty = await ok(c.patch(`/api/v1/volunteer-shift-types/${X.day.id}`, { points_per_hour: 12, place: '门岗' }));
    assert.deepEqual([ty.points_per_hour, ty.place, ty.name], [12, '门岗', '全天值守']);
    await fails(c.patch(`/api/v1/volunteer-shift-types/${X.day.id}`, { people: 0 }), 400, 'people');
    await fails(U.vol1.client.patch(`/api/v1/volunteer-shift-types/${X.day.id}`, { name: '我的' }), 403);
    const team = await ok(c.get(`/api/v1/volunteer-teams/${X.patrol.id}`));
    const m3 = team.member_list.find((m) => m.person_id === P.m3);
    let wed = await ok(c.get(`/api/v1/volunteer-shifts/${X.wed.id}`));
    assert.ok(wed.places.some((p) => p.person_id === P.m3 && p.state === 'active'));
    await fails(c.patch(`/api/v1/volunteer-members/${m3.id}`, { left_on: '2025-12-31' }), 400, 'left_on');	// before joining
    const left = await ok(c.patch(`/api/v1/volunteer-members/${m3.id}`, { left_on: day(0) }));
    assert.equal(left.left_on, day(0));
    await fails(c.patch(`/api/v1/volunteer-members/${m3.id}`, { left_on: day(0) }), 409, 'left_on');
    wed = await ok(c.get(`/api/v1/volunteer-shifts/${X.wed.id}`));
    assert.ok(wed.places.some((p) => p.person_id === P.m3 && p.state === 'withdrawn'));
    assert.equal(wed.filled, 0);
    // they may join again later, as a new membership
    await ok(c.post(`/api/v1/volunteer-teams/${X.patrol.id}/members`, { person_id: P.m3 }), 201);
  });
});

describe('patrol logs', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFklEQVQImWM8wWDEwM8AQSwMNgxEcABVJAJwBuoSRwAAAABJRU5ErkJggg==', 'base64');

  test('a patrol is logged with who went and what was seen; an incident becomes a work order in one step', async () => {
    // Today's patrol (the leader joined today): two hours ago, or from just after midnight.
    const now = Date.now();
    const midnight = Date.parse(`${day(0)}T00:00:00+08:00`);
    const from = Math.max(now - 2 * 3600e3, midnight + 60e3);
    const to = Math.max(from + 60e3, now - 60e3);
    const v = U.vol1.client;
    const base = { route: '1号楼—3号楼—车棚—北门', started_at: local(from), ended_at: local(to),
      seen: '北门路灯不亮', person_ids: [P.m1, P.leader] };
    const path = `/api/v1/volunteer-teams/${X.patrol.id}/patrols`;
    await fails(v.post(path, { ...base, ended_at: local(from - 60e3) }), 400, 'ended_at');
    await fails(v.post(path, { ...base, ended_at: local(now + 3600e3) }), 400, 'ended_at');
    await fails(v.post(path, { ...base, person_ids: [P.m1, P.hk] }), 400, 'person_ids');
    await fails(v.post(path, { ...base, route: '' }), 400, 'route');
    await fails(U.hkvol.client.post(path, base), 404);
    const p = await ok(v.post(path, base), 201);
    assert.deepEqual(p.people.map((x) => x.name).sort(), ['李志愿', '王队长'].sort());
    let after = await ok(v.post(`/api/v1/volunteer-patrols/${p.id}/incidents`, { description: '北门路灯不亮，夜间行人看不清台阶', node_id: T.dorm }), 201);
    await fails(v.post(`/api/v1/volunteer-patrols/${p.id}/incidents`, { description: '别处', node_id: T.hk }), 400, 'node_id');
    await fails(v.post(`/api/v1/volunteer-patrols/${p.id}/incidents`, { node_id: T.dorm }), 400, 'description');
    const incident = after.incidents[0];
    assert.equal(incident.work_order_id, null);
    // the volunteer turns it into a work order: a report the courtyard accepts, its text naming the patrol
    const cats = (await ok(srv.get('/api/v1/wo-categories'))).items;
    const leaf = cats.flatMap((c) => c.children)[0];
    await fails(v.post(`/api/v1/volunteer-patrol-incidents/${incident.id}/work-order`, { category_id: 999999 }), 400, 'category_id');
    await fails(v.post(`/api/v1/volunteer-patrol-incidents/${incident.id}/work-order`, { type: 'gossip' }), 400, 'type');
    // a volunteer sees no category tree: without one, the order is filed as 治安 (else the fallback)
    after = await ok(v.post(`/api/v1/volunteer-patrol-incidents/${incident.id}/work-order`, {}), 201);
    const made = after.incidents[0];
    assert.match(made.work_order_number, /^YL/);
    await fails(v.post(`/api/v1/volunteer-patrol-incidents/${incident.id}/work-order`, { category_id: leaf.id }), 409, 'id');
    const order = await ok(srv.get(`/api/v1/work-orders/${made.work_order_id}`));
    assert.equal(order.source, 'grid');
    assert.equal(order.state, 'received');
    assert.equal(order.node_id, T.dorm);
    assert.match(order.text, /^【巡逻发现】夜间巡逻队 \d+月\d+日\d+时巡逻（记录\d+）：北门路灯不亮/);
    assert.ok(leaf && cats.some((c) => c.id === order.category_id || c.children.some((x) => x.id === order.category_id)));
    // the volunteer's account gets no other work-order right from it
    await fails(v.get(`/api/v1/work-orders/${made.work_order_id}`), 403);
    X.patrolLog = p;
  });

  test('staff log an incident with a photo; the photo goes with the work order', async () => {
    const res = await fetch(`${srv.base}/api/v1/uploads`, { method: 'POST', body: PNG,
      headers: { 'Content-Type': 'image/png', Cookie: srv.session.cookie, 'X-CSRF-Token': srv.session.csrf } });
    assert.equal(res.status, 201, await res.clone().text());
    const up = await res.json();
    const uploadId = (up.items || up)[0]?.id ?? up.id;
    const p = await ok(srv.post(`/api/v1/volunteer-patrols/${X.patrolLog.id}/incidents`, {
      description: '车棚电线私拉乱接', node_id: T.dorm, upload_id: uploadId }), 201);
    const inc = p.incidents.find((i) => i.upload_id === uploadId);
    const cats = (await ok(srv.get('/api/v1/wo-categories'))).items;
    const after = await ok(srv.post(`/api/v1/volunteer-patrol-incidents/${inc.id}/work-order`, {
      category_id: cats.flatMap((c) => c.children)[1].id, urgency: 'urgent' }), 201);
    const order = await ok(srv.get(`/api/v1/work-orders/${after.incidents.find((i) => i.id === inc.id).work_order_id}`));
    assert.deepEqual(order.photo_ids, [uploadId]);
    assert.equal(order.urgency, 'urgent');
    const list = await ok(U.vol1.client.get('/api/v1/volunteer-patrols'));
    assert.equal(list.items[0].id, X.patrolLog.id);
    assert.equal((await ok(U.hkvol.client.get('/api/v1/volunteer-patrols'))).total, 0);
  });
});

describe('figures', () => {
  test('fill and no-show rates, hours by team and month, active volunteers per courtyard, incidents and orders', async () => {
    const f = await ok(U.secretary.client.get(`/api/v1/volunteer-figures?from=${day(-1)}&to=${day(0)}`));
    // the closed shift of the day: 3 places of 3, one no-show (later confirmed present by the leader)
    assert.equal(f.shifts.closed, 1);
    assert.equal(f.shifts.places_taken, 3);
    assert.equal(f.shifts.fill_percent, 100);
    assert.equal(f.attendance.places, 3);
    assert.equal(f.attendance.late, 1);
    assert.equal(f.attendance.present + f.attendance.no_show, 2);
    const team = f.teams.find((x) => x.team_id === X.patrol.id);
    assert.ok(team.minutes >= 260, JSON.stringify(f.teams));
    assert.equal(f.served.minutes, team.minutes);
    assert.equal(f.months.length, 1);
    assert.equal(f.served.volunteers, 3);
    const dorm = f.courtyards.find((c) => c.node_id === T.dorm);
    assert.equal(dorm.volunteers, 3);
    assert.equal(dorm.residents, 4);
    assert.equal(dorm.share_percent, 75);
    assert.deepEqual([f.patrols.patrols, f.patrols.incidents, f.patrols.work_orders], [1, 2, 2]);
    assert.equal(f.persons.length, 3);
    // a volunteer sees the figures of their scope without the names of others
    const mine = await ok(U.vol1.client.get(`/api/v1/volunteer-figures?from=${day(-1)}&to=${day(0)}`));
    assert.equal(mine.persons.length, 0);
    await fails(U.secretary.client.get('/api/v1/volunteer-figures?from=2026-13-01'), 400, 'from');
    await fails(U.hkvol.client.get(`/api/v1/volunteer-figures?under=${T.dorm}`), 404);
  });
});

describe('the rest of the routes', () => {
  test('filters, a shift\'s changes, an item\'s stock and withdrawal, one patrol', async () => {
    const c = U.secretary.client;
    assert.deepEqual((await ok(c.get('/api/v1/volunteer-teams?kind=emergency'))).items.map((t) => t.name), ['应急值守队']);
    await fails(c.get('/api/v1/volunteer-teams?kind=choir'), 400, 'kind');
    const short = await ok(c.get(`/api/v1/volunteer-shifts?team_id=${X.patrol.id}&short=true&limit=500`));
    assert.ok(short.items.length > 0 && short.items.every((s) => s.state === 'open' && s.filled < s.people));
    await fails(c.get('/api/v1/volunteer-shifts?from=someday'), 400, 'from');
    await fails(c.get('/api/v1/volunteer-shifts?state=asleep'), 400, 'state');
    // a shift's place and people change; never below those on it
    let s = await ok(U.lead.client.patch(`/api/v1/volunteer-shifts/${X.mon.id}`, { place: '北门', note: '带手电' }));
    assert.deepEqual([s.place, s.note, s.filled], ['北门', '带手电', 2]);
    await fails(U.lead.client.patch(`/api/v1/volunteer-shifts/${X.mon.id}`, { people: 1 }), 409, 'people');
    await fails(U.lead.client.patch(`/api/v1/volunteer-shifts/${X.mon.id}`, { starts_at: `${MONDAY} 18:00` }), 400, 'starts_at');
    await fails(U.lead.client.patch(`/api/v1/volunteer-shifts/${X.mon.id}`, { state: 'open' }), 400, 'state');
    await fails(U.vol1.client.patch(`/api/v1/volunteer-shifts/${X.mon.id}`, { place: '我家' }), 403);
    s = await ok(U.lead.client.patch(`/api/v1/volunteer-shifts/${X.mon.id}`, { people: 3 }));
    assert.equal(s.staff_due !== null, true, 'short again: its staffing node is due');
    // an item's stock and withdrawal
    let it = await ok(c.patch(`/api/v1/volunteer-shop-items/${X.soap.id}`, { stock: 10, points: 25 }));
    assert.deepEqual([it.stock, it.points], [10, 25]);
    await fails(c.patch(`/api/v1/volunteer-shop-items/${X.soap.id}`, { stock: -1 }), 400, 'stock');
    it = await ok(c.patch(`/api/v1/volunteer-shop-items/${X.soap.id}`, { active: false }));
    assert.equal(it.active, false);
    await fails(U.vol1.client.post(`/api/v1/volunteer-shop-items/${X.soap.id}/redeem`, {}), 409, 'id');
    assert.equal((await ok(U.vol1.client.get('/api/v1/volunteer-shop-items'))).total, 0);
    assert.equal((await ok(c.get('/api/v1/volunteer-shop-items?all=true'))).total, 1);
    // one patrol, for its team's members and the scope's staff
    const p = await ok(U.lead.client.get(`/api/v1/volunteer-patrols/${X.patrolLog.id}`));
    assert.equal(p.incidents.length, 2);
    await fails(U.hkvol.client.get(`/api/v1/volunteer-patrols/${X.patrolLog.id}`), 404);
    // a team retired: no new shifts
    await ok(c.patch(`/api/v1/volunteer-teams/${X.emergency.id}`, { active: false }));
    const types = (await ok(c.get(`/api/v1/volunteer-teams/${X.emergency.id}`))).shift_types;
    await fails(c.post(`/api/v1/volunteer-teams/${X.emergency.id}/shifts`, { type_id: types[0].id, starts_at: `${MONDAY} 08:00` }), 409, 'id');
  });
});
