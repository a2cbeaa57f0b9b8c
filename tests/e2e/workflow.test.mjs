// workflow.test.mjs - the web UI in real headless Chromium (Debian's chromium driven by
// playwright-core): a grid member files a report with a photo from a 360x740 phone; the
// courtyard secretary signs for it and replies; community staff accept, dispatch, review
// and call back; the dashboard counts it; a secretary of another courtyard cannot open it.
// The server runs the demo tree (no year of orders: the order filed here is the only one),
// so every figure checked below comes from what this test did.  Screenshots at phone and
// desktop sizes go to build/e2e-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { startServer, ADMIN_PASSWORD } from '../api/harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ART = join(ROOT, 'build/e2e-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const PW = ADMIN_PASSWORD;

let chromium = null;
try {
  ({ chromium } = await import('playwright-core'));
} catch { /* reported by the skip below */ }
const missing = !chromium ? 'playwright-core is not installed (make deps)'
  : !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM} (apt-get install chromium)` : null;

let srv;
let browser;
let uploadDir;
const T = {};		// ids and names found in the demo tree
const O = {};		// the order filed by the test
const problems = [];	// CSP violations and uncaught errors, from every page

/* A small PNG drawn here (a red square): checked by the server's upload rules. */
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size = 64) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([200, 40, 30]))]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function api(path) {
  const r = await srv.get(path);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.text}`);
  return r.body;
}

/** A page for login at a screen size, logged in through the UI. */
async function openAs(login, password, viewport, { expectPasswordChange = false } = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', deviceScaleFactor: 1, hasTouch: viewport === PHONE });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10000);
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`${login}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${login}: ${e.message}`));
  await page.goto(`${srv.base}/#/login`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  if (expectPasswordChange) {
    await page.waitForURL(/#\/password/);
    await page.locator('input[name=old_password]').fill(password);
    await page.locator('input[name=password]').fill(PW);
    await page.locator('input[name=password2]').fill(PW);
    await page.locator('form button[type=submit]').click();
  }
  await page.locator('#site-nav').waitFor({ state: 'visible' });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
}

/** Nothing wider than the screen: no sideways scrolling on a phone. */
async function assertFits(page) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `page is ${sw} px wide on a ${w} px screen`);
}

/** Resets an account's password (as admin) and changes it: the account then logs in with PW. */
async function ready(login) {
  const users = await api('/api/v1/users?limit=200');
  const u = users.items.find((x) => x.login === login);
  assert.ok(u, `no user ${login}`);
  const r = await srv.post(`/api/v1/users/${u.id}/reset-password`, {});
  assert.equal(r.status, 200, r.text);
  return r.body.password;
}

const state = (page) => page.locator('.page__badges .badge').first().innerText();

before(async () => {
  if (missing) throw new Error(`the browser tests cannot run: ${missing}`);
  mkdirSync(ART, { recursive: true });
  uploadDir = mkdtempSync(join(tmpdir(), 'yuanluo-e2e-uploads-'));
  srv = await startServer({ demo: true, demoArgs: ['--no-orders'], args: ['--upload-dir', uploadDir] });
  const find = async (name, level) => (await api(`/api/v1/nodes?q=${encodeURIComponent(name)}&level=${level}&limit=50`)).items.find((n) => n.name === name);
  T.junlin = await find('君临天下小区', 'courtyard');
  T.other = await find('明珠小区', 'courtyard');
  assert.ok(T.junlin && T.other, 'the demo courtyards');
  // A secretary of another courtyard of the same community: outside the order's scope.
  const r = await srv.post('/api/v1/users', { login: 'mingzhu', role: 'courtyard_secretary', password: 'Initial-Pass-2026!', scope_node_id: T.other.id });
  assert.equal(r.status, 201, r.text);
  await srv.loginAs('mingzhu', 'Initial-Pass-2026!', PW);
  for (const login of ['longquan', 'junlin']) await srv.loginAs(login, await ready(login), PW);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (uploadDir) rmSync(uploadDir, { recursive: true, force: true });
});

