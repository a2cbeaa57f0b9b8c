// people.test.mjs - /api/v1/persons, roles, role-sets, assignments, care-links and coverage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf } from './harness.mjs';

let srv;
const T = {};	// the tree: ids by name

// Today in Asia/Shanghai, as the server computes its defaults: computed when used, since a run may cross
// local midnight (16:00 UTC).
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
// A date the server gave as today: the local date before the request (day0), or after it when
// midnight fell in between.
function assertToday(actual, day0) {
  assert.ok(actual === day0 || actual === today(), `${actual} is not today (${day0})`);
}

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

// Asserts the status and the field the error names; returns the error.
async function fails(p, status, field) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  const e = errorOf(r);
  if (field !== undefined) assert.equal(e.field, field, `field: ${r.text}`);
  return e;
}

async function node(level, name, parent_id, extra = {}) {
  const body = await ok(srv.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201);
  return body.id;
}

async function person(body) {
  return (await ok(srv.post('/api/v1/persons', body), 201)).id;
}

// Personal data in full is a POST (CSRF-checked and audited): {"fields":["phone","id_number","sensitive"]}.
const reveal = (id, fields) => srv.post(`/api/v1/persons/${id}/reveal`, { fields });

// An 18-character resident ID (GB 11643): 17 digits and the check character.
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/*
 *   sub 明水街道 > com 龙泉社区
 *     y1 君临天下: b1 1号楼 (h1, h2), b2 2号楼 > u1 1单元 (h3, h4)
 *     y2 泉景:     b3 1号楼 (h5)
 *   party orgs: y1 branch, central household on h1
 */
before(async () => {
  srv = await startServer();
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下', T.com, { kind: 'residential' });
  T.y2 = await node('courtyard', '泉景', T.com, { kind: 'dormitory' });
  T.b1 = await node('building', '1号楼', T.y1);
  T.b2 = await node('building', '2号楼', T.y1);
  T.b3 = await node('building', '1号楼', T.y2);
  T.u1 = await node('unit', '1单元', T.b2);
  T.h1 = await node('household', '101', T.b1);
  T.h2 = await node('household', '102', T.b1);
  T.h3 = await node('household', '101', T.u1);
  T.h4 = await node('household', '102', T.u1);
  T.h5 = await node('household', '101', T.b3);
  T.y1Branch = (await ok(srv.post('/api/v1/party-orgs', { node_id: T.y1 }), 201)).id;
  T.y2Branch = (await ok(srv.post('/api/v1/party-orgs', { node_id: T.y2 }), 201)).id;
  T.centralH1 = (await ok(srv.post('/api/v1/party-orgs', { node_id: T.h1 }), 201)).id;
  T.centralH5 = (await ok(srv.post('/api/v1/party-orgs', { node_id: T.h5 }), 201)).id;
});

after(async () => {
  if (srv) await srv.stop();
});

// Persons.

test('POST /persons creates a person with normalised phone, sorted tags and 双找 fields', async () => {
  const p = await ok(srv.post('/api/v1/persons', {
    name: '张桂英', phone: '138 0531 0001', gender: 'female', birth_year: 1956, home_node_id: T.h1,
    tags: ['独居', '低保', '独居'], party_member: true, member_org_name: '济南市某局机关党支部',
    living_org_id: T.y1Branch, registered_on: '2022-03-01',
  }), 201);
  assert.equal(p.name, '张桂英');
  assert.equal(p.phone, '138****0001');	// masked by default
  assert.deepEqual(await ok(reveal(p.id, ['phone'])), { id: p.id, phone: '13805310001' });
  assert.equal(p.gender, 'female');
  assert.equal(p.birth_year, 1956);
  assert.equal(p.home_node_id, T.h1);
  assert.equal(p.subdistrict_id, T.sub);
  assert.deepEqual(p.tags, ['低保', '独居']);
  assert.equal(p.party_member, true);
  assert.equal(p.member_org_id, null);
  assert.equal(p.member_org_name, '济南市某局机关党支部');
  assert.equal(p.living_org_id, T.y1Branch);
  assert.equal(p.registered_on, '2022-03-01');
  assert.ok(p.created_at && p.updated_at);

  const landline = await ok(srv.post('/api/v1/persons', { name: '李', phone: '0531-88888888' }), 201);
  assert.equal(landline.phone, '0531****8888');
  assert.equal((await ok(reveal(landline.id, ['phone']))).phone, '0531-88888888');
  assert.equal(landline.subdistrict_id, null);
  assert.equal(landline.party_member, false);
  assert.deepEqual(landline.tags, []);
});

