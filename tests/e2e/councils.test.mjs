// councils.test.mjs - courtyard councils (issue 17) in real headless Chromium on a 360 px phone: community
// staff open 议事会, record a meeting's attendance (the quorum shows), put a resident's proposal to the vote
// at the meeting, record one member one vote, count the result (通过 with its counts), write a resolution
// with its deadline and turn it into a work order (the link shows); then a resident's phone, without any
// login, opens the courtyard's public board (the QR code's page) and sees the notice, the council and the
// result — and no phone number.  Every page passes axe-core's WCAG 2 A/AA rules and fits the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer } from '../api/harness.mjs';
import { phone, ART } from './browser.mjs';

const PW = 'Council-Pass-2026!';
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

let srv;
let b;
let page;
const T = {};

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

before(async () => {
  srv = await startServer();
  const mk = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  T.ms = await mk({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.lq = await mk({ level: 'community', name: '龙泉社区', parent_id: T.ms, code: 'MS-LQ' });
  T.jl = await mk({ level: 'courtyard', name: '君临天下', parent_id: T.lq, code: 'MS-LQ-JL', kind: 'residential' });
  const u = await ok(srv.post('/api/v1/users', { login: 'staff', role: 'community_staff', scope_node_id: T.lq,
    password: 'Init-Pass-2026' }), 201);
  await srv.loginAs('staff', 'Init-Pass-2026', PW);
  T.council = (await ok(srv.post('/api/v1/councils', { node_id: T.jl, name: '君临天下议事会', term_start: day(-300),
    term_end: day(800), convenor_user_id: u.id }), 201)).id;
  for (const [name, seat, phoneNo] of [['王建国', 'party_member', '13812341234'], ['赵丽', 'property', '13987654321'],
    ['钱进', 'owners_committee', '15600001111']]) {
    await ok(srv.post(`/api/v1/councils/${T.council}/members`, { name, seat, joined_on: day(-200), phone: phoneNo }), 201);
  }
  await ok(srv.post('/api/v1/courtyard-parties', { node_id: T.jl, kind: 'property', name: '明珠物业', contact_name: '物业经理',
    contact_phone: '13500004444' }), 201);
  T.meeting = (await ok(srv.post(`/api/v1/councils/${T.council}/meetings`, { held_on: day(0), place: '党群服务站',
    agenda: ['东门充电桩'] }), 201)).id;
  T.proposal = (await ok(srv.post(`/api/v1/councils/${T.council}/proposals`, { title: '东门加装电动车充电桩',
    body: '东门停车棚加装 20 个充电口', proposer_name: '3号楼 张女士' }), 201)).id;
  await ok(srv.post('/api/v1/notices', { node_id: T.lq, title: '文明公约', body: '爱护公物，邻里和睦。', category: 'convention',
    starts_on: day(-1), ends_on: day(30), publish: true }), 201);
  b = await phone();
  page = b.page;
  await page.goto(`${srv.base}/#/login`);
  await page.locator('input[name=login]').fill('staff');
  await page.locator('input[name=password]').fill(PW);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#site-nav').waitFor({ state: 'visible' });
});

after(async () => {
  if (b) await b.browser.close();
  if (srv) await srv.stop();
});

test('staff find the council and record the meeting\'s attendance: the quorum shows', async () => {
  await page.goto(`${srv.base}/#/councils`);
  await page.getByRole('link', { name: '君临天下议事会' }).click();
  await page.locator('#council-members').waitFor({ state: 'visible' });
  const members = await page.locator('#council-members').innerText();
  assert.match(members, /王建国/);
  assert.match(members, /138\*\*\*\*1234/, 'phones are masked');
  assert.doesNotMatch(members, /13812341234/);
  await page.locator('#council-meetings summary', { hasText: '登记出席' }).click();
  await page.getByRole('button', { name: '保存出席情况' }).click();
  await page.locator('#council-meetings .badge', { hasText: '到会 3/3' }).waitFor({ state: 'visible' });
  await b.assertFits();
  await b.assertAccessible('the council page');
  await page.screenshot({ path: join(ART, 'council-phone.png'), fullPage: true });
});

test('a vote at the meeting, one member one vote, the result with its counts', async () => {
  await page.getByRole('link', { name: '东门加装电动车充电桩' }).click();
  await page.locator('#proposal-vote').waitFor({ state: 'visible' });
  await page.locator('#proposal-vote summary', { hasText: '付诸表决' }).click();
  await page.locator('#proposal-vote select[name=meeting_id]').selectOption({ index: 1 });
  await page.locator('#proposal-vote form').getByRole('button', { name: '付诸表决' }).click();
  await page.locator('#vote-form').waitFor({ state: 'visible' });
  for (const [i, [name, choice]] of [['王建国', 'yes'], ['赵丽', 'yes'], ['钱进', 'abstain']].entries()) {
    await page.locator('#vote-form select[name=member_id]').selectOption({ label: name });
    await page.locator('#vote-form select[name=choice]').selectOption(choice);
    await page.locator('#vote-form').getByRole('button', { name: '投票' }).click();
    await page.locator('#proposal-vote', { hasText: `已投 ${i + 1} 票` }).waitFor({ state: 'visible' });
  }
  // a second vote by the same member is refused, and says so by the field
  await page.locator('#vote-form select[name=member_id]').selectOption({ label: '王建国' });
  await page.locator('#vote-form').getByRole('button', { name: '投票' }).click();
  await page.locator('#vote-form .field__error:not([hidden]), #vote-form .form__status :is(p, div)').first().waitFor({ state: 'visible' });
  await b.assertAccessible('the vote form with its refusal');
  await page.getByRole('button', { name: '计票，公布结果' }).click();
  await page.locator('#proposal-facts .badge', { hasText: '通过' }).waitFor({ state: 'visible' });
  assert.match(await page.locator('#proposal-facts').innerText(), /赞成 2 · 反对 0 · 弃权 1（应参加 3 人）/);
  await b.assertFits();
  await b.assertAccessible('the passed proposal');
});

test('a resolution with its deadline becomes a work order, linked from the resolution', async () => {
  await page.locator('#proposal-resolutions summary', { hasText: '形成决议' }).click();
  await page.locator('#proposal-resolutions input[name=content]').fill('东门安装充电桩');
  await page.locator('#proposal-resolutions input[name=due_on]').fill(day(10));
  await page.locator('#proposal-resolutions form').getByRole('button', { name: '形成决议' }).click();
  await page.locator('.council-resolution', { hasText: '东门安装充电桩' }).waitFor({ state: 'visible' });
  await page.locator('.council-resolution summary', { hasText: '转为工单' }).click();
  await page.locator('.council-resolution select[name=category_id]').selectOption({ index: 1 });
  await page.locator('.council-resolution form').getByRole('button', { name: '转为工单' }).click();
  const link = page.locator('.council-resolution a', { hasText: '已转工单' });
  await link.waitFor({ state: 'visible' });
  const id = Number((await link.getAttribute('href')).split('/').pop());
  const back = await ok(srv.get(`/api/v1/council-resolutions?work_order_id=${id}`));
  assert.equal(back.items.length, 1);
  assert.equal(back.items[0].content, '东门安装充电桩');
  await b.assertFits();
  await b.assertAccessible('the resolution with its work order');
  await page.screenshot({ path: join(ART, 'council-proposal-phone.png'), fullPage: true });
  assert.deepEqual(b.problems, []);
});

test('公示栏 lists the notice with its period; the council figures show on 议事会', async () => {
  await page.goto(`${srv.base}/#/notices`);
  await page.locator('#notice-list').waitFor({ state: 'visible' });
  const text = await page.locator('#notice-list').innerText();
  assert.match(text, /文明公约/);
  assert.match(text, /公示中/);
  await b.assertFits();
  await b.assertAccessible('the notices page');
  await page.goto(`${srv.base}/#/councils`);
  await page.locator('#council-figures').waitFor({ state: 'visible' });
  assert.match(await page.locator('#council-figures').innerText(), /议题 1 项：通过 1/);
  await b.assertFits();
  await b.assertAccessible('the councils page');
});

test('民事调解: the list masks the parties; a case takes a session and is settled in the courtyard', async () => {
  const c = await ok(srv.post('/api/v1/mediation-cases', { node_id: T.jl, kind: 'neighbours', summary: '楼上漏水，两户争执',
    opened_on: day(-2) }), 201);
  await ok(srv.post(`/api/v1/mediation-cases/${c.id}/parties`, { name: '王建华', role: 'applicant', phone: '13812345678' }), 201);
  await page.goto(`${srv.base}/#/mediation`);
  await page.locator('#mediation-list').waitFor({ state: 'visible' });
  const list = await page.locator('#mediation-list').innerText();
  assert.match(list, /王\*\*/);
  assert.doesNotMatch(list, /王建华|漏水/);
  await b.assertFits();
  await b.assertAccessible('the mediation list');
  await page.locator('#mediation-list a').first().click();
  await page.locator('#mediation-facts').waitFor({ state: 'visible' });
  assert.match(await page.locator('#mediation-parties').innerText(), /王建华 — 申请人 · 138\*\*\*\*5678/);
  await page.locator('#mediation-sessions summary', { hasText: '记录一次调解' }).click();
  await page.locator('#mediation-sessions input[name=held_on]').fill(day(0));
  await page.locator('#mediation-sessions textarea[name=notes]').fill('双方同意楼上修复防水');
  await page.locator('#mediation-sessions form').first().getByRole('button', { name: '记录一次调解' }).click();
  await page.locator('#mediation-sessions li', { hasText: '双方同意楼上修复防水' }).waitFor({ state: 'visible' });
  await page.locator('#mediation-sessions summary', { hasText: '结案' }).click();
  await page.locator('#mediation-sessions select[name=level]').selectOption('courtyard');
  await page.locator('#mediation-sessions textarea[name=agreement]').fill('楼上三日内修复');
  await page.locator('#mediation-sessions form').last().getByRole('button', { name: '结案' }).click();
  await page.locator('#mediation-facts .badge', { hasText: '院落调解成功' }).waitFor({ state: 'visible' });
  await b.assertFits();
  await b.assertAccessible('a settled mediation case');
  assert.deepEqual(b.problems, []);
});

test('the public board on a resident\'s phone: no login, the notice, the council, the result, no phone number', async () => {
  const r = await phone();
  try {
    await r.page.goto(`${srv.base}/#/board/${T.jl}`);
    await r.page.locator('#board-notices').waitFor({ state: 'visible' });
    const text = await r.page.locator('#main').innerText();
    assert.match(text, /君临天下 公示栏/);
    assert.match(text, /文明公约/);
    assert.match(text, /王建国 — 党员/);
    assert.match(text, /东门加装电动车充电桩\s*通过/);
    assert.doesNotMatch(text, /1[3-9]\d{9}|\d{3}\*{4}\d{4}/);
    assert.doesNotMatch(text, /张女士/);
    assert.equal(await r.page.locator('input[name=password]').count(), 0, 'no login asked');
    await r.assertFits();
    await r.assertAccessible('the public board');
    await r.page.screenshot({ path: join(ART, 'board-phone.png'), fullPage: true });
    assert.deepEqual(r.problems, []);
  } finally {
    await r.browser.close();
  }
});