test('a grid member files a report with a photo from a phone, field errors shown next to the field', async () => {
  const page = await openAs('grid01', await ready('grid01'), PHONE, { expectPasswordChange: true });
  await page.getByRole('link', { name: '新建诉求' }).first().click();
  await page.getByRole('heading', { name: '网格员上报', level: 1 }).waitFor();
  // The camera: an image input that asks for the back camera.
  const photo = page.locator('input[type=file]');
  assert.equal(await photo.getAttribute('capture'), 'environment');
  assert.match(await photo.getAttribute('accept'), /image\//);
  await photo.setInputFiles({ name: 'louti.png', mimeType: 'image/png', buffer: png() });
  await page.locator('.photo-preview img').waitFor();

  // The place, level by level from the grid member's community.
  await page.getByLabel('院落', { exact: true }).selectOption({ label: '君临天下小区' });
  const building = page.getByLabel('楼栋', { exact: true });
  await building.waitFor();
  const first = await building.locator('option').nth(1).innerText();
  await building.selectOption({ index: 1 });
  await page.getByText(`已选：龙泉社区 / 君临天下小区 / ${first}`).waitFor();
  await page.getByLabel('诉求类型').selectOption({ label: '投诉' });
  await page.getByLabel('诉求分类').selectOption({ label: '城乡建设 › 物业管理' });

  // Nothing said: the required field says so in place, before anything is sent.
  await page.getByRole('button', { name: '提交上报' }).click();
  const textField = page.locator('.field', { has: page.getByLabel('诉求内容') });
  await textField.locator('.field__error').getByText('此项必填').waitFor();
  assert.equal(await page.getByLabel('诉求内容').getAttribute('aria-invalid'), 'true');

  // The server's 400 naming caller_phone lands under that field.
  await page.getByLabel('诉求内容').fill('楼道灯坏了一个星期，晚上老人上下楼看不见');
  await page.getByLabel('诉求人姓名').fill('张女士');
  await page.getByLabel('联系电话').fill('12345');
  await page.getByRole('button', { name: '提交上报' }).click();
  const phoneField = page.locator('.field', { has: page.getByLabel('联系电话') });
  await phoneField.locator('.field__error').waitFor({ state: 'visible' });
  assert.match(await phoneField.locator('.field__error').innerText(), /电话号码格式不对/);
  await assertFits(page);
  await shot(page, 'phone-new-report-error');

  await page.getByLabel('联系电话').fill('13812345678');
  await page.getByRole('button', { name: '提交上报' }).click();
  await page.waitForURL(/#\/orders\/\d+\?filed=1/);
  O.id = Number(/#\/orders\/(\d+)/.exec(page.url())[1]);
  const h1 = await page.locator('h1', { hasText: /YL\d{13}/ }).innerText();
  O.number = /YL\d{13}/.exec(h1)[0];
  assert.equal(await state(page), '待受理');
  // The photo went up and shows on the order; the phone is masked.
  await page.locator('.photo-grid img').waitFor();
  assert.ok(await page.locator('.photo-grid img').evaluate((img) => img.complete && img.naturalWidth === 64), 'the photo loads');
  await page.getByText('138****5678').waitFor();
  await assertFits(page);
  await shot(page, 'phone-report-filed');
  await page.context().close();

  const o = await api(`/api/v1/work-orders/${O.id}`);
  assert.equal(o.source, 'grid');
  assert.equal(o.photo_ids.length, 1);
  assert.equal(o.category_path, '城乡建设 > 物业管理');
  assert.match(o.node_path, /君临天下小区/);
});

test('community staff accept it from their tasks and dispatch it to the courtyard', async () => {
  assert.ok(O.id, 'filed by the previous test');
  const page = await openAs('longquan', PW, DESKTOP);
  await page.getByRole('heading', { name: '我的任务', level: 1 }).waitFor();
  const row = page.locator('#list-to_accept tr', { hasText: O.number });
  await row.getByRole('button', { name: '受理' }).click();
  await page.locator('#list-to_dispatch tr', { hasText: O.number }).waitFor();
  await page.locator('#list-to_dispatch tr', { hasText: O.number }).getByRole('link', { name: '派单' }).click();
  await page.waitForURL(new RegExp(`#/orders/${O.id}\\?action=dispatch`));
  const to = page.getByLabel('派往');
  await to.waitFor();
  assert.equal(await to.inputValue(), String(T.junlin.id), 'the suggested handler is the courtyard');
  await page.getByLabel('派单意见').fill('请院落核实处理');
  await page.getByRole('button', { name: '确认派单' }).click();
  await page.waitForFunction(() => document.querySelector('.page__badges .badge')?.textContent === '待签收');
  await shot(page, 'desktop-order-dispatched');
  await page.context().close();
});

test('the courtyard secretary signs for it and replies, on a phone', async () => {
  const page = await openAs('junlin', PW, PHONE);
  await page.getByRole('heading', { name: '我的任务', level: 1 }).waitFor();
  const row = page.locator('#list-to_sign tr', { hasText: O.number });
  await row.getByRole('button', { name: '签收' }).click();
  const doing = page.locator('#list-in_progress tr', { hasText: O.number });
  await doing.waitFor();
  await assertFits(page);
  await shot(page, 'phone-secretary-tasks');
  await doing.getByRole('link', { name: '办结答复' }).click();
  await page.getByLabel('办理结果').fill('已更换楼道灯，居民已确认');
  await page.getByRole('button', { name: '确认办结答复' }).click();
  await page.waitForFunction(() => document.querySelector('.page__badges .badge')?.textContent === '已办结待审核');
  // No actions remain for the courtyard; the timeline tells the story so far.
  assert.equal(await page.locator('.action-buttons').count(), 0);
  const steps = await page.locator('.timeline__what').allInnerTexts();
  assert.deepEqual(steps, ['提交诉求', '受理', '派单', '签收', '办结答复']);
  await assertFits(page);
  await shot(page, 'phone-secretary-replied');
  await page.context().close();
});

test('staff review the reply, record the callback, and may reveal the caller (audited)', async () => {
  const page = await openAs('longquan', PW, DESKTOP);
  await page.goto(`${srv.base}/#/orders/${O.id}`);
  await page.getByRole('button', { name: '审核通过' }).click();
  await page.getByRole('button', { name: '确认审核通过' }).click();
  await page.waitForFunction(() => document.querySelector('.page__badges .badge')?.textContent === '待回访');
  await page.getByRole('button', { name: '回访' }).click();
  await page.getByLabel('诉求人是否满意').selectOption({ label: '满意' });
  await page.getByLabel('问题是否解决').selectOption({ label: '是' });
  await page.getByLabel('回访记录').fill('张女士表示满意');
  await page.getByRole('button', { name: '确认回访' }).click();
  await page.waitForFunction(() => document.querySelector('.page__badges .badge')?.textContent === '已办结');
  const steps = await page.locator('.timeline__what').allInnerTexts();
  assert.deepEqual(steps, ['提交诉求', '受理', '派单', '签收', '办结答复', '审核通过', '回访']);
  await page.getByRole('button', { name: '显示诉求人的完整姓名和电话' }).click();
  await page.getByText('13812345678').waitFor();
  await page.getByText('此次查看已记入审计日志').waitFor();
  await shot(page, 'desktop-order-closed');
  await page.context().close();
  const audit = await srv.get(`/api/v1/work-orders/${O.id}`);
  assert.equal(audit.body.state, 'closed');
  assert.equal(audit.body.satisfaction, 'satisfied');
});

test('the dashboard counts it, for the period and node chosen, at desktop and phone sizes', async () => {
  const page = await openAs('longquan', PW, DESKTOP);
  await page.getByRole('link', { name: '数据看板' }).click();
  const fig = (k) => page.locator(`[data-figure="${k}"] .figure__value`);
  await fig('received').waitFor();
  assert.equal(await fig('received').innerText(), '1');
  assert.equal(await fig('completed').innerText(), '1');
  assert.equal(await fig('satisfaction').innerText(), '100%');
  // The courtyard that settled it leads the ranking; the charts are drawn.
  const first = page.locator('.ranking tbody tr').first();
  await first.waitFor();
  assert.match(await first.innerText(), /君临天下小区\s+1\b/);
  await page.locator('#volume canvas').first().waitFor();
  await page.locator('#settled canvas').first().waitFor();
  await page.locator('#categories canvas').first().waitFor();
  await shot(page, 'desktop-dashboard');
  // Another period: nothing then.
  await page.getByLabel('开始日期').fill('2020-01-01');
  await page.getByLabel('结束日期').fill('2020-12-31');
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await page.waitForURL(/from=2020-01-01/);
  await page.waitForFunction(() => document.querySelector('[data-figure="received"] .figure__value')?.textContent === '0');
  await page.context().close();

  const phone = await openAs('longquan', PW, PHONE);
  await phone.goto(`${srv.base}/#/dashboard`);
  await phone.locator('[data-figure="received"] .figure__value').waitFor();
  await phone.locator('#volume canvas').first().waitFor();
  await assertFits(phone);
  await shot(phone, 'phone-dashboard');
  // Print: the filters and buttons leave the paper.
  await phone.emulateMedia({ media: 'print' });
  assert.equal(await phone.locator('form.filters').isVisible(), false);
  await phone.emulateMedia({ media: 'screen' });
  await phone.context().close();
});

test('staff enter a phone call: accepted and dispatched at once, the caller kept from the courtyard; search finds it', async () => {
  const page = await openAs('longquan', PW, DESKTOP);
  await page.goto(`${srv.base}/#/orders/new`);
  await page.getByRole('heading', { name: '来电来访登记', level: 1 }).waitFor();
  // A staff member files no grid reports: that form is the grid members'.
  assert.equal(await page.getByRole('link', { name: '网格员上报' }).count(), 0);
  await page.getByLabel('登记方式').selectOption({ label: '来电' });
  await page.getByLabel('诉求人姓名').fill('李先生');
  await page.getByLabel('联系电话').fill('13900005678');
  await page.getByLabel('为诉求人保密').check();
  await page.getByLabel('院落', { exact: true }).selectOption({ label: '君临天下小区' });
  await page.getByLabel('诉求类型').selectOption({ label: '求助' });
  await page.getByLabel('诉求分类').selectOption({ label: '公用设施 › 供电照明' });
  await page.getByLabel('诉求内容').fill('小区东门路灯不亮，夜里出行不便');
  await page.getByRole('button', { name: '登记并派单' }).click();
  await page.waitForURL(/#\/orders\/\d+\?filed=1/);
  await page.waitForFunction(() => document.querySelector('.page__badges .badge')?.textContent === '待签收');
  const number = /YL\d{13}/.exec(await page.locator('h1', { hasText: /YL\d{13}/ }).innerText())[0];
  const id = /#\/orders\/(\d+)/.exec(page.url())[1];
  assert.ok(await page.getByText('保密', { exact: true }).count() > 0, 'marked confidential');
  // Full-text search over the list (three characters or more: the trigram index).
  await page.getByRole('link', { name: '工单', exact: true }).click();
  await page.getByLabel('搜索', { exact: true }).fill('路灯不亮');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await page.waitForURL(/q=/);
  const rows = page.locator('.order-table tbody tr');
  await rows.first().waitFor();
  assert.deepEqual(await rows.locator('.order-link').allInnerTexts(), [number]);
  await shot(page, 'desktop-orders-search');
  await page.context().close();
  // The courtyard that handles it does not see who called.
  const sec = await openAs('junlin', PW, PHONE);
  await sec.goto(`${srv.base}/#/orders/${id}`);
  await sec.getByText('诉求人要求保密').waitFor();
  assert.equal(await sec.getByText('13900005678').count(), 0);
  assert.equal(await sec.getByText('139****5678').count(), 0);
  await sec.context().close();
});

test('the administrator adds a role to the dictionary; a wrong code is named next to its field', async () => {
  const page = await openAs('admin', PW, DESKTOP);
  await page.getByRole('link', { name: '角色管理' }).click();
  await page.getByText('添加角色', { exact: true }).first().click();
  const form = page.locator('details', { has: page.getByText('添加角色', { exact: true }) }).first();
  await form.getByLabel('代码').fill('Patrol');
  await form.locator('input[name=name]').fill('巡逻队员');
  await form.getByLabel('院落', { exact: true }).check();
  await form.getByRole('button', { name: '添加角色' }).click();
  await form.getByText('代码只能用小写英文字母').waitFor();
  await form.getByLabel('代码').fill('patrol_member');
  await form.getByRole('button', { name: '添加角色' }).click();
  await page.locator('#dictionary tr', { hasText: 'patrol_member' }).waitFor();
  assert.match(await page.locator('#dictionary tr', { hasText: 'patrol_member' }).innerText(), /巡逻队员[\s\S]*院落[\s\S]*使用中/);
  await page.context().close();
});

test('a secretary of another courtyard cannot open it; English and large text work', async () => {
  const page = await openAs('mingzhu', PW, PHONE);
  await page.goto(`${srv.base}/#/orders/${O.id}`);
  await page.getByText('没有找到这项内容').first().waitFor();
  assert.equal(await page.getByText(O.number).count(), 0);
  await page.goto(`${srv.base}/#/orders`);
  await page.locator('.state--empty, .order-table').first().waitFor();
  assert.equal(await page.getByText(O.number).count(), 0, 'not in their list either');
  await shot(page, 'phone-outsider');
  await page.getByRole('button', { name: '大字模式' }).click();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('large-text')));
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Work orders', level: 1 }).waitFor();
  await assertFits(page);
  await shot(page, 'phone-english-large');
  await page.context().close();
  assert.deepEqual(problems, [], 'no CSP refusals or script errors');
});
