// enterprises.test.mjs - 企业服务 in real headless Chromium on a 360 px phone: the register's list and an
// enterprise's page (facts, cadres, a contact's phone masked and then revealed through the audited route,
// a red problem, the monthly indicators with 环比), the month's economy (and its print view), a problem
// recorded through the page's form, and a
// credit code refused by the server shown under its field.  Every page is checked with axe-core's WCAG 2
// A/AA rules, fails on any CSP refusal or script error and on a page wider than the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, ADMIN_PASSWORD } from '../api/harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ART = join(ROOT, 'build/e2e-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const PHONE = { width: 360, height: 740 };

let chromium = null;
try {
  ({ chromium } = await import('playwright-core'));
} catch { /* reported below */ }
const missing = !chromium ? 'playwright-core is not installed (npm install)'
  : !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM} (apt-get install chromium)`
    : !existsSync(AXE) ? 'axe-core is not installed (npm install axe-core)' : null;

let srv;
let browser;
let page;
const T = {};
const problems = [];

const localDate = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

async function assertAccessible(where) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ content: readFileSync(AXE, 'utf8') });
  const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
  const found = res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${where}: ${found.join('; ')}`);
}

async function assertFits() {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `page is ${sw} px wide on a ${w} px screen`);
}

async function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  return res.body;
}

