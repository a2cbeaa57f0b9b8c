// demo.test.mjs - the Mingshui demo data set (`yuanluo demo`) tells the article's story:
// 15 communities, 75 courtyards, the named courtyards, the 桃花山 dormitory's 25 party members and
// 41 volunteers, party organisations at every level, grids, mobile grid members, realistic gaps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, cli, sqlite } from './harness.mjs';

let server;
let auth = {};
const T = {};

// The headers that authenticate as the administrator: the harness's session when it logged in;
// otherwise, when the API asks for a login, log in here (changing the first password if needed).
async function authenticate(srv) {
  if (srv.session) return { Cookie: srv.session.cookie, 'X-CSRF-Token': srv.session.csrf };
  const probe = await srv.get('/api/v1/nodes?limit=1');
  if (probe.status !== 401) return {};
  const login = async (password) => {
    const res = await fetch(`${srv.base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password }),
    });
    assert.equal(res.status, 200, `login: ${res.status} ${await res.clone().text()}`);
    const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
    const me = await (await fetch(`${srv.base}/api/v1/auth/me`, { headers: { Cookie: cookie } })).json();
    return { cookie, me };
  };
  let { cookie, me } = await login(srv.adminPassword);
  if (me.must_change_password) {
    const next = `Demo-${process.pid}-Test!9`;
    const res = await fetch(`${srv.base}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ old_password: srv.adminPassword, password: next }),
    });
    assert.ok(res.status < 300, `password change: ${res.status}`);
    ({ cookie, me } = await login(next));
  }
  return { Cookie: cookie, 'X-CSRF-Token': me.csrf_token };
}

async function get(path) {
  const res = await server.get(path, auth);
  assert.equal(res.status, 200, `${path}: ${res.status} ${res.text}`);
  return res.body;
}
const total = async (path) => (await get(path)).total;

async function byCode(code) {
  const list = await get(`/api/v1/nodes?q=${encodeURIComponent(code)}&limit=500`);
  const n = list.items.find((x) => x.code === code);
  assert.ok(n, `no node ${code}`);
  return n;
}

async function byName(name, level) {
  const list = await get(`/api/v1/nodes?q=${encodeURIComponent(name)}&level=${level}&limit=500`);
  const found = list.items.filter((x) => x.name === name);
  assert.equal(found.length, 1, `${level} ${name}: ${found.length} found`);
  return found[0];
}

before(async () => {
  // The tree and its people only: the year of work orders has its own file (demo_orders.test.mjs).
  server = await startServer({ demo: true, demoArgs: ['--no-orders'] });
  auth = await authenticate(server);
  T.ms = await byCode('MS');
  T.dorm = await byName('桃花山职工宿舍', 'courtyard');
});

after(async () => {
  if (server) await server.stop();
});

test('明水街道 has 15 urban communities and 75 courtyards', async () => {
  assert.equal(T.ms.name, '明水街道');
  assert.equal(T.ms.level, 'subdistrict');
  const communities = await get(`/api/v1/nodes?under=${T.ms.id}&level=community&limit=50`);
  assert.equal(communities.total, 15);
  assert.ok(communities.items.every((c) => c.kind === 'urban' && c.parent_id === T.ms.id));
  for (const name of ['龙泉社区', '桃花山社区', '百脉泉社区', '桃花山西区社区', '御泉社区']) {
    assert.ok(communities.items.some((c) => c.name === name), name);
  }
  assert.equal(await total(`/api/v1/nodes?under=${T.ms.id}&level=courtyard`), 75);
  assert.ok(await total(`/api/v1/nodes?under=${T.ms.id}&level=building`) > 150);
  assert.ok(await total(`/api/v1/nodes?under=${T.ms.id}&level=household`) > 3000);
});

