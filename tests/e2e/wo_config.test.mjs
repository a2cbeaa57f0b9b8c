// wo_config.test.mjs - 工单配置 and 导入任务 on a 360 px phone, in real headless Chromium: a hotline file with a
// category this system lacks is imported, the page lists the path with its orders, the administrator maps
// it and the orders are re-filed; a category is added and a time limit set; a hotline file is sent from the
// import page and its job's progress bar runs to 已完成.  Checked with axe-core's
// WCAG 2 A/AA rules at each step, with no CSP refusal or script error and no page wider than the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD } from '../api/harness.mjs';
import { phone, ART } from './browser.mjs';

let srv;
let browser;
let page;
let problems;
let assertAccessible;
let assertFits;

before(async () => {
  srv = await startServer();
  const node = async (level, name, parent_id, extra = {}) => {
    const r = await srv.post('/api/v1/nodes', { level, name, parent_id, ...extra });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const sub = await node('subdistrict', '明水街道');
  const com = await node('community', '龙泉社区', sub);
  await node('courtyard', '君临天下小区', com, { kind: 'residential' });
  const file = '\ufeff工单编号,受理时间,诉求类型,诉求分类,诉求地址,所属社区,诉求内容\r\n'
    + 'JN-E-1,2022-11-03 09:00:00,投诉,公用设施>路灯,君临天下小区,龙泉社区,路灯不亮\r\n'
    + 'JN-E-2,2022-11-03 10:00:00,投诉,公用设施>路灯,君临天下小区,龙泉社区,路灯还是不亮\r\n';
  const r = await srv.req('POST', '/api/v1/import/hotline', file, { 'Content-Type': 'text/csv; charset=utf-8' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.unmapped_orders, 2);
  ({ browser, page, problems, assertAccessible, assertFits } = await phone());
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

test('工单配置 on a phone: an unmapped hotline category is mapped and its orders re-filed', async () => {
  await page.goto(`${srv.base}/#/wo-config`);
  await page.getByRole('heading', { name: '待映射的热线分类' }).waitFor();
  const row = page.locator('#unmapped tr', { hasText: '公用设施>路灯' });
  await row.waitFor();
  assert.match(await row.textContent(), /2/);
  await assertAccessible('the settings page');
  await assertFits();
  await page.screenshot({ path: join(ART, 'wo-config-phone.png'), fullPage: true });
  await row.getByLabel('“公用设施>路灯”映射到').selectOption({ label: '公用设施 > 供电照明' });
  await row.getByRole('button', { name: '映射并重新归类' }).click();
  await page.locator('#unmapped tr', { hasText: '公用设施>路灯' }).waitFor({ state: 'detached' });
  await page.getByText('公用设施>路灯').first().waitFor();	// now among the mappings
  const map = await srv.get('/api/v1/wo-category-map');
  assert.deepEqual(map.body.unmapped, []);
  assert.deepEqual(map.body.items.map((m) => [m.path, m.category_id, m.orders]), [['公用设施>路灯', 14, 2]]);
  await assertAccessible('after mapping');
  assert.deepEqual(problems, []);
});

test('工单配置 on a phone: a category added and a time limit set', async () => {
  await page.getByText('添加分类', { exact: true }).first().click();
  const add = page.locator('#categories details', { has: page.locator('summary', { hasText: /^添加分类$/ }) }).locator('form');
  await add.getByLabel('编码').fill('traffic');
  await add.getByLabel('名称').fill('交通出行');
  await add.getByRole('button', { name: '添加分类' }).click();
  await page.locator('#categories tr', { hasText: '交通出行' }).waitFor();
  await page.getByText('设定时限', { exact: true }).first().click();
  const lim = page.locator('#limits details', { has: page.locator('summary', { hasText: /^设定时限$/ }) }).locator('form');
  await lim.getByLabel('诉求类型').selectOption('complaint');
  await lim.getByLabel('办结时限').fill('15');
  await lim.getByRole('button', { name: '设定时限' }).click();
  await page.locator('#limits tr', { hasText: '投诉' }).waitFor();
  const limits = await srv.get('/api/v1/wo-time-limits');
  assert.ok(limits.body.items.some((l) => l.type === 'complaint' && l.reply_days === 15));
  await assertAccessible('after the changes');
  await assertFits();
  assert.deepEqual(problems, []);
});

test('导入任务 on a phone: a hotline file sent as a job, its progress shown to the end', async () => {
  await page.goto(`${srv.base}/#/import-jobs`);
  await page.getByRole('heading', { name: '导入热线工单' }).waitFor();
  const file = '\ufeff工单编号,受理时间,诉求类型,诉求分类,诉求地址,所属社区,诉求内容\r\n'
    + 'JN-E-3,2022-11-04 09:00:00,求助,交通出行>停车,君临天下小区,龙泉社区,没有车位\r\n';
  await page.getByLabel('CSV 文件').setInputFiles({ name: 'hotline.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await page.getByRole('button', { name: '开始导入' }).click();
  const job = page.locator('.job-list__item').first();
  await job.getByText('已完成').waitFor({ timeout: 20000 });
  assert.match(await job.textContent(), /新建 1/);
  assert.equal(await job.locator('progress').getAttribute('value'), '100');
  await assertAccessible('the import page');
  await assertFits();
  await page.screenshot({ path: join(ART, 'import-jobs-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('工单 on a phone: the export links carry the filters, and the workbook downloads', async () => {
  await page.goto(`${srv.base}/#/orders?source=hotline`);
  const link = page.getByRole('link', { name: 'Excel 报表' });
  await link.waitFor();
  const hrefXlsx = await link.getAttribute('href');
  assert.match(hrefXlsx, /^\/api\/v1\/export\/work-orders\.xlsx\?source=hotline$/);
  const res = await page.request.get(`${srv.base}${hrefXlsx}`);
  assert.equal(res.status(), 200);
  assert.equal((await res.body()).subarray(0, 2).toString(), 'PK', 'a zip: the workbook');
  await assertAccessible('the orders page with its export links');
  await assertFits();
  assert.deepEqual(problems, []);
});
