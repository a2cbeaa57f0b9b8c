// volunteers.test.mjs - volunteers and duty rosters (issue 16) in real headless Chromium on a 360 px phone: a
// volunteer opens 我的班次, signs up for tomorrow's patrol, checks in to a shift going on now and checks out a
// minute later; the server's sweeper closes the shift at its end, marks the late check-in, and the volunteer
// sees their hours and points.  The team's leader opens the weekly roster and prints it: one A4 page, the
// controls left off.  No page is wider than the phone; axe-core's WCAG 2 A/AA rules pass on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startServer } from '../api/harness.mjs';
import { phone, ART } from './browser.mjs';

const PW = 'Patrol-Pass-2026!';
const SHANGHAI = 8 * 3600e3;
const local = (ms) => new Date(ms + SHANGHAI).toISOString().slice(0, 19).replace('T', ' ');
const day = (n) => new Date(Date.now() + SHANGHAI + n * 86400e3).toISOString().slice(0, 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
let b;		// the volunteer's phone (browser.mjs)
let page;
const X = {};

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

async function logIn(pg, login) {
  await pg.goto(`${srv.base}/#/login`);
  await pg.locator('input[name=login]').fill(login);
  await pg.locator('input[name=password]').fill(PW);
  await pg.getByRole('button', { name: '登录', exact: true }).click();
  await pg.locator('#site-nav').waitFor({ state: 'visible' });
}

before(async () => {
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const node = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  const ms = await node({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  const thd = await node({ level: 'community', name: '桃花山社区', parent_id: ms, code: 'MS-02' });
  const dorm = await node({ level: 'courtyard', name: '桃花山职工宿舍', parent_id: thd, code: 'MS-02-01', kind: 'dormitory' });
  const person = async (name, party = false) => (await ok(srv.post('/api/v1/persons', { name, home_node_id: dorm, party_member: party }), 201)).id;
  X.leader = await person('王队长', true);
  X.vol = await person('李志愿');
  X.other = await person('赵党员', true);
  for (const [login, p] of [['lixy', X.vol], ['wangdz', X.leader]]) {
    await ok(srv.post('/api/v1/users', { login, role: 'volunteer', scope_node_id: dorm, person_id: p, password: 'Init-Pass-2026' }), 201);
    await srv.loginAs(login, 'Init-Pass-2026', PW);
  }
  X.team = await ok(srv.post('/api/v1/volunteer-teams', { name: '夜间巡逻队', kind: 'patrol', node_id: dorm, leader_person_id: X.leader }), 201);
  // members for a week already: the shift going on now may have begun yesterday, just after midnight
  for (const p of [X.vol, X.other]) await ok(srv.post(`/api/v1/volunteer-teams/${X.team.id}/members`, { person_id: p, joined_on: day(-7) }), 201);
  // 600 points an hour, so that a minute on duty shows as 10 points
  X.type = await ok(srv.post(`/api/v1/volunteer-teams/${X.team.id}/shift-types`, {
    name: '夜巡', minutes: 120, people: 2, party_members: 1, points_per_hour: 600, place: '宿舍大院',
  }), 201);
  X.tomorrow = await ok(srv.post(`/api/v1/volunteer-teams/${X.team.id}/shifts`, { type_id: X.type.id, starts_at: `${day(1)} 19:00` }), 201);
  await ok(srv.post(`/api/v1/volunteer-teams/${X.team.id}/shift-series`, {
    type_id: X.type.id, from_on: day(2), until_on: day(8), start: '19:00', end: '21:00',
  }), 201);
  await ok(srv.post(`/api/v1/volunteer-shifts/${X.tomorrow.id}/signups`, { person_id: X.other }), 201);
  b = await phone();
  page = b.page;
  await logIn(page, 'lixy');
});

after(async () => {
  if (b) await b.browser.close();
  if (srv) await srv.stop();
});

test('a volunteer lands on 我的班次 and signs up for tomorrow\'s patrol', async () => {
  await page.goto(`${srv.base}/#/`);
  await page.getByRole('heading', { name: '我的班次', level: 1 }).waitFor();
  assert.equal(await page.locator('#site-nav a', { hasText: '志愿服务' }).getAttribute('aria-current'), 'page');
  const open = page.locator('#vol-open .vol-card').filter({ hasText: '19:00–21:00' }).first();
  await open.waitFor();
  await b.assertFits();
  await b.assertAccessible('my shifts');
  await page.screenshot({ path: join(ART, 'volunteers-me-phone.png'), fullPage: true });
  await page.locator('#vol-open').getByRole('button', { name: /^报名/ }).first().click();
  await page.locator('#vol-mine .vol-card').first().waitFor();
  assert.match(await page.locator('#vol-mine').innerText(), /夜间巡逻队 · 夜巡 · 宿舍大院/);
  const me = await ok(srv.get(`/api/v1/volunteer-shifts/${X.tomorrow.id}`));
  assert.ok(me.places.some((p) => p.person_id === X.vol && p.how === 'signup'), JSON.stringify(me.places));
});

test('checks in and out on the phone; at the end the server closes the shift and the hours and points show', async () => {
  const now = Date.now();
  // going on now, until 75 seconds from now; the leader put the volunteer on it
  const sh = await ok(srv.post(`/api/v1/volunteer-teams/${X.team.id}/shifts`, {
    type_id: X.type.id, starts_at: local(now - 3600e3), ends_at: local(now + 75e3), people: 3,
  }), 201);
  await ok(srv.post(`/api/v1/volunteer-shifts/${sh.id}/signups`, { person_id: X.vol }), 201);
  await page.reload();
  const card = page.locator('#vol-mine .vol-card').filter({ has: page.locator(`a[href="#/volunteers/shifts/${sh.id}"]`) });
  await card.getByRole('button', { name: '签到' }).click();
  await card.getByText(/签到$/).first().waitFor();
  const checkedIn = Date.now();
  await b.assertAccessible('checked in');
  await sleep(Math.max(0, checkedIn + 62e3 - Date.now()));
  await card.getByRole('button', { name: '签退' }).click();
  await card.getByText(/签退$/).first().waitFor();
  // the end passes: the sweeper closes the shift within a second or two
  let s;
  for (let i = 0; i < 60; i++) {
    s = await ok(srv.get(`/api/v1/volunteer-shifts/${sh.id}`));
    if (s.state === 'closed') break;
    await sleep(500);
  }
  assert.equal(s.state, 'closed');
  const mine = s.places.find((p) => p.person_id === X.vol);
  assert.equal(mine.attendance, 'late');
  assert.ok(mine.minutes >= 1, JSON.stringify(mine));
  await page.reload();
  const points = page.locator('.vol-balance .stat-card').first();
  await points.waitFor();
  assert.equal(await points.locator('.stat-card__big').innerText(), String(mine.minutes * 10));
  assert.match(await page.locator('.vol-balance').innerText(), /0 小时 [1-9] 分/);
  assert.match(await page.locator('#vol-past').innerText(), /迟到/);
  await b.assertFits();
  await page.screenshot({ path: join(ART, 'volunteers-hours-phone.png'), fullPage: true });
  // the ledger: one row of the shift, the balance the sum of the rows
  await page.getByRole('link', { name: '积分明细' }).click();
  await page.getByRole('heading', { name: '李志愿 的时长和积分' }).waitFor();
  assert.match(await page.locator('#vol-ledger').innerText(), /执勤/);
  await b.assertFits();
  await b.assertAccessible('the ledger');
  assert.deepEqual(b.problems, []);
});

test('the leader prints the weekly roster on one A4 page', async () => {
  const ctx = await b.browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const lp = await ctx.newPage();
  const problems = [];
  lp.on('pageerror', (e) => problems.push(e.message));
  lp.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  await logIn(lp, 'wangdz');
  await lp.goto(`${srv.base}/#/volunteers/teams/${X.team.id}`);
  await lp.getByRole('link', { name: '本周排班表（可打印）' }).click();
  await lp.getByRole('heading', { name: '夜间巡逻队值班表' }).waitFor();
  const table = lp.locator('.vol-roster__table');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 7, 'Monday to Sunday');
  await lp.emulateMedia({ media: 'print' });
  assert.equal(await lp.locator('.site-header').isVisible(), false);
  assert.equal(await lp.getByRole('button', { name: '打印' }).isVisible(), false);
  assert.ok(await table.isVisible());
  const pdf = await lp.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(ART, 'volunteers-roster-a4.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, `the roster prints on ${pages} pages`);
  // the notice-board version is the same roster in large print
  await lp.emulateMedia({ media: 'screen' });
  await lp.getByRole('link', { name: '公示栏版' }).click();
  await lp.locator('.vol-roster--board').waitFor();
  await lp.screenshot({ path: join(ART, 'volunteers-roster-board.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a volunteer logs a patrol, records what was seen and makes it a work order; the figures page reads', async () => {
  await page.goto(`${srv.base}/#/volunteers/teams/${X.team.id}`);
  await page.getByRole('heading', { name: '夜间巡逻队', level: 1 }).waitFor();
  await page.locator('summary', { hasText: '记录一次巡逻' }).click();
  await page.getByLabel('路线').fill('1号楼—车棚—北门');
  await page.getByLabel('李志愿').check();
  await page.getByRole('button', { name: '记录一次巡逻' }).click();
  await page.getByRole('heading', { name: '夜间巡逻队巡逻记录' }).waitFor();
  await page.locator('summary', { hasText: '记录发现的问题' }).click();
  await page.getByLabel('发现了什么').fill('北门路灯不亮，夜里看不清台阶');
  await page.getByRole('button', { name: '记录发现的问题' }).click();
  await page.getByRole('button', { name: '转为工单' }).click();
  await page.getByText('已转工单').first().waitFor();
  assert.match(await page.locator('#vol-patrol-incidents').innerText(), /YL\d+/);
  await b.assertFits();
  await b.assertAccessible('a patrol');
  await page.screenshot({ path: join(ART, 'volunteers-patrol-phone.png'), fullPage: true });
  await page.goto(`${srv.base}/#/volunteers/figures`);
  await page.getByRole('heading', { name: '志愿服务数据', level: 1 }).waitFor();
  assert.match(await page.locator('.stat-cards').innerText(), /巡逻 1 次，转工单 1 件/);
  await b.assertFits();
  await b.assertAccessible('the figures');
  assert.deepEqual(b.problems, []);
});
