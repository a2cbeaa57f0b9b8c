// cobuild.test.mjs - co-building (双报到, issue 18) in real headless Chromium on a 360 px phone: a grid member
// raises a need on the spot; community staff build a project from it; the bank's contact claims it for the
// bank, carries it out and reports it with evidence and hours; the staff rate it, and the need is met.  No
// page is wider than the phone, no script error, and axe-core's WCAG 2 A/AA rules pass on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer } from '../api/harness.mjs';
import { phone, ART } from './browser.mjs';

const PW = 'Cobuild-Pass-2026!';
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

let srv;
let b;
let page;
const T = {};
const X = {};

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

async function loginAs(login) {
  await page.context().clearCookies();
  await page.goto(`${srv.base}/#/login`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(PW);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#site-nav').waitFor({ state: 'visible' });
}

async function checkPage(where, shot) {
  await b.assertFits();
  await b.assertAccessible(where);
  await page.screenshot({ path: join(ART, `cobuild-${shot}-phone.png`), fullPage: true });
  assert.deepEqual(b.problems, []);
}

before(async () => {
  srv = await startServer({ args: ['--sweep-interval', '1'] });
  const node = async (body) => (await ok(srv.post('/api/v1/nodes', body), 201)).id;
  T.ms = await node({ level: 'subdistrict', name: '明水街道', code: 'MS' });
  T.yq = await node({ level: 'community', name: '御泉社区', parent_id: T.ms, code: 'MS-YQ' });
  T.dorm = await node({ level: 'courtyard', name: '机关宿舍院', parent_id: T.yq, code: 'MS-YQ-01', kind: 'residential' });
  const user = async (login, role, scope, display_name) => {
    const u = await ok(srv.post('/api/v1/users', { login, role, display_name, scope_node_id: scope, password: 'Init-Pass-2026' }), 201);
    await srv.loginAs(login, 'Init-Pass-2026', PW);
    return u.id;
  };
  await user('grid', 'grid_member', T.dorm, '赵网格');
  await user('staff', 'community_staff', T.yq, '孙社工');
  const bankUser = await user('bank', 'unit_contact', T.yq, '刘行长');
  X.bank = await ok(srv.post('/api/v1/cobuild-units', { name: '章丘农商银行御泉支行', kind: 'bank', node_id: T.yq,
    reported_on: day(-30), contact_name: '刘行长', contact_phone: '13805310001' }), 201);
  await ok(srv.post(`/api/v1/cobuild-units/${X.bank.id}/accounts`, { user_id: bankUser }), 201);
  await ok(srv.post('/api/v1/cobuild-resources', { node_id: T.yq, unit_id: X.bank.id, kind: 'funding', title: '助老基金' }), 201);
  const year = Number(day(0).slice(0, 4));
  const agreement = await ok(srv.post('/api/v1/cobuild-agreements', { unit_id: X.bank.id, title: '共驻共建协议',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, signed_on: `${year}-01-01` }), 201);
  await ok(srv.post(`/api/v1/cobuild-agreements/${agreement.id}/commitments`, { kind: 'hours', description: '党员志愿服务',
    per_year: '100' }), 201);
  const branch = await ok(srv.post('/api/v1/party-orgs', { node_id: T.dorm }), 201);
  const person = await ok(srv.post('/api/v1/persons', { name: '张建国', home_node_id: T.dorm, party_member: true }), 201);
  X.member = await ok(srv.post('/api/v1/party-members', { person_id: person.id, org_id: branch.id, status: 'formal',
    since: day(-400), pledge: '有事找我' }), 201);
  b = await phone();
  page = b.page;
});

after(async () => {
  if (b) await b.browser.close();
  if (srv) await srv.stop();
});

test('a grid member raises a need on the phone', async () => {
  await loginAs('grid');
  await page.goto(`${srv.base}/#/cobuild/needs`);
  const form = page.locator('#need-raise form');
  await form.waitFor();
  await checkPage('the needs page', 'needs');
  await form.getByLabel('地点').selectOption({ label: '机关宿舍院' });
  await form.getByLabel('需求', { exact: false }).first().fill('3号楼需要无障碍坡道');
  await form.getByLabel('类别').selectOption({ label: '设施' });
  await form.getByLabel('紧急程度').selectOption({ label: '紧急' });
  await form.getByRole('button', { name: '提交需求' }).click();
  await page.locator('#need-list', { hasText: '3号楼需要无障碍坡道' }).waitFor();
  const needs = await ok(srv.get('/api/v1/cobuild-needs'));
  assert.equal(needs.items.length, 1);
  X.need = needs.items[0];
  assert.equal(X.need.node_id, T.dorm);
  assert.equal(X.need.source, 'grid_member');
  assert.equal(X.need.urgency, 'urgent');
});

test('community staff build a project from the need, with the bank\'s resource', async () => {
  await loginAs('staff');
  await page.goto(`${srv.base}/#/cobuild`);
  const form = page.locator('#cobuild-project-build form');
  await form.waitFor();
  await checkPage('the projects page', 'projects');
  await form.getByLabel('项目').fill('3号楼无障碍坡道');
  await form.getByLabel('地点').selectOption({ label: '机关宿舍院' });
  // without a need the form says so before asking the server
  await form.getByRole('button', { name: '生成项目' }).click();
  await form.getByText('请至少选择一项需求。').waitFor();
  await form.getByLabel('3号楼需要无障碍坡道').check();
  await form.getByLabel(/助老基金/).check();
  await form.getByRole('button', { name: '生成项目' }).click();
  await page.locator('h1', { hasText: '3号楼无障碍坡道' }).waitFor();
  const list = await ok(srv.get('/api/v1/cobuild-projects'));
  X.project = list.items[0];
  assert.deepEqual(X.project.need_ids, [X.need.id]);
  assert.equal(X.project.status, 'open');
  await page.locator('#cobuild-project-claim', { hasText: '尚未认领' }).waitFor();
  await checkPage('a project waiting for a claim', 'project-open');
});

test('the bank\'s contact claims it, carries it out and reports it', async () => {
  await loginAs('bank');
  await page.goto(`${srv.base}/#/cobuild/projects/${X.project.id}`);
  const claim = page.locator('#cobuild-project-claim');
  await claim.locator('form').waitFor();
  await claim.getByLabel('认领单位').selectOption({ label: '章丘农商银行御泉支行' });
  await claim.getByLabel('完成期限').fill(day(7));
  await claim.getByRole('button', { name: '认领项目' }).click();
  await claim.getByText('办理中').first().waitFor();
  await checkPage('a claimed project', 'project-claimed');
  await claim.getByLabel('佐证材料').fill('坡道已建成，验收照片存档');
  await claim.getByLabel('服务时长（小时）').fill('6.5');
  await claim.getByRole('button', { name: '报告办结' }).click();
  await claim.getByText('已办结').first().waitFor();
  const mine = await ok(srv.get('/api/v1/cobuild-claims'));
  assert.equal(mine.items[0].status, 'reported');
  assert.equal(mine.items[0].hours, '6.5');
  assert.equal(mine.items[0].on_time, true);
});

test('the community rates it and the need is met', async () => {
  await loginAs('staff');
  await page.goto(`${srv.base}/#/cobuild/projects/${X.project.id}`);
  const claim = page.locator('#cobuild-project-claim');
  await claim.locator('form').waitFor();
  await claim.getByLabel('评价方').selectOption({ label: '社区' });
  await claim.getByLabel('评分').selectOption({ label: '5 分' });
  await claim.getByLabel('评价意见').fill('施工规范，居民满意');
  await claim.getByRole('button', { name: '提交评价' }).click();
  await claim.getByText('已评价').first().waitFor();
  await checkPage('a rated project', 'project-rated');
  const need = await ok(srv.get(`/api/v1/cobuild-needs/${X.need.id}`));
  assert.equal(need.status, 'met');
  assert.equal(need.met_on, day(0));
  await page.goto(`${srv.base}/#/cobuild/units`);
  await page.locator('#unit-list', { hasText: '章丘农商银行御泉支行' }).waitFor();
  assert.ok(!(await page.locator('#unit-list').innerText()).includes('13805310001'), 'the contact phone is masked');
  await checkPage('the units page', 'units');
  // the bank's agreement: this year's hours come from the claim it reported
  await page.locator('#unit-list').getByRole('link', { name: '章丘农商银行御泉支行' }).click();
  const agr = page.locator('#unit-agreements');
  await agr.getByText('6.5（7%）').waitFor();
  await checkPage('a unit with its agreement', 'unit');
});

test("the branch's view: a member who served nobody this quarter, then a service record", async () => {
  await loginAs('staff');
  await page.goto(`${srv.base}/#/party`);
  const list = page.locator('#party-members');
  await list.getByText('本季度未服务').waitFor();
  await checkPage('the party members page', 'party');
  const form = page.locator('#party-record form');
  await form.getByLabel('服务内容').fill('帮王大爷修水管');
  await form.getByLabel('服务时长（小时）').fill('2');
  await form.getByRole('button', { name: '登记' }).click();
  await page.locator('#party-summary', { hasText: '服务 2 小时' }).waitFor();
  assert.equal(await list.getByText('本季度未服务').count(), 0);
  const m = await ok(srv.get(`/api/v1/party-members/${X.member.id}`));
  assert.deepEqual(m.service.map((r) => [r.what, r.hours, r.served_on]), [['帮王大爷修水管', '2', day(0)]]);
  assert.equal(m.points_this_year, 2 + 2);
});
