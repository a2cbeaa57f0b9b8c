// projects.test.mjs - key projects (issue 14) in real headless Chromium on a 360 px phone: a work-team
// member finds their overdue project task, carded red by the server's sweeper, under 我的任务; opens
// 重点项目, the project and its three ledgers (tasks, problems, responsibilities) with the cards.  No
// page is wider than the phone; no CSP refusal or script error; axe-core's WCAG 2 A/AA rules pass on
// each page (in a second context that lets axe's inline script in).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../api/harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ART = join(ROOT, 'build/e2e-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const PHONE = { width: 360, height: 740 };
const PW = 'Project-Pass-2026!';
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

let chromium = null;
try {
  ({ chromium } = await import('playwright-core'));
} catch { /* reported below */ }
const missing = !chromium ? 'playwright-core is not installed (make deps)'
  : !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM} (apt-get install chromium)`
    : !existsSync(AXE) ? 'axe-core is not installed (npm install axe-core)' : null;

let srv;
let browser;
let page;	// the member's phone, under the server's CSP
let axePage;	// the same member, CSP bypassed so that axe-core can be injected
const P = {};
const problems = [];

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

async function openPhone(bypassCSP, login = 'member') {
  const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', deviceScaleFactor: 1, hasTouch: true, bypassCSP });
  const pg = await ctx.newPage();
  pg.setDefaultTimeout(10000);
  pg.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  pg.on('pageerror', (e) => problems.push(e.message));
  await pg.goto(`${srv.base}/#/login`);
  await pg.locator('input[name=login]').fill(login);
  await pg.locator('input[name=password]').fill(PW);
  await pg.getByRole('button', { name: '登录', exact: true }).click();
  await pg.locator('#site-nav').waitFor({ state: 'visible' });
  return pg;
}

async function assertFits(pg) {
  const { sw, w } = await pg.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `page is ${sw} px wide on a ${w} px screen`);
}

/** The address on the axe page too, then axe-core's WCAG 2 A and AA rules: no violation. */
async function assertAccessible(hash, ready) {
  await axePage.goto(`${srv.base}/${hash}`);
  await axePage.locator(ready).first().waitFor();
  if (!(await axePage.evaluate(() => typeof window.axe !== 'undefined'))) {
    await axePage.addScriptTag({ content: readFileSync(AXE, 'utf8') });
  }
  const res = await axePage.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
  const found = res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${hash}: ${found.join('; ')}`);
}

before(async () => {
  if (missing) throw new Error(`the browser tests cannot run: ${missing}`);
  mkdirSync(ART, { recursive: true });
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const node = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  const diao = await node({ level: 'subdistrict', name: '刁镇街道', code: 'DZ' });
  const park = await node({ level: 'community', name: '化工产业园', parent_id: diao, code: 'DZ-P' });
  const user = async (login, role, display_name) => {
    const u = await ok(srv.post('/api/v1/users', { login, role, display_name, scope_node_id: diao, password: 'Init-Pass-2026' }), 201);
    await srv.loginAs(login, 'Init-Pass-2026', PW);
    return u.id;
  };
  const lead = await user('lead', 'project_lead', '王副主任');
  const member = await user('member', 'project_member', '李专员');
  P.project = await ok(srv.post('/api/v1/projects', {
    code: 'DZ-2026-07', name: '济南东城综合智慧热源', node_id: park, owner_name: '东城热力', category: '能源', industry: '热力供应',
    stage: 'building', build_kind: 'continued', stage_on: '2026-03-01', investment_total: '120000', plan_year: Number(day(0).slice(0, 4)),
    investment_plan: '40000', lead_user_id: lead, work_plan: '年底前主体完工，2027 年供暖季投用。',
  }), 201);
  const id = P.project.id;
  await ok(srv.post(`/api/v1/projects/${id}/members`, { user_id: member, duty: '手续办理与现场协调' }), 201);
  P.red = await ok(srv.post(`/api/v1/projects/${id}/tasks`, {
    content: '完成管网施工许可', owner_user_id: member, assigned_on: day(-6), due_on: day(-1),
  }), 201);
  await ok(srv.post(`/api/v1/projects/${id}/tasks`, { content: '锅炉设备进场', owner_user_id: member, due_on: day(30) }), 201);
  await ok(srv.post(`/api/v1/projects/${id}/problems`, {
    kind: 'logistics', description: '大件设备运输需夜间通行', source: 'meeting', unit: '交警中队', owner_user_id: member,
    due_on: day(7),
  }), 201);
  await ok(srv.post(`/api/v1/projects/${id}/duties`, { user_id: lead, duty: '协调要素保障，周六调度会现场办公' }), 201);
  await ok(srv.post(`/api/v1/projects/${id}/investment`, { month: `${day(0).slice(0, 4)}-01`, amount: '15000' }), 201);
  P.meeting = await ok(srv.post('/api/v1/project-meetings', {
    held_on: day(0), place: '热源项目现场', attendees: '街道领导、项目办、帮包领导', project_ids: [id],
  }), 201);
  // The sweeper (every second) cards the overdue task red.
  for (let i = 0; i < 100; i++) {
    const t = (await ok(srv.get(`/api/v1/projects/${id}/tasks`))).items.find((x) => x.id === P.red.id);
    if (t.card === 'red') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await openPhone(false);
  axePage = await openPhone(true);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('我的任务: the member\'s red project task waits there, on a 360 px phone', async () => {
  await page.goto(`${srv.base}/#/tasks`);
  const item = page.locator('#list-others li', { hasText: '完成管网施工许可' });
  await item.waitFor();
  assert.match(await item.innerText(), /项目任务/);
  assert.match(await item.innerText(), /红牌/);
  await assertFits(page);
  await page.screenshot({ path: join(ART, 'projects-tasks-phone.png'), fullPage: true });
  await assertAccessible('#/tasks', '#list-others li');
});

