// status.test.mjs - 查询我的诉求 on a 360 px phone, in real headless Chromium, as a resident with no account:
// the order number and the last four digits of the phone show the stages and the answer (and nothing of the
// caller), a wrong pair is refused, and the resident rates the answer, which closes the order.  Checked
// with axe-core's WCAG 2 A/AA rules, with no CSP refusal or script error and no page wider than the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer } from '../api/harness.mjs';
import { phone, ART } from './browser.mjs';

let srv;
let browser;
let page;
let problems;
let assertAccessible;
let assertFits;
let order;

before(async () => {
  srv = await startServer();
  const ok = async (p, status) => {
    const r = await p;
    assert.equal(r.status, status, r.text);
    return r.body;
  };
  const sub = (await ok(srv.post('/api/v1/nodes', { level: 'subdistrict', name: '明水街道' }), 201)).id;
  const com = (await ok(srv.post('/api/v1/nodes', { level: 'community', name: '龙泉社区', parent_id: sub }), 201)).id;
  const y1 = (await ok(srv.post('/api/v1/nodes', { level: 'courtyard', name: '君临天下', parent_id: com, kind: 'residential' }), 201)).id;
  order = await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: y1,
    text: '楼道堆满杂物', caller_name: '刘阿姨', caller_phone: '13912345678' }), 201);
  for (const [action, extra] of [['sign', {}], ['reply', { opinion: '已联系物业清理楼道，并安排每周检查。' }], ['approve_review', {}]]) {
    await ok(srv.post(`/api/v1/work-orders/${order.id}/actions`, { action, ...extra }), 200);
  }
  ({ browser, page, problems, assertAccessible, assertFits } = await phone());
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('a resident follows the request with its number and four digits, then rates the answer', async () => {
  await page.goto(`${srv.base}/#/status`);
  await page.getByRole('heading', { name: '查询我的诉求' }).waitFor();
  await assertAccessible('the empty status page');
  await page.getByLabel('工单编号').fill(order.number);
  await page.getByLabel('手机号后四位').fill('1234');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByText('no request has that number').or(page.getByText('没有')).first().waitFor();
  await page.getByLabel('手机号后四位').fill('5678');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('heading', { name: `工单 ${order.number}` }).waitFor();
  const body = await page.locator('#status').textContent();
  assert.match(body, /已联系物业清理楼道/);
  assert.match(body, /承办单位签收/);
  for (const secret of ['刘阿姨', '13912345678', '楼道堆满杂物']) assert.ok(!body.includes(secret), `${secret} shown`);
  await assertAccessible('the status with the rating form');
  await assertFits();
  await page.screenshot({ path: join(ART, 'status-phone.png'), fullPage: true });
  await page.getByLabel('满意', { exact: true }).check();
  await page.getByRole('button', { name: '提交评价' }).click();
  await page.getByText('您的评价：满意').waitFor();
  assert.equal((await srv.get(`/api/v1/work-orders/${order.id}`)).body.state, 'closed');
  await assertAccessible('after the rating');
  await assertFits();
  assert.deepEqual(problems, []);
});