test('POST /persons refuses invalid input, naming the field', async () => {
  const year = Number(today().slice(0, 4));
  const cases = [
    [{}, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: '一'.repeat(51) }, 'name'],
    [{ name: 'a', phone: '12812345678' }, 'phone'],
    [{ name: 'a', phone: '0531-123' }, 'phone'],
    [{ name: 'a', gender: 'x' }, 'gender'],
    [{ name: 'a', birth_year: 1899 }, 'birth_year'],
    [{ name: 'a', birth_year: year + 1 }, 'birth_year'],
    [{ name: 'a', birth_year: 0 }, 'birth_year'],
    [{ name: 'a', birth_year: '1960' }, 'birth_year'],
    [{ name: 'a', home_node_id: 999999 }, 'home_node_id'],
    [{ name: 'a', home_node_id: T.com }, 'home_node_id'],
    [{ name: 'a', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    [{ name: 'a', tags: ['一'.repeat(21)] }, 'tags'],
    [{ name: 'a', tags: [''] }, 'tags'],
    [{ name: 'a', living_org_id: T.y1Branch }, 'living_org_id'],
    [{ name: 'a', party_member: false, registered_on: '2020-01-01' }, 'registered_on'],
    [{ name: 'a', party_member: true, member_org_id: 999999 }, 'member_org_id'],
    [{ name: 'a', party_member: true, living_org_id: 999999 }, 'living_org_id'],
    [{ name: 'a', party_member: true, registered_on: '2200-01-01' }, 'registered_on'],
    [{ name: 'a', party_member: true, registered_on: '2020-02-30' }, 'registered_on'],
    [{ name: 'a', party_member: true, member_org_id: T.y1Branch, member_org_name: 'x' }, 'member_org_name'],
    [{ name: 'a', nickname: 'x' }, 'nickname'],
  ];
  for (const [body, field] of cases) {
    await fails(srv.post('/api/v1/persons', body), 400, field);
  }
  const e = await fails(srv.post('/api/v1/persons', '{"name":'), 400);
  assert.equal(e.code, 'invalid_json');
  assert.ok(year >= 2024);
});

test('GET /persons/{id} answers the person or 404', async () => {
  const id = await person({ name: '王', home_node_id: T.h2, tags: ['志愿者'] });
  const p = await ok(srv.get(`/api/v1/persons/${id}`));
  assert.equal(p.id, id);
  assert.deepEqual(p.tags, ['志愿者']);
  await fails(srv.get('/api/v1/persons/999999'), 404, 'id');
  await fails(srv.get('/api/v1/persons/abc'), 404);
  assert.equal(p.phone, null);
  assert.equal(p.id_number, null);
  assert.equal(p.has_sensitive, false);
  assert.deepEqual(await ok(reveal(id, ['phone'])), { id, phone: null });
  await fails(reveal(999999, ['phone']), 404, 'id');
});

test('the old unaudited GET /persons/{id}/phone is gone: it reveals nothing', async () => {
  const id = await person({ name: '旧路由', phone: '13705310002', home_node_id: T.h2 });
  const r = await srv.get(`/api/v1/persons/${id}/phone`);
  assert.ok(r.status === 404 || r.status === 405, `got ${r.status}: ${r.text}`);
  assert.ok(!r.text.includes('13705310002'), r.text);
  // And reveal is a POST only: a GET cannot be triggered by a link or an image.
  const g = await srv.get(`/api/v1/persons/${id}/reveal`);
  assert.equal(g.status, 405, g.text);
  assert.ok(!g.text.includes('13705310002'));
});

test('id_number: an 18-character resident ID with a valid date and check character, masked in responses', async () => {
  const good = idNumber('37010219900101123');
  const withX = idNumber('11010519491231002');	// check character X
  assert.equal(withX.slice(-1), 'X');
  const p = await ok(srv.post('/api/v1/persons', { name: '身份证', id_number: good, home_node_id: T.h2 }), 201);
  assert.equal(p.id_number, `${good.slice(0, 4)}**********${good.slice(-4)}`);
  assert.equal(p.id_number.length, 18);
  assert.ok(!JSON.stringify(p).includes(good), 'the full ID number is in no field');
  assert.equal((await ok(srv.get(`/api/v1/persons/${p.id}`))).id_number, p.id_number);
  assert.deepEqual(await ok(reveal(p.id, ['id_number'])), { id: p.id, id_number: good });
  // A lower-case x is stored upper-case.
  const q = await ok(srv.post('/api/v1/persons', { name: '小写', id_number: withX.toLowerCase() }), 201);
  assert.equal((await ok(reveal(q.id, ['id_number']))).id_number, withX);
  assert.equal(q.id_number, `1101**********${withX.slice(-4)}`);
  // PATCH replaces and clears it.
  const other = idNumber('37010219850615002');
  assert.equal((await ok(srv.patch(`/api/v1/persons/${p.id}`, { id_number: other }))).id_number,
    `3701**********${other.slice(-4)}`);
  assert.equal((await ok(srv.patch(`/api/v1/persons/${p.id}`, { id_number: null }))).id_number, null);
  assert.deepEqual(await ok(reveal(p.id, ['id_number'])), { id: p.id, id_number: null });

  const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  for (const bad of [wrongCheck, '370102199002301234'.slice(0, 17) + 'X', idNumber('37010219901301123'), good.slice(0, 17),
    `${good}1`, 'ABCDEFGHIJKLMNOPQR', '37010219900101123 ', 370102199001011234]) {
    await fails(srv.post('/api/v1/persons', { name: '坏号', id_number: bad }), 400, 'id_number');
  }
  await fails(srv.patch(`/api/v1/persons/${q.id}`, { id_number: wrongCheck }), 400, 'id_number');
});

test('sensitive fields are never in normal responses; has_sensitive tells whether any is set; reveal shows them', async () => {
  const p = await ok(srv.post('/api/v1/persons', {
    name: '敏感', home_node_id: T.h2, health: '高血压', disability: '肢体二级', low_income: true, key_person: false,
  }), 201);
  const hidden = ['health', 'disability', 'low_income', 'key_person', 'sensitive'];
  const check = (o) => {
    for (const k of hidden) assert.ok(!(k in o), `${k} is in a normal response: ${JSON.stringify(o)}`);
    assert.ok(!JSON.stringify(o).includes('高血压') && !JSON.stringify(o).includes('肢体二级'));
  };
  check(p);
  assert.equal(p.has_sensitive, true);
  const got = await ok(srv.get(`/api/v1/persons/${p.id}`));
  check(got);
  assert.equal(got.has_sensitive, true);
  const listed = (await ok(srv.get(`/api/v1/persons?under=${T.h2}&limit=500`))).items.find((x) => x.id === p.id);
  check(listed);
  assert.equal(listed.has_sensitive, true);

  assert.deepEqual(await ok(reveal(p.id, ['sensitive'])), {
    id: p.id, sensitive: { health: '高血压', disability: '肢体二级', low_income: true, key_person: false },
  });
  // Only key_person set is still "sensitive"; clearing every one makes has_sensitive false.
  let u = await ok(srv.patch(`/api/v1/persons/${p.id}`, { health: null, disability: null, low_income: false, key_person: true }));
  check(u);
  assert.equal(u.has_sensitive, true);
  assert.deepEqual((await ok(reveal(p.id, ['sensitive']))).sensitive,
    { health: null, disability: null, low_income: false, key_person: true });
  u = await ok(srv.patch(`/api/v1/persons/${p.id}`, { key_person: false }));
  assert.equal(u.has_sensitive, false);
  // Several fields at once.
  await ok(srv.patch(`/api/v1/persons/${p.id}`, { phone: '13605310003', id_number: idNumber('37010219700101001') }));
  const all = await ok(reveal(p.id, ['phone', 'id_number', 'sensitive']));
  assert.equal(all.phone, '13605310003');
  assert.equal(all.id_number, idNumber('37010219700101001'));
  assert.deepEqual(all.sensitive, { health: null, disability: null, low_income: false, key_person: false });

  await fails(srv.post('/api/v1/persons', { name: 'x', health: 'x'.repeat(201) }), 400, 'health');
  await fails(srv.post('/api/v1/persons', { name: 'x', disability: 'x'.repeat(201) }), 400, 'disability');
  await fails(srv.post('/api/v1/persons', { name: 'x', low_income: 'yes' }), 400, 'low_income');
  await fails(srv.post('/api/v1/persons', { name: 'x', key_person: 1 }), 400, 'key_person');
  await fails(srv.post('/api/v1/persons', { name: 'x', health: 7 }), 400, 'health');
});

test('POST /persons/{id}/reveal names its fields: none, unknown or malformed is a 400 on "fields"', async () => {
  const id = await person({ name: '揭示', phone: '13505310004', home_node_id: T.h2 });
  for (const body of [{}, { fields: [] }, { fields: ['name'] }, { fields: ['phone', 'password'] }, { fields: 'phone' },
    { fields: [1] }, { fields: ['phone'], extra: 1 }]) {
    const r = await srv.post(`/api/v1/persons/${id}/reveal`, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    const field = errorOf(r).field;
    assert.ok(field === 'fields' || (body.extra && field === 'extra'), `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(!r.text.includes('13505310004'), r.text);
  }
  const e = await fails(srv.post(`/api/v1/persons/${id}/reveal`, '{"fields":'), 400);
  assert.equal(e.code, 'invalid_json');
  await fails(reveal('abc', ['phone']), 404);
});

test('GET /persons?phone= and ?id_number= find exact matches only', async () => {
  const y = await node('courtyard', '查找院', T.com, { kind: 'residential' });
  const b = await node('building', '1号楼', y);
  const h = await node('household', '101', b);
  const idA = idNumber('37010219800202002');
  const idB = idNumber('11010519600315003');	// ends in X
  assert.equal(idB.slice(-1), 'X');
  const a = await person({ name: '查甲', phone: '13312345678', id_number: idA, home_node_id: h });
  const c = await person({ name: '查乙', phone: '13312345679', id_number: idB, home_node_id: h });
  const d = await person({ name: '查丙', phone: '0531-86001234', home_node_id: h });
  const ids = async (qs) => (await ok(srv.get(`/api/v1/persons?${qs}`))).items.map((p) => p.id);

  assert.deepEqual(await ids('phone=13312345678'), [a]);
  assert.deepEqual(await ids(`phone=${encodeURIComponent('133 1234 5679')}`), [c]);	// normalised like the stored one
  assert.deepEqual(await ids('phone=0531-86001234'), [d]);
  assert.deepEqual(await ids('phone=1331234567'), []);	// a prefix is no match
  assert.deepEqual(await ids('phone=5678'), []);
  assert.deepEqual(await ids('phone=133****5678'), []);	// nor is the masked form
  assert.deepEqual(await ids(`id_number=${idA}`), [a]);
  assert.deepEqual(await ids(`id_number=${idB.toLowerCase()}`), [c]);
  assert.deepEqual(await ids(`id_number=${idA.slice(0, 17)}`), []);
  assert.deepEqual(await ids(`id_number=${idA}&phone=13312345679`), []);	// both must hold
  assert.deepEqual(await ids(`id_number=${idA}&under=${y}`), [a]);
  // The answers are masked like every other.
  const r = await ok(srv.get('/api/v1/persons?phone=13312345678'));
  assert.equal(r.items[0].phone, '133****5678');
  assert.equal(r.items[0].id_number, `3701**********${idA.slice(-4)}`);
  assert.ok(!JSON.stringify(r).includes('13312345678') && !JSON.stringify(r).includes(idA));
  await fails(srv.get(`/api/v1/persons?phone=${'1'.repeat(101)}`), 400, 'phone');
  await fails(srv.get(`/api/v1/persons?id_number=${'1'.repeat(101)}`), 400, 'id_number');
});

test('PATCH /persons/{id} updates, clears with null, and keeps what it does not name', async () => {
  const id = await person({
    name: '赵', phone: '13900000000', home_node_id: T.h2, party_member: true, member_org_id: T.y1Branch,
    living_org_id: T.y1Branch, tags: ['a'],
  });
  let p = await ok(srv.patch(`/api/v1/persons/${id}`, { phone: null, tags: ['b', 'c'], birth_year: 1970 }));
  assert.equal(p.phone, null);
  assert.deepEqual(p.tags, ['b', 'c']);
  assert.equal(p.birth_year, 1970);
  assert.equal(p.name, '赵');
  assert.equal(p.member_org_id, T.y1Branch);
  // The membership moves outside the tree: the id goes with it.
  p = await ok(srv.patch(`/api/v1/persons/${id}`, { member_org_name: '外单位党支部' }));
  assert.equal(p.member_org_id, null);
  assert.equal(p.member_org_name, '外单位党支部');
  // A non-member has no party fields, and cannot be given one in the same request.
  await fails(srv.patch(`/api/v1/persons/${id}`, { party_member: false, living_org_id: T.y1Branch }), 400,
    'living_org_id');
  p = await ok(srv.patch(`/api/v1/persons/${id}`, { party_member: false }));
  assert.equal(p.party_member, false);
  assert.equal(p.living_org_id, null);
  assert.equal(p.member_org_name, null);
  await fails(srv.patch(`/api/v1/persons/${id}`, { registered_on: '2020-01-01' }), 400, 'registered_on');
  p = await ok(srv.patch(`/api/v1/persons/${id}`, { home_node_id: null, birth_year: null }));
  assert.equal(p.home_node_id, null);
  assert.equal(p.subdistrict_id, null);
  assert.equal(p.birth_year, null);

  await fails(srv.patch(`/api/v1/persons/${id}`, { name: '' }), 400, 'name');
  await fails(srv.patch(`/api/v1/persons/${id}`, { gender: 'unknown' }), 400, 'gender');
  await fails(srv.patch(`/api/v1/persons/${id}`, { home_node_id: T.b1 * 1000 }), 400, 'home_node_id');
  await fails(srv.patch('/api/v1/persons/999999', { name: 'x' }), 404, 'id');
});

test('GET /persons filters by under, q, tag, party_member, living_org_id and role, and pages', async () => {
  // A fresh subtree so that other tests' persons do not count.
  const y = await node('courtyard', '列表院', T.com, { kind: 'residential' });
  const b = await node('building', '1号楼', y);
  const h = await node('household', '101', b);
  const branch = (await ok(srv.post('/api/v1/party-orgs', { node_id: y }), 201)).id;
  const a = await person({ name: '列表甲', home_node_id: h, tags: ['独居'], party_member: true, living_org_id: branch });
  const c = await person({ name: '列表乙', home_node_id: b, tags: ['独居', '残疾'] });
  const d = await person({ name: '另一人', home_node_id: y });
  await ok(srv.post('/api/v1/assignments', { person_id: d, role_code: 'building_head', node_id: b, starts_on: '2024-01-01' }), 201);

  const ids = (body) => body.items.map((p) => p.id);
  let l = await ok(srv.get(`/api/v1/persons?under=${y}`));
  assert.deepEqual(ids(l), [a, c, d]);
  assert.equal(l.total, 3);
  assert.equal(l.limit, 50);
  assert.equal(l.offset, 0);
  l = await ok(srv.get(`/api/v1/persons?under=${b}`));
  assert.deepEqual(ids(l), [a, c]);
  l = await ok(srv.get(`/api/v1/persons?under=${y}&q=${encodeURIComponent('列表')}&limit=1&offset=1`));
  assert.deepEqual(ids(l), [c]);
  assert.equal(l.total, 2);
  assert.equal(l.limit, 1);
  assert.equal(l.offset, 1);
  assert.deepEqual(l.items[0].tags, ['残疾', '独居']);
  l = await ok(srv.get(`/api/v1/persons?under=${y}&tag=${encodeURIComponent('残疾')}`));
  assert.deepEqual(ids(l), [c]);
  l = await ok(srv.get(`/api/v1/persons?under=${y}&party_member=true`));
  assert.deepEqual(ids(l), [a]);
  l = await ok(srv.get(`/api/v1/persons?under=${y}&party_member=false`));
  assert.deepEqual(ids(l), [c, d]);
  l = await ok(srv.get(`/api/v1/persons?living_org_id=${branch}`));
  assert.deepEqual(ids(l), [a]);
  l = await ok(srv.get(`/api/v1/persons?under=${y}&role=building_head`));
  assert.deepEqual(ids(l), [d]);
  l = await ok(srv.get(`/api/v1/persons?under=${y}&role=no_such_role`));
  assert.equal(l.total, 0);

  await fails(srv.get('/api/v1/persons?limit=0'), 400, 'limit');
  await fails(srv.get('/api/v1/persons?offset=-1'), 400, 'offset');
  await fails(srv.get('/api/v1/persons?party_member=maybe'), 400, 'party_member');
  await fails(srv.get('/api/v1/persons?under=x'), 400, 'under');
  await fails(srv.get(`/api/v1/persons?q=${'x'.repeat(101)}`), 400, 'q');
});

// Roles.

test('GET /roles lists the seeded dictionary; include_inactive shows the inactive', async () => {
  const l = await ok(srv.get('/api/v1/roles'));
  const codes = l.items.map((r) => r.code);
  for (const c of ['branch_secretary', 'building_head', 'unit_head', 'grid_member', 'mobile_grid_member', 'central_household']) {
    assert.ok(codes.includes(c), c);
  }
  const mobile = l.items.find((r) => r.code === 'mobile_grid_member');
  assert.equal(mobile.needs_platform, true);
  assert.equal(mobile.levels, 'community');
  assert.equal(l.total, l.items.length);
  const page = await ok(srv.get('/api/v1/roles?limit=2&offset=1'));
  assert.equal(page.items.length, 2);
  assert.equal(page.items[0].id, l.items[1].id);
  assert.equal(page.total, l.total);

  const r = await ok(srv.post('/api/v1/roles', { code: 'old_role', name: '旧角色', levels: 'courtyard', active: false }), 201);
  assert.equal(r.active, false);
  const active = await ok(srv.get('/api/v1/roles'));
  assert.ok(!active.items.some((x) => x.id === r.id));
  const all = await ok(srv.get('/api/v1/roles?include_inactive=true'));
  assert.ok(all.items.some((x) => x.id === r.id));
  assert.equal(all.total, active.total + all.items.filter((x) => !x.active).length);
  await fails(srv.get('/api/v1/roles?include_inactive=yes'), 400, 'include_inactive');
});

test('POST /roles creates a role; bad code, levels or name are 400, a taken code 409', async () => {
  const r = await ok(srv.post('/api/v1/roles', {
    code: 'patrol_member', name: '巡逻队员', name_en: 'patrol member', levels: 'building, courtyard',
  }), 201);
  assert.equal(r.code, 'patrol_member');
  assert.equal(r.levels, 'courtyard,building');
  assert.equal(r.active, true);
  assert.equal(r.needs_platform, false);
  assert.equal(r.name_en, 'patrol member');

  await fails(srv.post('/api/v1/roles', { code: 'patrol_member', name: 'x', levels: 'courtyard' }), 409, 'code');
  await fails(srv.post('/api/v1/roles', { code: 'Bad-Code', name: 'x', levels: 'courtyard' }), 400, 'code');
  await fails(srv.post('/api/v1/roles', { code: 'a'.repeat(41), name: 'x', levels: 'courtyard' }), 400, 'code');
  await fails(srv.post('/api/v1/roles', { name: 'x', levels: 'courtyard' }), 400, 'code');
  await fails(srv.post('/api/v1/roles', { code: 'r1', levels: 'courtyard' }), 400, 'name');
  await fails(srv.post('/api/v1/roles', { code: 'r1', name: 'x' }), 400, 'levels');
  await fails(srv.post('/api/v1/roles', { code: 'r1', name: 'x', levels: 'yard' }), 400, 'levels');
  await fails(srv.post('/api/v1/roles', { code: 'r1', name: 'x', levels: 'courtyard,' }), 400, 'levels');
  await fails(srv.post('/api/v1/roles', { code: 'r1', name: 'x', levels: 'courtyard', active: 'yes' }), 400, 'active');
});

test('GET and PATCH /roles/{id}', async () => {
  const r = await ok(srv.post('/api/v1/roles', { code: 'tmp_role', name: '临时', levels: 'courtyard' }), 201);
  assert.equal((await ok(srv.get(`/api/v1/roles/${r.id}`))).code, 'tmp_role');
  const u = await ok(srv.patch(`/api/v1/roles/${r.id}`, { name: '临时角色', levels: 'community', active: false }));
  assert.equal(u.name, '临时角色');
  assert.equal(u.levels, 'community');
  assert.equal(u.active, false);
  assert.equal((await ok(srv.patch(`/api/v1/roles/${r.id}`, { code: 'tmp_role' }))).code, 'tmp_role');
  await fails(srv.patch(`/api/v1/roles/${r.id}`, { code: 'other_code' }), 400, 'code');
  await fails(srv.patch(`/api/v1/roles/${r.id}`, { levels: 'nowhere' }), 400, 'levels');
  await fails(srv.patch(`/api/v1/roles/${r.id}`, { name: ' ' }), 400, 'name');
  await fails(srv.get('/api/v1/roles/999999'), 404, 'id');
  await fails(srv.patch('/api/v1/roles/999999', { name: 'x' }), 404, 'id');
});

// Role sets.

test('role sets: 三长四员 is seeded; create, get, replace roles; errors', async () => {
  const l = await ok(srv.get('/api/v1/role-sets'));
  const szsy = l.items.find((s) => s.code === 'san_zhang_si_yuan');
  assert.equal(szsy.name, '三长四员');
  assert.equal(szsy.role_ids.length, 7);
  const roles = (await ok(srv.get('/api/v1/roles'))).items;
  const id = (code) => roles.find((r) => r.code === code).id;

  const s = await ok(srv.post('/api/v1/role-sets', {
    code: 'grid_force', name: '网格力量', role_ids: [id('grid_member'), id('mobile_grid_member')],
  }), 201);
  assert.deepEqual(s.role_ids, [id('grid_member'), id('mobile_grid_member')].sort((a, b) => a - b));
  const g = await ok(srv.get(`/api/v1/role-sets/${s.id}`));
  assert.equal(g.name, '网格力量');
  const u = await ok(srv.patch(`/api/v1/role-sets/${s.id}`, { name: '网格', role_ids: [id('volunteer')] }));
  assert.deepEqual(u.role_ids, [id('volunteer')]);
  assert.equal(u.name, '网格');
  assert.equal(u.code, 'grid_force');
  const after = await ok(srv.get('/api/v1/role-sets'));
  assert.equal(after.total, l.total + 1);

  await fails(srv.post('/api/v1/role-sets', { code: 'grid_force', name: 'x' }), 409, 'code');
  await fails(srv.post('/api/v1/role-sets', { code: 'Grid', name: 'x' }), 400, 'code');
  await fails(srv.post('/api/v1/role-sets', { code: 'set2' }), 400, 'name');
  await fails(srv.post('/api/v1/role-sets', { code: 'set2', name: 'x', role_ids: [999999] }), 400, 'role_ids');
  await fails(srv.post('/api/v1/role-sets', { code: 'set2', name: 'x', role_ids: [id('volunteer'), id('volunteer')] }), 400, 'role_ids');
  await fails(srv.post('/api/v1/role-sets', { code: 'set2', name: 'x', role_ids: ['a'] }), 400, 'role_ids');
  await fails(srv.patch(`/api/v1/role-sets/${s.id}`, { code: 'renamed' }), 400, 'code');
  await fails(srv.patch(`/api/v1/role-sets/${s.id}`, { role_ids: [999999] }), 400, 'role_ids');
  await fails(srv.get('/api/v1/role-sets/999999'), 404, 'id');
  await fails(srv.patch('/api/v1/role-sets/999999', { name: 'x' }), 404, 'id');
});

// Assignments.

test('POST /assignments: a person takes a role on a node; starts_on defaults to today', async () => {
  const p = await person({ name: '孙楼长', home_node_id: T.h2 });
  const day0 = today();
  const a = await ok(srv.post('/api/v1/assignments', { person_id: p, role_code: 'unit_head', node_id: T.u1 }), 201);
  assert.equal(a.person_id, p);
  assert.equal(a.person_name, '孙楼长');
  assert.equal(a.role_code, 'unit_head');
  assert.equal(a.node_id, T.u1);
  assert.equal(a.node_name, '1单元');
  assert.equal(a.subdistrict_id, T.sub);
  assertToday(a.starts_on, day0);
  assert.equal(a.ends_on, null);
  const byId = await ok(srv.post('/api/v1/assignments', {
    person_id: p, role_id: a.role_id, node_id: T.b2, starts_on: '2024-01-01', ends_on: '2024-12-31', note: '代理',
  }), 201);
  assert.equal(byId.role_code, 'unit_head');	// unit heads may sit on a building without units
  assert.equal(byId.ends_on, '2024-12-31');
  assert.equal(byId.note, '代理');
  assert.deepEqual(await ok(srv.get(`/api/v1/assignments/${byId.id}`)), byId);
});

test('POST /assignments refuses what breaks the rules', async () => {
  const p = await person({ name: '规则', home_node_id: T.h2 });
  const post = (b) => srv.post('/api/v1/assignments', { person_id: p, ...b });
  await fails(srv.post('/api/v1/assignments', { role_code: 'building_head', node_id: T.b1 }), 400, 'person_id');
  await fails(post({ node_id: T.b1 }), 400, 'role_id');
  await fails(post({ role_code: 'building_head' }), 400, 'node_id');
  await fails(srv.post('/api/v1/assignments', { person_id: 999999, role_code: 'building_head', node_id: T.b1 }), 400, 'person_id');
  await fails(post({ role_code: 'no_such', node_id: T.b1 }), 400, 'role_code');
  await fails(post({ role_id: 999999, node_id: T.b1 }), 400, 'role_id');
  await fails(post({ role_code: 'building_head', node_id: 999999 }), 400, 'node_id');
  // The level rule names the allowed levels.
  const e = await fails(post({ role_code: 'building_head', node_id: T.h1 }), 400, 'node_id');
  assert.match(e.message, /building/);
  assert.match(e.message, /household/);
  await fails(post({ role_code: 'building_head', node_id: T.b1, starts_on: '2024-05-01', ends_on: '2024-04-30' }), 400, 'ends_on');
  await fails(post({ role_code: 'building_head', node_id: T.b1, starts_on: '2024-02-30' }), 400, 'starts_on');
  await fails(post({ role_code: 'building_head', node_id: T.b1, worker_type: 'rider' }), 400, 'worker_type');
  await fails(post({ role_code: 'building_head', node_id: T.b1, platform: '美团' }), 400, 'platform');
  // An inactive role takes no new holders.
  const r = await ok(srv.post('/api/v1/roles', { code: 'retired_role', name: '停用', levels: 'building', active: false }), 201);
  await fails(post({ role_id: r.id, node_id: T.b1 }), 400, 'role_id');
});

test('mobile grid members are couriers or riders of a platform', async () => {
  const p = await person({ name: '周骑手' });
  const post = (b) => srv.post('/api/v1/assignments', { person_id: p, role_code: 'mobile_grid_member', node_id: T.com, ...b });
  await fails(post({}), 400, 'worker_type');
  await fails(post({ worker_type: 'driver', platform: '美团' }), 400, 'worker_type');
  await fails(post({ worker_type: 'rider' }), 400, 'platform');
  await fails(post({ worker_type: 'rider', platform: '美团', node_id: T.y1 }), 400, 'node_id');
  const a = await ok(post({ worker_type: 'rider', platform: '美团' }), 201);
  assert.equal(a.worker_type, 'rider');
  assert.equal(a.platform, '美团');
  const u = await ok(srv.patch(`/api/v1/assignments/${a.id}`, { platform: '饿了么' }));
  assert.equal(u.platform, '饿了么');
  assert.equal(u.worker_type, 'rider');
});

test('the same person, role and node over overlapping days is a 409', async () => {
  const p = await person({ name: '重叠' });
  const post = (b) => srv.post('/api/v1/assignments', { person_id: p, role_code: 'building_head', node_id: T.b3, ...b });
  const first = await ok(post({ starts_on: '2023-01-01' }), 201);
  const e = await fails(post({ starts_on: '2024-01-01' }), 409, 'starts_on');
  assert.equal(e.code, 'conflict');
  await fails(post({ starts_on: '2022-01-01', ends_on: '2023-01-01' }), 409);
  await ok(post({ starts_on: '2022-01-01', ends_on: '2022-12-31' }), 201);
  // End the first; a later term no longer overlaps; reopening the first would.
  const ended = await ok(srv.patch(`/api/v1/assignments/${first.id}`, { ends_on: '2023-12-31', note: '换届' }));
  assert.equal(ended.ends_on, '2023-12-31');
  assert.equal(ended.note, '换届');
  await ok(post({ starts_on: '2024-01-01' }), 201);
  await fails(srv.patch(`/api/v1/assignments/${first.id}`, { ends_on: null }), 409);
});

test('PATCH /assignments/{id} only ends, annotates or changes the platform', async () => {
  const p = await person({ name: '改' });
  const a = await ok(srv.post('/api/v1/assignments', { person_id: p, role_code: 'courtyard_head', node_id: T.y2, starts_on: '2024-03-01' }), 201);
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { ends_on: '2024-02-28' }), 400, 'ends_on');
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { ends_on: '2024-13-01' }), 400, 'ends_on');
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { node_id: T.y1 }), 400, 'node_id');
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { person_id: p }), 400, 'person_id');
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { starts_on: '2024-01-01' }), 400, 'starts_on');
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { platform: '顺丰' }), 400, 'platform');
  await fails(srv.patch(`/api/v1/assignments/${a.id}`, { note: 'x'.repeat(201) }), 400, 'note');
  const u = await ok(srv.patch(`/api/v1/assignments/${a.id}`, { ends_on: '2024-03-01', note: '一天' }));
  assert.equal(u.ends_on, '2024-03-01');
  const cleared = await ok(srv.patch(`/api/v1/assignments/${a.id}`, { note: null }));
  assert.equal(cleared.note, null);
  assert.equal(cleared.ends_on, '2024-03-01');
  await fails(srv.patch('/api/v1/assignments/999999', { note: 'x' }), 404, 'id');
  await fails(srv.get('/api/v1/assignments/999999'), 404, 'id');
});

test('GET /assignments filters by person_id, role_id, role, node_id, under and active_on', async () => {
  const y = await node('courtyard', '任职院', T.com, { kind: 'residential' });
  const b = await node('building', '9号楼', y);
  const p = await person({ name: '甲' });
  const q = await person({ name: '乙' });
  const post = (b2) => ok(srv.post('/api/v1/assignments', b2), 201);
  const a1 = await post({ person_id: p, role_code: 'building_head', node_id: b, starts_on: '2023-01-01', ends_on: '2023-06-30' });
  const a2 = await post({ person_id: q, role_code: 'building_head', node_id: b, starts_on: '2023-07-01' });
  const a3 = await post({ person_id: q, role_code: 'courtyard_head', node_id: y, starts_on: '2023-07-01' });
  const ids = (body) => body.items.map((a) => a.id);

  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?under=${y}`))), [a1.id, a2.id, a3.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?person_id=${p}`))), [a1.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?under=${y}&role=courtyard_head`))), [a3.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?under=${y}&role_id=${a1.role_id}`))), [a1.id, a2.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?node_id=${y}`))), [a3.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?under=${y}&active_on=2023-06-30`))), [a1.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/assignments?under=${y}&active_on=2023-07-01`))), [a2.id, a3.id]);
  const page = await ok(srv.get(`/api/v1/assignments?under=${y}&limit=2&offset=2`));
  assert.deepEqual(ids(page), [a3.id]);
  assert.equal(page.total, 3);

  await fails(srv.get('/api/v1/assignments?active_on=2023-02-30'), 400, 'active_on');
  await fails(srv.get('/api/v1/assignments?person_id=0'), 400, 'person_id');
  await fails(srv.get('/api/v1/assignments?limit=501'), 400, 'limit');
});