before(async () => {
  if (missing) throw new Error(`the browser tests cannot run: ${missing}`);
  mkdirSync(ART, { recursive: true });
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const node = async (level, name, parent_id) => (await ok(await srv.post('/api/v1/nodes', { level, name, parent_id }), 201, name)).id;
  T.sub = await node('subdistrict', '刁镇街道');
  T.com = await node('community', '工业园社区', T.sub);
  const officer = await ok(await srv.post('/api/v1/users', { login: 'officer-wang', display_name: '王专员', role: 'subdistrict_staff',
    password: 'Init-Pass-2026', scope_node_id: T.sub }), 201, 'officer');
  const e = await ok(await srv.post('/api/v1/enterprises', {
    credit_code: '91350100M000100Y43', name: '济南圣泉集团股份有限公司', legal_rep: '唐一林', industry_code: 'C2651',
    industry_name: '初级形态塑料及合成树脂制造', size: 'large', node_id: T.com, above_scale: true, above_scale_since: '2015-01',
  }), 201, 'enterprise');
  T.e = e.id;
  await ok(await srv.post(`/api/v1/enterprises/${e.id}/contacts`, { name: '张经理', title: '财务总监', phone: '13812345678' }), 201, 'contact');
  await ok(await srv.post(`/api/v1/enterprises/${e.id}/cadres`, { role: 'officer', user_id: officer.id }), 201, 'officer');
  await ok(await srv.post(`/api/v1/enterprises/${e.id}/problems`, {
    category: 'financing', description: '流动资金贷款续贷困难', unit_node_id: T.com, raised_on: localDate(-10), days: 2,
    day_rule: 'calendar',
  }), 201, 'problem');
  await ok(await srv.post(`/api/v1/enterprises/${e.id}/honours`, { kind: 'little_giant', level: 'national', year: 2024,
    expires_on: '2027-12-31' }), 201, 'honour');
  for (const [month, output, investment] of [['2025-10', '184100', '33300'], ['2025-11', '202700', '36200']]) {
    await ok(await srv.post(`/api/v1/enterprises/${e.id}/indicators`, { month, output, investment }), 201, month);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  // bypassCSP: axe-core is injected as an inline script (the CSP itself is checked by workflow.test.mjs).
  const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', deviceScaleFactor: 1, hasTouch: true, bypassCSP: true });
  page = await ctx.newPage();
  page.setDefaultTimeout(10000);
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(`${srv.base}/#/login`);
  await page.locator('input[name=login]').fill('admin');
  await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#site-nav').waitFor({ state: 'visible' });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the register lists the enterprise on a phone, with its code, scale and status', async () => {
  await page.goto(`${srv.base}/#/enterprises`);
  const link = page.getByRole('link', { name: '济南圣泉集团股份有限公司' });
  await link.waitFor({ state: 'visible' });
  assert.match(await page.locator('#results').innerText(), /91350100M000100Y43/);
  assert.match(await page.locator('#results').innerText(), /规上（2015-01 起）/);
  assert.match(await page.locator('#results').innerText(), /在营/);
  await assertFits();
  await assertAccessible('the register');
  await page.screenshot({ path: join(ART, 'enterprises-phone.png'), fullPage: true });
});

test('an invalid credit code is refused under its field', async () => {
  await page.getByText('登记新企业').click();
  await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44');	// the check character is wrong
  await page.getByLabel('企业名称').fill('测试企业');
  await page.getByLabel('所在位置').fill('工业园');
  await page.getByRole('button', { name: /工业园社区/ }).click();
  await page.getByRole('button', { name: '登记企业' }).click();
  const err = page.locator('.field--invalid .field__error');
  await err.waitFor({ state: 'visible' });
  assert.match(await err.innerText(), /统一社会信用代码不对/);
  await assertFits();
  await assertAccessible('the refused form');
});

test('an enterprise\'s page: facts, the officer, a red problem, indicators, and the phone revealed', async () => {
  // The server's sweeper gives the overdue problem its red card.
  for (let i = 0; i < 50; i++) {
    const p = (await srv.get(`/api/v1/enterprise-problems?enterprise_id=${T.e}`)).body.items[0];
    if (p.card === 'red') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.goto(`${srv.base}/#/enterprises/${T.e}`);
  await page.getByRole('heading', { name: '济南圣泉集团股份有限公司', level: 1 }).waitFor();
  const main = page.locator('#main');
  await page.locator('.problem-list__item').waitFor();
  assert.match(await main.innerText(), /王专员（.+起）/);
  assert.match(await main.innerText(), /国家级专精特新“小巨人”企业（2024 年）/);
  assert.match(await page.locator('.problem-list').innerText(), /红牌/);
  await page.getByRole('table', { name: /工业产值/ }).waitFor();
  assert.match(await page.locator('#indicators').innerText(), /202700[\s\S]*\+10\.1%/);
  assert.match(await main.innerText(), /138\*\*\*\*5678/);
  assert.ok(!(await main.innerText()).includes('13812345678'));
  await assertFits();
  await assertAccessible('the enterprise page');
  await page.screenshot({ path: join(ART, 'enterprise-phone.png'), fullPage: true });

  await page.getByRole('button', { name: '查看完整电话' }).click();
  await page.getByRole('link', { name: '13812345678' }).waitFor();	// audited: tests/api/enterprises.test.mjs

  // An honour recorded on the page.
  await page.getByText('登记荣誉资质', { exact: true }).first().click();
  await page.getByLabel('荣誉类别').selectOption('gazelle');
  await page.getByLabel('认定级别').selectOption('city');
  await page.getByLabel('认定年份').fill('2025');
  await page.locator('#honours form').getByRole('button', { name: '登记荣誉资质' }).click();
  await page.locator('#honours li', { hasText: '市级瞪羚企业（2025 年）' }).waitFor();
  await assertAccessible('after recording an honour');
});

test('the month\'s economy: output and investment with 环比, printable', async () => {
  await page.goto(`${srv.base}/#/economy?month=2025-11&node=${T.sub}`);
  const totals = page.locator('#totals');
  await totals.waitFor();
  const text = await totals.innerText();
  assert.match(text, /工业产值[\s\S]*202700[\s\S]*184100[\s\S]*\+10\.1%/);
  assert.match(text, /固定资产投资[\s\S]*36200[\s\S]*\+8\.7%/);
  assert.match(await page.locator('#split').innerText(), /济南圣泉集团股份有限公司/);
  await assertFits();
  await assertAccessible('the month\'s economy');
  await page.screenshot({ path: join(ART, 'economy-phone.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false, 'controls do not print');
  assert.equal(await totals.isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${srv.base}/#/enterprises/${T.e}`);
  await page.getByRole('heading', { name: '济南圣泉集团股份有限公司', level: 1 }).waitFor();
});

test('an officer files a visit on the phone', async () => {
  const officer = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', deviceScaleFactor: 1, hasTouch: true, bypassCSP: true });
  const p = await officer.newPage();
  p.setDefaultTimeout(10000);
  p.on('pageerror', (err) => problems.push(err.message));
  await p.goto(`${srv.base}/#/login`);
  await p.locator('input[name=login]').fill('officer-wang');
  await p.locator('input[name=password]').fill('Init-Pass-2026');
  await p.getByRole('button', { name: '登录', exact: true }).click();
  // The first login asks for a new password.
  await p.locator('input[name=old_password]').waitFor();
  await p.locator('input[name=old_password]').fill('Init-Pass-2026');
  for (const input of await p.locator('input[type=password]:not([name=old_password])').all()) await input.fill('Officer-Pass-2026!');
  await p.getByRole('button', { name: /修改密码|保存/ }).click();
  await p.locator('#site-nav').waitFor({ state: 'visible' });
  await p.goto(`${srv.base}/#/enterprises/${T.e}`);
  await p.getByText('登记走访', { exact: true }).first().click();
  await p.getByLabel('走访事由').fill('送政策上门：研发费用加计扣除');
  await p.getByLabel('送达的政策').fill('《惠企政策汇编》');
  await p.locator('#visits form').getByRole('button', { name: '登记走访' }).click();
  const item = p.locator('#visits .problem-list__item', { hasText: '研发费用加计扣除' });
  await item.waitFor();
  assert.match(await item.innerText(), /officer-wang/);
  const { sw, w } = await p.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `page is ${sw} px wide on a ${w} px screen`);
  await p.screenshot({ path: join(ART, 'enterprise-visit-phone.png'), fullPage: true });
  const visits = (await srv.get(`/api/v1/enterprise-visits?enterprise_id=${T.e}`)).body;
  assert.equal(visits.total, 1);
  assert.equal(visits.items[0].login, 'officer-wang');
  await officer.close();
});

test('a problem recorded on the phone is listed with its deadline; the red one is closed', async () => {
  await page.getByText('登记问题', { exact: true }).first().click();
  await page.getByLabel('问题类别').selectOption('labour');
  await page.getByLabel('问题描述').fill('旺季招工难，需要对接人社部门');
  await page.getByLabel('责任单位').fill('工业园');
  await page.getByRole('button', { name: /工业园社区/ }).click();
  await page.getByLabel('办理时限（工作日）').fill('5');
  await page.locator('#problems form').getByRole('button', { name: '登记问题' }).click();
  await page.locator('.problem-list__item', { hasText: '旺季招工难' }).waitFor();
  const item = await page.locator('.problem-list__item', { hasText: '旺季招工难' }).innerText();
  assert.match(item, /用工/);
  assert.match(item, /办理中/);
  assert.match(item, /期限 \d{4}/);
  await assertFits();
  await assertAccessible('after recording a problem');
  // Settled: closed with its evidence and the enterprise's satisfaction; the card goes with it.
  const open = page.locator('.problem-list__item', { hasText: '流动资金贷款续贷困难' });
  await open.getByText('办结这个融资问题').click();
  await open.getByLabel('办结情况（佐证）').fill('续贷 2000 万元已放款');
  await open.getByLabel('企业评价').selectOption('satisfied');
  await open.getByRole('button', { name: '办结', exact: true }).click();
  const closed = page.locator('.problem-list__item', { hasText: '续贷 2000 万元已放款' });
  await closed.waitFor();
  assert.match(await closed.innerText(), /已办结[\s\S]*企业满意/);
  assert.doesNotMatch(await closed.innerText(), /红牌/);
  await assertAccessible('after closing a problem');
  assert.deepEqual(problems, []);
});