test('the courtyards the article names exist, in the right community, of the right kind', async () => {
  const expect = [
    ['君临天下小区', 'residential', '龙泉社区'],
    ['桃花山职工宿舍', 'dormitory', '桃花山社区'],
    ['香港街商圈联盟', 'business_alliance', '百脉泉社区'],
    ['公路局宿舍', 'dormitory', null],
    ['一职专宿舍', 'dormitory', null],
    ['武装部宿舍', 'dormitory', null],
  ];
  for (const [name, kind, community] of expect) {
    const y = await byName(name, 'courtyard');
    assert.equal(y.kind, kind, name);
    const detail = await get(`/api/v1/nodes/${y.id}`);
    assert.equal(detail.ancestors[0].name, '明水街道');
    if (community) assert.equal(detail.ancestors[1].name, community, name);
    assert.ok(detail.party_org && detail.party_org.kind === 'courtyard_branch', `${name} has a branch`);
    assert.ok(detail.party_org.secretary_person_id, `${name}'s branch has a secretary`);
  }
});

test('the 桃花山 dormitory: 25 party members and 41 volunteers, every building and household covered', async () => {
  assert.equal(await total(`/api/v1/persons?under=${T.dorm.id}&party_member=true`), 25);
  assert.equal(await total(`/api/v1/assignments?node_id=${T.dorm.id}&role=volunteer`), 41);
  assert.equal(await total(`/api/v1/persons?under=${T.dorm.id}&role=volunteer`), 41);
  // A party group in every building, a central household in every unit (the article's 三长四员 courtyard).
  assert.equal(await total(`/api/v1/party-orgs?under=${T.dorm.id}&kind=building_group`),
    await total(`/api/v1/nodes?under=${T.dorm.id}&level=building`));
  assert.equal(await total(`/api/v1/party-orgs?under=${T.dorm.id}&kind=central_household`),
    await total(`/api/v1/nodes?under=${T.dorm.id}&level=unit`));
  const cov = await get(`/api/v1/coverage?node=${T.dorm.id}`);
  assert.equal(cov.buildings_without_head, 0);
  assert.equal(cov.households_without_central, 0);
  for (const role of ['courtyard_head', 'propagandist', 'mediator', 'safety_officer', 'sanitation_officer']) {
    assert.equal(await total(`/api/v1/assignments?node_id=${T.dorm.id}&role=${role}`), 1, role);
  }
});

test('party organisations at every level, with secretaries', async () => {
  const under = `under=${T.ms.id}`;
  assert.equal(await total(`/api/v1/party-orgs?${under}&kind=working_committee`), 1);
  assert.equal(await total(`/api/v1/party-orgs?${under}&kind=general_branch`), 15);
  assert.equal(await total(`/api/v1/party-orgs?${under}&kind=courtyard_branch`), 75);
  assert.ok(await total(`/api/v1/party-orgs?${under}&kind=building_group`) > 150);
  assert.ok(await total(`/api/v1/party-orgs?${under}&kind=central_household`) > 300);
  const branches = await get(`/api/v1/party-orgs?${under}&kind=courtyard_branch&limit=100`);
  assert.ok(branches.items.every((b) => b.secretary_person_id && b.secretary_name));
  const generals = await get(`/api/v1/party-orgs?${under}&kind=general_branch&limit=100`);
  assert.ok(generals.items.every((b) => b.secretary_person_id));
});

test('thousands of residents with realistic names and phones; in-service members registered where they live', async () => {
  const persons = await get(`/api/v1/persons?under=${T.ms.id}&limit=200`);
  assert.ok(persons.total > 3000, `${persons.total} persons`);
  for (const p of persons.items) {
    assert.match(p.name, /^[\u4e00-\u9fff]{2,3}$/, p.name);
    if (p.phone) assert.match(p.phone, /^1[3-9]\d(\d{8}|\*{4}\d{4})$/, p.phone);
  }
  const members = await get(`/api/v1/persons?under=${T.ms.id}&party_member=true&limit=500`);
  assert.ok(members.total > 300);
  assert.ok(members.items.some((p) => p.member_org_name && p.living_org_id && p.registered_on), '双找 members');
  assert.ok(members.items.some((p) => p.member_org_id && p.member_org_id === p.living_org_id));
});