// Care links.

test('care links: a central household looks after households of its courtyard, one at a time', async () => {
  const post = (b) => srv.post('/api/v1/care-links', b);
  await fails(post({ household_id: T.h3 }), 400, 'central_household_id');
  await fails(post({ central_household_id: T.h1 }), 400, 'household_id');
  await fails(post({ central_household_id: T.h2, household_id: T.h3 }), 400, 'central_household_id');	// no party org
  await fails(post({ central_household_id: T.b1, household_id: T.h3 }), 400, 'central_household_id');	// not a household
  await fails(post({ central_household_id: 999999, household_id: T.h3 }), 400, 'central_household_id');
  await fails(post({ central_household_id: T.h1, household_id: T.h1 }), 400, 'household_id');
  await fails(post({ central_household_id: T.h1, household_id: T.b2 }), 400, 'household_id');
  await fails(post({ central_household_id: T.h1, household_id: 999999 }), 400, 'household_id');
  await fails(post({ central_household_id: T.h1, household_id: T.h5 }), 400, 'household_id');	// other courtyard
  await fails(post({ central_household_id: T.h1, household_id: T.h3, starts_on: '2024-02-30' }), 400, 'starts_on');

  const c = await ok(post({ central_household_id: T.h1, household_id: T.h3, starts_on: '2024-01-01' }), 201);
  assert.equal(c.central_household_id, T.h1);
  assert.equal(c.household_id, T.h3);
  assert.equal(c.household_name, '101');
  assert.equal(c.starts_on, '2024-01-01');
  assert.equal(c.ends_on, null);
  assert.deepEqual(await ok(srv.get(`/api/v1/care-links/${c.id}`)), c);
  const e = await fails(post({ central_household_id: T.h1, household_id: T.h3 }), 409, 'household_id');
  assert.equal(e.code, 'conflict');

  await fails(srv.patch(`/api/v1/care-links/${c.id}`, {}), 400, 'ends_on');
  await fails(srv.patch(`/api/v1/care-links/${c.id}`, { ends_on: '2023-12-31' }), 400, 'ends_on');
  await fails(srv.patch(`/api/v1/care-links/${c.id}`, { ends_on: 'soon' }), 400, 'ends_on');
  const ended = await ok(srv.patch(`/api/v1/care-links/${c.id}`, { ends_on: '2024-06-30' }));
  assert.equal(ended.ends_on, '2024-06-30');
  await fails(srv.patch(`/api/v1/care-links/${c.id}`, { ends_on: '2024-07-30' }), 409, 'ends_on');
  await fails(srv.patch('/api/v1/care-links/999999', { ends_on: '2024-07-30' }), 404, 'id');
  await fails(srv.get('/api/v1/care-links/999999'), 404, 'id');
  const c2 = await ok(post({ central_household_id: T.h1, household_id: T.h3, starts_on: '2024-07-01' }), 201);
  // Starting today by default.
  const day0 = today();
  const c3 = await ok(post({ central_household_id: T.h1, household_id: T.h4 }), 201);
  assertToday(c3.starts_on, day0);

  const ids = (body) => body.items.map((x) => x.id);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/care-links?central_household_id=${T.h1}`))), [c.id, c2.id, c3.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/care-links?central_household_id=${T.h1}&active=true`))), [c2.id, c3.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/care-links?under=${T.u1}&active=true`))), [c2.id, c3.id]);
  assert.deepEqual(ids(await ok(srv.get(`/api/v1/care-links?under=${T.b1}`))), []);
  const page = await ok(srv.get(`/api/v1/care-links?central_household_id=${T.h1}&limit=1&offset=1`));
  assert.deepEqual(ids(page), [c2.id]);
  assert.equal(page.total, 3);
  await fails(srv.get('/api/v1/care-links?active=maybe'), 400, 'active');
  await fails(srv.get('/api/v1/care-links?central_household_id=x'), 400, 'central_household_id');

});

// Coverage.

test('GET /coverage counts buildings without a head and households without a central household', async () => {
  // Its own small community so the answers are known:
  //   c > ya: ba (ha1 central, ha2, ha3), bb > ub (hb1)
  //       yb: bc (hc1)
  const c = await node('community', '覆盖社区', T.sub);
  const ya = await node('courtyard', '甲院', c, { kind: 'residential' });
  const yb = await node('courtyard', '乙院', c, { kind: 'residential' });
  const ba = await node('building', 'A楼', ya);
  const bb = await node('building', 'B楼', ya);
  const bc = await node('building', 'C楼', yb);
  const ub = await node('unit', '1单元', bb);
  const ha1 = await node('household', 'A101', ba);
  const ha2 = await node('household', 'A102', ba);
  const ha3 = await node('household', 'A103', ba);
  const hb1 = await node('household', 'B101', ub);
  const hc1 = await node('household', 'C101', bc);
  await ok(srv.post('/api/v1/party-orgs', { node_id: ha1 }), 201);

  let r = await ok(srv.get(`/api/v1/coverage?node=${c}&on=2024-03-01`));
  assert.equal(r.node_id, c);
  assert.equal(r.on, '2024-03-01');
  assert.equal(r.buildings, 3);
  assert.equal(r.buildings_without_head, 3);
  assert.equal(r.households, 5);
  assert.equal(r.households_without_central, 4);
  assert.deepEqual(r.buildings_gaps.map((g) => g.node_id), [ba, bb, bc]);
  assert.deepEqual(r.household_gaps.map((g) => g.node_id), [ha2, ha3, hb1, hc1]);
  assert.deepEqual(r.household_gaps[2], {
    node_id: hb1, name: 'B101', code: `N${hb1}`, courtyard_id: ya, courtyard_name: '甲院',
    path: '覆盖社区 / 甲院 / B楼 / 1单元 / B101',
  });
  assert.equal(r.buildings_gaps[2].courtyard_id, yb);

  const p = await person({ name: '覆盖楼长' });
  await ok(srv.post('/api/v1/assignments', { person_id: p, role_code: 'building_head', node_id: ba, starts_on: '2024-01-01', ends_on: '2024-06-30' }), 201);
  await ok(srv.post('/api/v1/assignments', { person_id: p, role_code: 'building_head', node_id: bc, starts_on: '2024-04-01' }), 201);
  await ok(srv.post('/api/v1/assignments', { person_id: p, role_code: 'unit_head', node_id: bb, starts_on: '2024-01-01' }), 201);
  await ok(srv.post('/api/v1/care-links', { central_household_id: ha1, household_id: ha2, starts_on: '2024-02-01' }), 201);
  await ok(srv.post('/api/v1/care-links', { central_household_id: ha1, household_id: hb1, starts_on: '2024-05-01' }), 201);

  r = await ok(srv.get(`/api/v1/coverage?node=${c}&on=2024-03-01`));
  assert.equal(r.buildings_without_head, 2);	// bb (a unit head is not a building head), bc (from April)
  assert.deepEqual(r.buildings_gaps.map((g) => g.node_id), [bb, bc]);
  assert.equal(r.households_without_central, 3);
  assert.deepEqual(r.household_gaps.map((g) => g.node_id), [ha3, hb1, hc1]);

  r = await ok(srv.get(`/api/v1/coverage?node=${c}&on=2024-07-01`));
  assert.equal(r.buildings_without_head, 2);	// ba (ended June 30), bb
  assert.deepEqual(r.buildings_gaps.map((g) => g.node_id), [ba, bb]);
  assert.equal(r.households_without_central, 2);
  assert.deepEqual(r.household_gaps.map((g) => g.node_id), [ha3, hc1]);

  // A subtree, and a limit that shortens the lists but not the counts.
  r = await ok(srv.get(`/api/v1/coverage?node=${ya}&on=2024-07-01&limit=1`));
  assert.equal(r.buildings, 2);
  assert.equal(r.buildings_without_head, 2);
  assert.equal(r.buildings_gaps.length, 1);
  assert.equal(r.households, 4);
  assert.equal(r.households_without_central, 1);
  assert.deepEqual(r.household_gaps.map((g) => g.node_id), [ha3]);
  const day0 = today();
  r = await ok(srv.get(`/api/v1/coverage?node=${c}&limit=0`));
  assertToday(r.on, day0);
  assert.equal(r.buildings_without_head, 2);	// ba (ended), bb; bc's head is open-ended
  assert.equal(r.households_without_central, 2);	// ha3, hc1
  assert.deepEqual(r.buildings_gaps, []);
  assert.deepEqual(r.household_gaps, []);

  await fails(srv.get('/api/v1/coverage'), 400, 'node');
  await fails(srv.get('/api/v1/coverage?node=abc'), 400, 'node');
  await fails(srv.get('/api/v1/coverage?node=999999'), 404, 'node');
  await fails(srv.get(`/api/v1/coverage?node=${c}&on=2024-02-30`), 400, 'on');
  await fails(srv.get(`/api/v1/coverage?node=${c}&limit=501`), 400, 'limit');
});

test('every people route answers JSON errors for unknown methods and bodies that are not objects', async () => {
  await fails(srv.post('/api/v1/persons', '[1,2]'), 400);
  await fails(srv.post('/api/v1/roles', ''), 400);
  const r = await srv.req('DELETE', '/api/v1/persons/1');
  assert.equal(r.status, 405);
  const t = await srv.req('POST', '/api/v1/persons', '{"name":"x"}', { 'Content-Type': 'text/plain' });
  assert.equal(t.status, 415);
});