test('重点项目: the list, then the project with its facts and three ledgers, cards shown', async () => {
  await page.goto(`${srv.base}/#/projects`);
  const link = page.getByRole('link', { name: '济南东城综合智慧热源' });
  await link.waitFor();
  assert.match(await page.locator('#project-list').innerText(), /12 亿元/);
  const figures = await page.locator('#project-figures').innerText();
  assert.match(figures, /在建/);
  assert.match(figures, /今年计划投资 4 亿元，已完成 1.5 亿元/);
  await assertFits(page);
  await assertAccessible('#/projects', '#project-list a');
  await link.click();
  await page.locator('#project-tasks').waitFor();
  const facts = await page.locator('#project-facts').innerText();
  assert.match(facts, /在建（续建）/);
  assert.match(facts, /120000 万元（12 亿元）/);
  assert.match(facts, /已完成投资\s*15000 万元（1.5 亿元）/);
  assert.match(facts, /王副主任/);
  const tasks = await page.locator('#project-tasks').innerText();
  assert.match(tasks, /完成管网施工许可/);
  assert.match(tasks, /红牌/);
  assert.match(tasks, /李专员/);
  assert.match(await page.locator('#project-problems').innerText(), /物流运输/);
  assert.match(await page.locator('#project-duties').innerText(), /王副主任 — 协调要素保障/);
  assert.match(await page.locator('#project-team').innerText(), /李专员/);
  await assertFits(page);
  await page.screenshot({ path: join(ART, 'project-phone.png'), fullPage: true });
  await assertAccessible(`#/projects/${P.project.id}`, '#project-tasks');
});

test('调度会 on the phone: the open problems of the site for review, a problem raised on the spot', async () => {
  await page.goto(`${srv.base}/#/meetings`);
  const link = page.locator('#meeting-list a').first();
  await link.waitFor();
  await assertFits(page);
  await assertAccessible('#/meetings', '#meeting-list a');
  await link.click();
  const site = page.locator(`#site-${P.project.id}`);
  await site.waitFor();
  assert.match(await site.innerText(), /大件设备运输需夜间通行/, 'the open problem is listed for review');
  assert.match(await site.innerText(), /本次提出的问题（0）/);
  await page.locator('#meeting-raise select[name=kind]').selectOption('labour');
  await page.locator('#meeting-raise textarea[name=description]').fill('夜间施工缺少电工');
  await page.locator('#meeting-raise input[name=unit]').fill('人社所');
  await page.getByRole('button', { name: '提出问题' }).click();
  await page.locator(`#site-${P.project.id}`, { hasText: '夜间施工缺少电工' }).waitFor();
  assert.match(await page.locator(`#site-${P.project.id}`).innerText(), /本次提出的问题（1）/);
  assert.match(await page.locator('#meeting-facts').innerText(), /本次提出 1 个，已销号 0 个；待审议的未销号问题 1 个/);
  await assertFits(page);
  await page.screenshot({ path: join(ART, 'meeting-phone.png'), fullPage: true });
  await assertAccessible(`#/meetings/${P.meeting.id}`, `#site-${P.project.id}`);
  // In the project's ledger, linked to the meeting.
  const ledger = await ok(srv.get(`/api/v1/projects/${P.project.id}/problems`));
  const raised = ledger.items.find((x) => x.description === '夜间施工缺少电工');
  assert.equal(raised.meeting_id, P.meeting.id);
  assert.equal(raised.raised_where, '热源项目现场');
});

test('the lead official assigns the problem raised on site, then closes it (销号) with evidence, on the phone', async () => {
  const lead = await openPhone(false, 'lead');
  await lead.goto(`${srv.base}/#/projects/${P.project.id}`);
  const row = lead.locator('#project-problems tr', { hasText: '夜间施工缺少电工' });
  await row.waitFor();
  await row.locator('summary', { hasText: '指派' }).click();
  await row.locator('select[name=owner_user_id]').selectOption({ label: '李专员' });
  await row.locator('input[name=due_on]').fill(day(5));
  await row.getByRole('button', { name: '指派' }).click();
  await lead.locator('#project-problems tr', { hasText: '夜间施工缺少电工' }).filter({ hasText: '李专员' }).waitFor();
  // Now it waits in the member's inbox.
  const inbox = await ok(srv.get('/api/v1/projects/' + P.project.id + '/problems'));
  assert.equal(inbox.items.find((x) => x.description === '夜间施工缺少电工').owner_user_id !== null, true);
  const again = lead.locator('#project-problems tr', { hasText: '夜间施工缺少电工' });
  await again.locator('summary', { hasText: '销号' }).click();
  await again.locator('textarea[name=evidence]').fill('已从人社所调配电工两名');
  await again.getByRole('button', { name: '销号' }).click();
  await lead.locator('#project-problems tr', { hasText: '夜间施工缺少电工' }).filter({ hasText: '已销号' }).waitFor();
  await assertFits(lead);
  await lead.screenshot({ path: join(ART, 'project-lead-phone.png'), fullPage: true });
  const closed = (await ok(srv.get(`/api/v1/projects/${P.project.id}/problems`))).items.find((x) => x.description === '夜间施工缺少电工');
  assert.equal(closed.status, 'closed');
  assert.equal(closed.evidence, '已从人社所调配电工两名');
  await lead.context().close();
});

test('no CSP refusal and no script error on any page', () => {
  assert.deepEqual(problems, []);
});