test('roles: building heads on most buildings but not all, mobile grid members from the platforms', async () => {
  const cov = await get(`/api/v1/coverage?node=${T.ms.id}`);
  assert.ok(cov.buildings_without_head > 0, 'some buildings lack a head');
  assert.ok(cov.buildings_without_head < cov.buildings / 4, 'most buildings have a head');
  assert.ok(cov.households_without_central > 0, 'some households are not looked after');
  assert.ok(cov.households_without_central < cov.households / 4, 'most households are looked after');
  const mobile = await get(`/api/v1/assignments?under=${T.ms.id}&role=mobile_grid_member&limit=100`);
  assert.equal(mobile.total, 45);
  const platforms = new Set(mobile.items.map((a) => a.platform));
  for (const a of mobile.items) {
    assert.ok(['courier', 'rider'].includes(a.worker_type));
    assert.ok(['美团', '饿了么', '顺丰', '京东', '中通'].includes(a.platform), a.platform);
  }
  assert.ok(platforms.size >= 4);
  for (const role of ['building_head', 'unit_head', 'grid_member', 'mediator', 'volunteer', 'courtyard_head',
    'propagandist', 'safety_officer', 'sanitation_officer', 'central_household', 'branch_secretary']) {
    assert.ok(await total(`/api/v1/assignments?under=${T.ms.id}&role=${role}`) > 0, role);
  }
});

test('grids carry 15-digit codes: 370181 章丘区, 001 明水街道, the community, the grid', async () => {
  const grids = await get(`/api/v1/grids?under=${T.ms.id}&limit=200`);
  assert.ok(grids.total >= 30);
  for (const g of grids.items) {
    assert.match(g.code, /^370181001(0(0[1-9]|1[0-5]))00[1-4]$/, g.code);
    assert.ok(g.node_ids.length > 0);
  }
});

test('a second `yuanluo demo` refuses; the data set is the same on every run', async () => {
  const again = cli(['demo', '--no-orders', '--db', server.db, '--key-file', server.key]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already loaded/);
  assert.equal(await total(`/api/v1/nodes?under=${T.ms.id}&level=courtyard`), 75);

  const dir = mkdtempSync(join(tmpdir(), 'yuanluo-demo-'));
  try {
    const common = ['--db', join(dir, 'd.db'), '--key-file', join(dir, 'd.key')];
    assert.equal(cli(['init', ...common]).status, 0);
    const loaded = cli(['demo', '--no-orders', ...common], { timeout: 300000 });
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.match(loaded.stdout, /15 communities, 75 courtyards/);
    for (const what of ['nodes', 'persons']) {
      const mine = cli(['export', what, ...common], { maxBuffer: 1 << 28 });
      const theirs = cli(['export', what, '--db', server.db, '--key-file', server.key], { maxBuffer: 1 << 28 });
      assert.equal(mine.status, 0, mine.stderr);
      assert.equal(theirs.status, 0, theirs.stderr);
      assert.ok(mine.stdout.length > 10000);
      assert.ok(mine.stdout === theirs.stdout, `the ${what} of two demo loads differ`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every row of the subdistrict\'s data carries its subdistrict (the shard key)', () => {
  const tables = ['nodes', 'node_closure', 'node_history', 'grids', 'grid_nodes', 'party_orgs', 'persons',
    'person_tags', 'role_assignments', 'household_care'];
  const sql = tables.map((t) => `SELECT '${t}', COUNT(*), COUNT(subdistrict_id) FROM ${t};`).join('\n');
  const rows = sqlite(server.db, sql).trim().split('\n').map((l) => l.split('|'));
  assert.equal(rows.length, tables.length);
  for (const [t, all, withSub] of rows) {
    assert.ok(Number(all) > 0, `${t} has rows`);
    assert.equal(withSub, all, `${t}: every row has its subdistrict`);
  }
  const ms = sqlite(server.db, 'SELECT COUNT(DISTINCT subdistrict_id) FROM node_closure;').trim();
  assert.equal(ms, '1', 'one subdistrict in the demo');
});
