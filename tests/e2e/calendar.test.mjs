// calendar.test.mjs - what a calendar administrator and a handler see while next year's official holidays
// are not loaded, in real headless Chromium on a 360 px phone: the banner that names the year and says how
// to load it, the 暂定 mark beside a provisional deadline, and both gone once the year is loaded.  The
// server's clock is moved to 2098-12-28 (libfaketime) with 2099 missing, so the test holds on any day.
// The pages are checked with axe-core's WCAG 2 A/AA rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD } from '../api/harness.mjs';
import { phone, logIn, ART } from './browser.mjs';

let srv;
let b;		// the phone's browser (browser.mjs)
let page;
let order;

before(async () => {
  srv = await startServer({ clock: '2098-12-28T10:00:00+08:00', calendars: [2098] });
  const node = async (level, name, parent_id, extra = {}) => {
    const r = await srv.post('/api/v1/nodes', { level, name, parent_id, ...extra });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const sub = await node('subdistrict', '明水街道');
  const com = await node('community', '龙泉社区', sub);
  const y1 = await node('courtyard', '君临天下', com, { kind: 'residential' });
  const h1 = await node('household', '101', await node('building', '1号楼', y1));
  const r = await srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category: '城乡建设>物业管理',
    node_id: h1, text: '楼道灯坏了，晚上看不见台阶', caller_name: '王先生', caller_phone: '13912345678' });
  assert.equal(r.status, 201, r.text);
  order = r.body;
  b = await phone();
  page = b.page;
  await logIn(page, srv.base, 'admin', ADMIN_PASSWORD);
});

after(async () => {
  if (b) await b.browser.close();
  if (srv) await srv.stop();
});

test('the calendar administrator sees which year to load, and how', async () => {
  const banner = page.locator('#site-banner');
  await banner.waitFor({ state: 'visible' });
  assert.match(await banner.innerText(), /2099 年的法定节假日安排尚未载入/);
  assert.match(await banner.innerText(), /yuanluo calendar load --dry-run 2099\.csv/);
  await b.assertFits();
  await b.assertAccessible('the banner');
  await page.screenshot({ path: join(ART, 'calendar-banner-phone.png'), fullPage: true });
});

test('a provisional deadline is marked 暂定 on the order', async () => {
  await page.goto(`${srv.base}/#/orders/${order.id}`);
  // The order page itself (the tasks page before it shows the same mark in its lists).
  await page.locator('.order__text').waitFor({ state: 'visible' });
  const mark = page.locator('#main .badge--provisional');
  await mark.waitFor({ state: 'visible' });
  assert.equal(await mark.count(), 1, 'one provisional deadline: the reply deadline');
  assert.equal(await mark.innerText(), '暂定');
  assert.match(await mark.getAttribute('title'), /官方节假日安排尚未载入/);
  await b.assertFits();
  await b.assertAccessible('the order page');
  await page.screenshot({ path: join(ART, 'calendar-order-provisional-phone.png'), fullPage: true });
});

test('once the official year is loaded, the mark and the banner are gone', async () => {
  const r = await srv.put('/api/v1/calendar/2099', 'date,kind,name\n2099-01-01,holiday,元旦\n', { 'Content-Type': 'text/csv' });
  assert.equal(r.status, 201, r.text);
  await page.reload();
  await page.locator('.order__text').waitFor({ state: 'visible' });
  assert.equal(await page.locator('.badge--provisional').count(), 0);
  assert.equal(await page.locator('#site-banner').isVisible(), false);
  assert.deepEqual(b.problems, []);
});
