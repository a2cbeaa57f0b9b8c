// suggest.test.mjs - the suggested category on 新建诉求, in real headless Chromium on a 360 px phone: on the
// demo year (its closed orders teach the model), staff pick a place and type the resident's words; the
// likeliest categories appear under the words with their confidence and who usually settles such requests
// there; nothing is chosen until a suggestion is tapped, which fills the category in.  axe-core's WCAG 2
// A/AA rules and the phone's width are checked with the suggestions shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD } from '../api/harness.mjs';
import { phone, logIn, ART } from './browser.mjs';

let srv;
let b;
let page;

before(async () => {
  srv = await startServer({ demo: true });
  // The demo's community staff account, its password reset and changed as its user would.
  const u = (await srv.get('/api/v1/users?limit=200')).body.items.find((x) => x.login === 'longquan');
  const reset = await srv.post(`/api/v1/users/${u.id}/reset-password`, {});
  assert.equal(reset.status, 200, reset.text);
  await srv.loginAs('longquan', reset.body.password, ADMIN_PASSWORD);
  b = await phone();
  page = b.page;
  await logIn(page, srv.base, 'longquan', ADMIN_PASSWORD);
});

after(async () => {
  if (b) await b.browser.close();
  if (srv) await srv.stop();
});

test('the words typed bring suggested categories; a tap fills the category in, nothing before', async () => {
  await page.goto(`${srv.base}/#/orders/new?kind=phone`);
  await page.getByRole('heading', { name: '来电来访登记', level: 1 }).waitFor();
  await page.getByLabel('院落', { exact: true }).selectOption({ label: '君临天下小区' });
  const category = page.getByLabel('诉求分类');
  const before_ = await category.inputValue();
  await page.getByLabel('诉求内容').fill('小区东门的路灯坏了好几天，晚上一片漆黑');
  const first = page.locator('.suggest__list button').first();
  await first.waitFor({ state: 'visible' });
  assert.match(await first.innerText(), /^公用设施>供电照明（\d+%）$/);
  assert.match(await page.locator('.suggest__handler').innerText(), /通常由.+办结（近期\d+件，占\d+%）/);
  // Shown, never applied.
  assert.equal(await category.inputValue(), before_);
  assert.equal(await first.getAttribute('aria-pressed'), 'false');
  await b.assertFits();
  await b.assertAccessible('new order with suggestions');
  await page.screenshot({ path: join(ART, 'suggest-phone.png'), fullPage: true });
  await first.click();
  assert.equal(await page.locator('#' + await category.getAttribute('id') + ' option:checked').innerText(), '公用设施 › 供电照明');
  await page.locator('.suggest__list button[aria-pressed="true"]').first().waitFor();
  // Other words, another suggestion: the box follows what is typed.
  await page.getByLabel('诉求内容').fill('楼上邻居装修太吵了，中午也不停，老人没法休息');
  await page.locator('.suggest__list button', { hasText: '噪音扰民' }).first().waitFor();
  assert.deepEqual(b.problems, []);
});

test('an open order shows the orders that look like it, so one matter is not dispatched twice', async () => {
  const yard = (await srv.get(`/api/v1/nodes?q=${encodeURIComponent('君临天下小区')}&level=courtyard`)).body.items[0];
  const file = async (words, phone) => {
    const r = await srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category: '城乡建设>物业管理',
      node_id: yard.id, text: words, caller_name: '测试', caller_phone: phone });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const first = await file('来电人反映：君临天下小区2号楼东侧的化粪池井盖翘起来了，晚上容易绊倒人。', '13911112222');
  const second = await file('居民称，2号楼东侧化粪池井盖翘起来了，晚上容易绊倒人，请尽快处理。', '13933334444');
  await page.goto(`${srv.base}/#/orders/${second.id}`);
  const list = page.locator('.dup-list');
  await list.waitFor({ state: 'visible' });
  assert.match(await list.innerText(), new RegExp(`${first.number}[\\s\\S]*同一院落[\\s\\S]*说法相近`));
  assert.equal(await page.getByText('13911112222').count(), 0);
  await b.assertFits();
  await b.assertAccessible('an order with possible duplicates');
  await list.getByRole('link', { name: first.number }).click();
  await page.waitForURL(new RegExp(`#/orders/${first.id}$`));
  assert.deepEqual(b.problems, []);
});

test('态势图: a treemap of the open work under the community, with the same figures in a table', async () => {
  await page.goto(`${srv.base}/#/pressure`);
  await page.getByRole('heading', { name: '态势图', level: 1 }).waitFor();
  await page.locator('.chart--treemap canvas').first().waitFor();
  const rows = page.locator('#pressure-table tbody tr');
  await rows.first().waitFor();
  const api = (await srv.get('/api/v1/insight/pressure?node=' + (await srv.get(`/api/v1/nodes?q=${encodeURIComponent('龙泉社区')}&level=community`)).body.items[0].id)).body.tree;
  assert.equal(await rows.count(), (api.children.length || 1) + (api.children.length && api.own_open ? 1 : 0));
  // The rows add up to the total.
  const sum = (await rows.locator('td:nth-of-type(1)').allInnerTexts()).reduce((a, x) => a + Number(x.replace(/,/g, '')), 0);
  assert.equal(sum, api.open);
  assert.match(await page.locator('#pressure-table tfoot').innerText(), new RegExp(`龙泉社区 合计\\s+${api.open}\\s+${api.overdue}`));
  await b.assertFits();
  await b.assertAccessible('the pressure map');
  await page.screenshot({ path: join(ART, 'pressure-phone.png'), fullPage: true });
  await page.getByLabel('看哪类事项').selectOption({ label: '议事会决议' });
  await page.waitForURL(/kind=council_resolution/);
  await page.locator('#pressure-table tfoot, #pressure-map .empty').first().waitFor();
  assert.deepEqual(b.problems, []);
});
