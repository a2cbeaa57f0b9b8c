// org.test.mjs - black-box tests of the organisation tree API (api_org_routes):
// /api/v1/tree, /api/v1/nodes[/{id}[/tree|/history]], /api/v1/party-orgs, /api/v1/grids.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf } from './harness.mjs';

let server;

const NODE_KEYS = ['id', 'parent_id', 'subdistrict_id', 'level', 'kind', 'name', 'code', 'address', 'lat', 'lng',
  'child_count', 'created_at', 'updated_at'].sort();
const NODE_DETAIL_KEYS = [...NODE_KEYS, 'ancestors', 'party_org', 'path'].sort();
// List items say where each node is ("龙泉社区 / 君临天下小区 / 3号楼").
const NODE_LIST_ITEM_KEYS = [...NODE_KEYS, 'path'].sort();
const PARTY_KEYS = ['id', 'node_id', 'subdistrict_id', 'kind', 'name', 'secretary_person_id', 'secretary_name',
  'founded_on', 'created_at', 'updated_at'].sort();
const GRID_KEYS = ['id', 'community_id', 'subdistrict_id', 'code', 'name', 'node_ids', 'created_at', 'updated_at'].sort();
const HISTORY_KEYS = ['id', 'at', 'action', 'old_parent_id', 'new_parent_id', 'old_name', 'new_name', 'detail'].sort();
const LIST_KEYS = ['items', 'total', 'limit', 'offset'];
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const keys = (o) => Object.keys(o).sort();
let seq = 0;
const uniq = (p) => `${p}-${process.pid}-${++seq}`;

// Asserts a 400 (or other status) error naming the field; returns the error object.
function expectError(res, status, field, msgRe) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  const e = errorOf(res);
  if (field !== undefined) assert.equal(e.field, field, `error.field: ${res.text}`);
  if (msgRe) assert.match(e.message, msgRe);
  return e;
}

async function mk(body) {
  const res = await server.post('/api/v1/nodes', body);
  assert.equal(res.status, 201, `create ${JSON.stringify(body)}: ${res.status} ${res.text}`);
  return res.body;
}
const getNode = async (id) => (await server.get(`/api/v1/nodes/${id}`)).body;
async function list(query) {
  const res = await server.get(`/api/v1/nodes${query ? `?${query}` : ''}`);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.body).sort(), [...LIST_KEYS].sort());
  return res.body;
}
const ids = (items) => items.map((n) => n.id);
async function history(id) {
  const res = await server.get(`/api/v1/nodes/${id}/history`);
  assert.equal(res.status, 200, res.text);
  return res.body.items;
}

// A fixture tree shared by the read-only tests.
const T = {};

before(async () => {
  server = await startServer();
  T.s1 = await mk({ level: 'subdistrict', name: '明水街道', code: uniq('MS') });
  T.c1 = await mk({ level: 'community', name: '桃花泉社区', parent_id: T.s1.id, kind: 'urban' });
  T.y1 = await mk({ level: 'courtyard', name: '一号院', parent_id: T.c1.id, kind: 'residential' });
  T.b1 = await mk({ level: 'building', name: '1号楼', parent_id: T.y1.id });
  T.u1 = await mk({ level: 'unit', name: '1单元', parent_id: T.b1.id });
  T.h1 = await mk({ level: 'household', name: '101户', parent_id: T.u1.id });
  T.h2 = await mk({ level: 'household', name: '102户', parent_id: T.b1.id });
  T.y2 = await mk({ level: 'courtyard', name: '宿舍院', parent_id: T.c1.id, kind: 'dormitory' });
  T.c2 = await mk({ level: 'community', name: '乡村社区', parent_id: T.s1.id, kind: 'rural' });
  T.y3 = await mk({ level: 'courtyard', name: '商圈联盟', parent_id: T.c2.id, kind: 'business_alliance' });
  T.s2 = await mk({ level: 'subdistrict', name: '刁镇街道', code: uniq('DZ') });
  T.c3 = await mk({ level: 'community', name: '刁镇社区', parent_id: T.s2.id });
});

after(async () => {
  if (server) await server.stop();
});

describe('POST /api/v1/nodes', () => {
  test('creates a root subdistrict with the exact response shape', async () => {
    const code = uniq('SD');
    const res = await server.post('/api/v1/nodes', {
      level: 'subdistrict', name: '测试街道', code, address: '济南市历城区', lat: 36.68, lng: 117.06, note: 'set up',
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const n = res.body;
    assert.deepEqual(keys(n), NODE_DETAIL_KEYS);
    assert.ok(Number.isInteger(n.id) && n.id > 0);
    assert.equal(n.parent_id, null);
    assert.equal(n.subdistrict_id, n.id, 'a subdistrict is its own subdistrict');
    assert.equal(n.level, 'subdistrict');
    assert.equal(n.kind, null);
    assert.equal(n.name, '测试街道');
    assert.equal(n.code, code);
    assert.equal(n.address, '济南市历城区');
    assert.equal(n.lat, 36.68);
    assert.equal(n.lng, 117.06);
    assert.equal(n.child_count, 0);
    assert.match(n.created_at, TIME_RE);
    assert.match(n.updated_at, TIME_RE);
    assert.deepEqual(n.ancestors, []);
    assert.equal(n.party_org, null);
    // The creation is in the history with the note.
    const h = await history(n.id);
    assert.equal(h.length, 1);
    assert.deepEqual(keys(h[0]), HISTORY_KEYS);
    assert.equal(h[0].action, 'create');
    assert.equal(h[0].new_parent_id, null);
    assert.equal(h[0].new_name, '测试街道');
    assert.equal(h[0].detail, 'set up');
    assert.match(h[0].at, TIME_RE);
  });

  test('a child gets its subdistrict, ancestors root first, and a generated code when none is given', async () => {
    const n = await mk({ level: 'building', name: '9号楼', parent_id: T.y1.id });
    assert.equal(n.subdistrict_id, T.s1.id);
    assert.equal(n.parent_id, T.y1.id);
    assert.deepEqual(n.ancestors, [
      { id: T.s1.id, name: '明水街道', level: 'subdistrict' },
      { id: T.c1.id, name: '桃花泉社区', level: 'community' },
      { id: T.y1.id, name: '一号院', level: 'courtyard' },
    ]);
    assert.equal(typeof n.code, 'string');
    assert.ok(n.code.length > 0);
    assert.equal(n.lat, null);
    assert.equal(n.lng, null);
    assert.equal(n.address, null);
    // A second node without a code gets a different one.
    const m = await mk({ level: 'building', name: '10号楼', parent_id: T.y1.id });
    assert.notEqual(m.code, n.code);
  });

  test('every level may sit under the level just above; a household also directly under a building', async () => {
    assert.equal(T.c1.level, 'community');
    assert.equal(T.y1.level, 'courtyard');
    assert.equal(T.b1.level, 'building');
    assert.equal(T.u1.level, 'unit');
    assert.equal(T.h1.level, 'household');
    assert.equal(T.h2.parent_id, T.b1.id);
    assert.equal(T.h2.level, 'household');
    assert.equal(T.y3.kind, 'business_alliance');
    assert.equal(T.c2.kind, 'rural');
    assert.equal(T.c3.kind, null);
    assert.equal(T.c3.subdistrict_id, T.s2.id);
  });

  test('missing level or name gives 400 naming the field', async () => {
    expectError(await server.post('/api/v1/nodes', { name: 'x' }), 400, 'level');
    expectError(await server.post('/api/v1/nodes', { level: 'subdistrict' }), 400, 'name');
  });

  test('unknown fields give 400 naming the field', async () => {
    const e = expectError(await server.post('/api/v1/nodes', { level: 'subdistrict', name: 'x', colour: 'red' }),
      400, 'colour');
    assert.match(e.message, /colour/);
  });

  test('wrongly typed fields give 400 naming the field', async () => {
    const cases = [
      [{ level: 'community', name: 'x', parent_id: String(T.s1.id) }, 'parent_id'],
      [{ level: 'community', name: 'x', parent_id: 0 }, 'parent_id'],
      [{ level: 'community', name: 'x', parent_id: -3 }, 'parent_id'],
      [{ level: 'community', name: 'x', parent_id: 1.5 }, 'parent_id'],
      [{ level: 3, name: 'x' }, 'level'],
      [{ level: 'subdistrict', name: 42 }, 'name'],
      [{ level: 'subdistrict', name: ['x'] }, 'name'],
      [{ level: 'subdistrict', name: 'x', code: 7 }, 'code'],
      [{ level: 'subdistrict', name: 'x', address: {} }, 'address'],
      [{ level: 'subdistrict', name: 'x', lat: '36.1', lng: 117 }, 'lat'],
      [{ level: 'subdistrict', name: 'x', lat: 36, lng: true }, 'lng'],
      [{ level: 'subdistrict', name: null }, 'name'],
      [{ level: null, name: 'x' }, 'level'],
      [{ level: 'subdistrict', name: 'x', note: 5 }, 'note'],
    ];
    for (const [body, field] of cases) {
      expectError(await server.post('/api/v1/nodes', body), 400, field);
    }
  });

  test('bad values give 400 naming the field', async () => {
    const cases = [
      [{ level: 'district', name: 'x' }, 'level'],
      [{ level: 'subdistrict', name: '   ' }, 'name'],
      [{ level: 'subdistrict', name: '' }, 'name'],
      [{ level: 'subdistrict', name: 'x'.repeat(101) }, 'name'],
      [{ level: 'subdistrict', name: 'a\u0001b' }, 'name'],
      [{ level: 'subdistrict', name: 'x', code: 'has space' }, 'code'],
      [{ level: 'subdistrict', name: 'x', code: '' }, 'code'],
      [{ level: 'subdistrict', name: 'x', code: 'c'.repeat(65) }, 'code'],
      [{ level: 'subdistrict', name: 'x', lat: 91, lng: 0 }, 'lat'],
      [{ level: 'subdistrict', name: 'x', lat: 0, lng: -180.5 }, 'lng'],
      [{ level: 'subdistrict', name: 'x', lat: 10 }, 'lng'],
      [{ level: 'subdistrict', name: 'x', lng: 10 }, 'lat'],
      [{ level: 'subdistrict', name: 'x', kind: 'urban' }, 'kind'],
      [{ level: 'community', name: 'x', parent_id: T.s1.id, kind: 'suburban' }, 'kind'],
      [{ level: 'courtyard', name: 'x', parent_id: T.c1.id }, 'kind'],
      [{ level: 'courtyard', name: 'x', parent_id: T.c1.id, kind: 'urban' }, 'kind'],
      [{ level: 'building', name: 'x', parent_id: T.y1.id, kind: 'residential' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      expectError(await server.post('/api/v1/nodes', body), 400, field);
    }
  });

  test('a node of the wrong level under a parent gives 400 parent_id saying why', async () => {
    let e = expectError(await server.post('/api/v1/nodes', { level: 'building', name: 'x', parent_id: T.c1.id }),
      400, 'parent_id');
    assert.match(e.message, /building/);
    assert.match(e.message, /community/);
    assert.match(e.message, /courtyard/, 'the message says what the parent must be');
    e = expectError(await server.post('/api/v1/nodes', { level: 'unit', name: 'x', parent_id: T.y1.id }), 400, 'parent_id');
    assert.match(e.message, /building/);
    e = expectError(await server.post('/api/v1/nodes',
      { level: 'household', name: 'x', parent_id: T.y1.id }), 400, 'parent_id');
    assert.match(e.message, /unit or a building/);
    e = expectError(await server.post('/api/v1/nodes',
      { level: 'subdistrict', name: 'x', parent_id: T.s1.id }), 400, 'parent_id');
    assert.match(e.message, /root/);
    e = expectError(await server.post('/api/v1/nodes', { level: 'community', name: 'x' }), 400, 'parent_id');
    assert.match(e.message, /needs a parent/);
    e = expectError(await server.post('/api/v1/nodes',
      { level: 'community', name: 'x', parent_id: T.c1.id, kind: 'urban' }), 400, 'parent_id');
    assert.match(e.message, /subdistrict/);
  });

  test('limits count characters, not bytes; zero coordinates are coordinates', async () => {
    const name = '院'.repeat(100);
    const n = await mk({ level: 'subdistrict', name, lat: 0, lng: 0, code: 'a.b-c_9' });
    assert.equal(n.name, name);
    assert.equal(n.lat, 0);
    assert.equal(n.lng, 0);
    assert.equal(n.code, 'a.b-c_9');
    expectError(await server.post('/api/v1/nodes', { level: 'subdistrict', name: '院'.repeat(101) }), 400, 'name');
  });

  test('a refused create leaves its code free', async () => {
    const code = uniq('FREE');
    expectError(await server.post('/api/v1/nodes',
      { level: 'courtyard', name: '拒院', parent_id: T.c1.id, kind: 'palace', code }), 400, 'kind');
    expectError(await server.post('/api/v1/nodes',
      { level: 'building', name: '拒楼', parent_id: T.c1.id, code }), 400, 'parent_id');
    assert.equal((await list(`q=${code}`)).total, 0);
    const ok = await mk({ level: 'courtyard', name: '收院', parent_id: T.c1.id, kind: 'residential', code });
    assert.equal(ok.code, code);
  });

  test('a parent that does not exist gives 400 parent_id', async () => {
    const e = expectError(await server.post('/api/v1/nodes',
      { level: 'community', name: 'x', parent_id: 987654321 }), 400, 'parent_id');
    assert.match(e.message, /987654321/);
  });

  test('a duplicate code gives 409 naming code, and writes nothing', async () => {
    const code = uniq('DUP');
    await mk({ level: 'building', name: '原楼', parent_id: T.y2.id, code });
    const before = await list(`parent_id=${T.y2.id}`);
    const e = expectError(await server.post('/api/v1/nodes',
      { level: 'building', name: '重复楼', parent_id: T.y2.id, code }), 409, 'code');
    assert.equal(e.code, 'conflict');
    const afterList = await list(`parent_id=${T.y2.id}`);
    assert.equal(afterList.total, before.total);
    assert.equal((await list('q=%E9%87%8D%E5%A4%8D%E6%A5%BC')).total, 0, 'no node named 重复楼 was written');
    assert.equal((await getNode(T.y2.id)).child_count, before.total);
  });

  test('invalid JSON gives 400', async () => {
    for (const body of ['{', '{"level":"subdistrict",}', 'nope', '{"name":"a","name":"b","level":"subdistrict"}']) {
      const res = await server.post('/api/v1/nodes', body);
      assert.equal(res.status, 400, `${body}: ${res.text}`);
      errorOf(res);
    }
    for (const body of ['[]', '"x"', '3', 'null']) {
      const res = await server.post('/api/v1/nodes', body);
      assert.equal(res.status, 400, `${body}: ${res.text}`);
      errorOf(res);
    }
  });

  test('an empty body gives 400', async () => {
    const res = await server.req('POST', '/api/v1/nodes', undefined, { 'Content-Type': 'application/json' });
    assert.equal(res.status, 400, res.text);
    errorOf(res);
  });

  test('a non-JSON content type gives 415', async () => {
    const body = JSON.stringify({ level: 'subdistrict', name: '不该写入' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await server.post('/api/v1/nodes', body, { 'Content-Type': type });
      assert.equal(res.status, 415, `${type}: ${res.text}`);
      assert.equal(errorOf(res).code, 'unsupported_media_type');
    }
    assert.equal((await list('q=%E4%B8%8D%E8%AF%A5%E5%86%99%E5%85%A5')).total, 0);
  });

  test('application/json with a charset parameter is accepted', async () => {
    const res = await server.post('/api/v1/nodes', JSON.stringify({ level: 'subdistrict', name: '字符集街道' }),
      { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 201, res.text);
  });
});

describe('GET /api/v1/nodes/{id}', () => {
  test('returns the node with ancestors, child count and party organisation', async () => {
    const res = await server.get(`/api/v1/nodes/${T.b1.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(keys(res.body), NODE_DETAIL_KEYS);
    assert.equal(res.body.id, T.b1.id);
    assert.equal(res.body.name, '1号楼');
    assert.ok(res.body.child_count >= 2, 'unit and household under the building');
    assert.deepEqual(res.body.ancestors.map((a) => a.id), [T.s1.id, T.c1.id, T.y1.id]);
    for (const a of res.body.ancestors) assert.deepEqual(keys(a), ['id', 'level', 'name']);
    assert.equal(res.body.party_org, null);
  });

  test('unknown ids give 404', async () => {
    const e = expectError(await server.get('/api/v1/nodes/987654321'), 404);
    assert.equal(e.code, 'not_found');
  });

  test('non-numeric and non-positive ids give 404', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999999', '%20', '1abc', '0x10']) {
      const res = await server.get(`/api/v1/nodes/${id}`);
      assert.equal(res.status, 404, `${id}: ${res.text}`);
      errorOf(res);
    }
  });
});

describe('GET /api/v1/nodes (list)', () => {
  test('returns the list envelope with default paging', async () => {
    const res = await server.get('/api/v1/nodes');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [...LIST_KEYS].sort());
    assert.equal(res.body.limit, 50);
    assert.equal(res.body.offset, 0);
    assert.ok(res.body.total >= 12);
    for (const n of res.body.items) assert.deepEqual(keys(n), NODE_LIST_ITEM_KEYS);
  });

  test('filters by parent_id (direct children only)', async () => {
    const r = await list(`parent_id=${T.c1.id}`);
    const got = ids(r.items);
    assert.ok(got.includes(T.y1.id) && got.includes(T.y2.id));
    assert.ok(!got.includes(T.b1.id), 'grandchildren are not direct children');
    assert.ok(r.items.every((n) => n.parent_id === T.c1.id));
    assert.equal(r.total, r.items.length);
  });

  test('filters by under (the whole subtree, the node itself excluded)', async () => {
    const r = await list(`under=${T.y1.id}&limit=500`);
    const got = ids(r.items);
    for (const n of [T.b1, T.u1, T.h1, T.h2]) assert.ok(got.includes(n.id), `${n.name} is under 一号院`);
    assert.ok(!got.includes(T.y1.id), 'the node itself is excluded');
    assert.ok(!got.includes(T.y2.id));
    const all = await list(`under=${T.s1.id}&limit=500`);
    assert.ok(!ids(all.items).includes(T.c3.id), 'another subdistrict is not under 明水');
    assert.ok(ids(all.items).includes(T.y3.id));
  });

  test('filters by roots', async () => {
    const r = await list('roots=true&limit=500');
    assert.ok(r.items.length >= 2);
    assert.ok(r.items.every((n) => n.parent_id === null && n.level === 'subdistrict'));
    assert.ok(ids(r.items).includes(T.s1.id) && ids(r.items).includes(T.s2.id));
    const r1 = await list('roots=1&limit=500');
    assert.deepEqual(ids(r1.items), ids(r.items));
    const r0 = await list('roots=false&limit=1');
    assert.ok(r0.total > r.total, 'roots=false does not filter');
  });

  test('filters by level', async () => {
    const r = await list('level=courtyard&limit=500');
    assert.ok(r.items.length >= 3);
    assert.ok(r.items.every((n) => n.level === 'courtyard'));
    const h = await list(`level=household&under=${T.s1.id}`);
    assert.deepEqual(ids(h.items).sort(), [T.h1.id, T.h2.id].sort());
  });

  test('filters by kind', async () => {
    const r = await list(`kind=dormitory&under=${T.s1.id}`);
    assert.deepEqual(ids(r.items), [T.y2.id]);
    const rural = await list('kind=rural&limit=500');
    assert.ok(rural.items.every((n) => n.kind === 'rural'));
    assert.ok(ids(rural.items).includes(T.c2.id));
  });

  test('filters by q on name or code', async () => {
    const r = await list(`q=${encodeURIComponent('桃花泉')}`);
    assert.deepEqual(ids(r.items), [T.c1.id]);
    const byCode = await list(`q=${encodeURIComponent(T.s2.code)}`);
    assert.deepEqual(ids(byCode.items), [T.s2.id]);
    // No wildcard meaning: % and _ are literal.
    assert.equal((await list('q=%25')).total, 0);
    const none = await list('q=zzz-no-such-node');
    assert.equal(none.total, 0);
    assert.deepEqual(none.items, []);
  });

  test('filters combine', async () => {
    const r = await list(`under=${T.s1.id}&level=courtyard&kind=residential`);
    assert.ok(ids(r.items).includes(T.y1.id));
    assert.ok(r.items.every((n) => n.level === 'courtyard' && n.kind === 'residential' && n.subdistrict_id === T.s1.id));
    const r2 = await list(`parent_id=${T.c1.id}&q=${encodeURIComponent('宿舍')}`);
    assert.deepEqual(ids(r2.items), [T.y2.id]);
  });

  test('pages with limit and offset: stable, complete, no duplicates, total unchanged', async () => {
    const full = await list(`under=${T.s1.id}&limit=500`);
    assert.ok(full.total >= 10);
    const seen = [];
    for (let offset = 0; offset < full.total; offset += 3) {
      const p = await list(`under=${T.s1.id}&limit=3&offset=${offset}`);
      assert.equal(p.limit, 3);
      assert.equal(p.offset, offset);
      assert.equal(p.total, full.total);
      assert.ok(p.items.length <= 3);
      seen.push(...ids(p.items));
    }
    assert.deepEqual(seen, ids(full.items));
    const past = await list(`under=${T.s1.id}&limit=3&offset=${full.total + 10}`);
    assert.deepEqual(past.items, []);
    assert.equal(past.total, full.total);
    const max = await list('limit=500');
    assert.equal(max.limit, 500);
  });

  test('bad query parameters give 400 naming the parameter', async () => {
    const cases = [
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=-1', 'limit'], ['limit=abc', 'limit'], ['limit=1.5', 'limit'],
      ['offset=-1', 'offset'], ['offset=x', 'offset'],
      ['level=bogus', 'level'], ['level=Courtyard', 'level'],
      ['parent_id=0', 'parent_id'], ['parent_id=abc', 'parent_id'],
      ['under=0', 'under'], ['under=-5', 'under'], ['under=x', 'under'],
      ['roots=maybe', 'roots'], ['roots=yes', 'roots'],
      ['q=%FF', 'q'],
    ];
    for (const [q, field] of cases) {
      const res = await server.get(`/api/v1/nodes?${q}`);
      expectError(res, 400, field);
    }
  });
});

describe('GET /api/v1/tree and /api/v1/nodes/{id}/tree', () => {
  test('/tree lists the roots with two levels nested below them (default depth 2)', async () => {
    const res = await server.get('/api/v1/tree');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['items']);
    const s1 = res.body.items.find((n) => n.id === T.s1.id);
    assert.ok(s1, 'the subdistrict is a root');
    assert.ok(res.body.items.every((n) => n.parent_id === null));
    assert.deepEqual(keys(s1), [...NODE_KEYS, 'children'].sort());
    assert.deepEqual(ids(s1.children).sort(), [T.c1.id, T.c2.id].sort());
    for (const c of s1.children) {
      assert.equal(c.parent_id, T.s1.id);
      assert.ok(Array.isArray(c.children), 'depth 2 reaches the courtyards');
      for (const y of c.children) assert.equal(y.children, undefined, 'and stops below them');
    }
  });

  test('/tree?depth=1 gives the roots and their children; depth counts levels below the roots as on /nodes/{id}/tree', async () => {
    const d1 = await server.get('/api/v1/tree?depth=1');
    assert.equal(d1.status, 200);
    const r1 = d1.body.items.find((n) => n.id === T.s1.id);
    assert.deepEqual(ids(r1.children).sort(), [T.c1.id, T.c2.id].sort());
    assert.ok(r1.children.every((n) => n.children === undefined));
    const d3 = await server.get('/api/v1/tree?depth=3');
    const s1 = d3.body.items.find((n) => n.id === T.s1.id);
    const c1 = s1.children.find((n) => n.id === T.c1.id);
    const y1 = c1.children.find((n) => n.id === T.y1.id);
    assert.ok(y1 && ids(y1.children).includes(T.b1.id), 'depth 3 reaches the buildings');
  });

  test('/nodes/{id}/tree nests to the given depth', async () => {
    const d1 = await server.get(`/api/v1/nodes/${T.y1.id}/tree?depth=1`);
    assert.equal(d1.status, 200);
    assert.deepEqual(keys(d1.body), [...NODE_KEYS, 'children'].sort());
    assert.equal(d1.body.id, T.y1.id);
    const b1 = d1.body.children.find((n) => n.id === T.b1.id);
    assert.ok(b1);
    assert.equal(b1.children, undefined);

    const d3 = await server.get(`/api/v1/nodes/${T.y1.id}/tree?depth=3`);
    const b = d3.body.children.find((n) => n.id === T.b1.id);
    assert.deepEqual(ids(b.children).sort(), [T.u1.id, T.h2.id].sort());
    const u = b.children.find((n) => n.id === T.u1.id);
    assert.deepEqual(ids(u.children), [T.h1.id]);
    assert.equal(u.children[0].children, undefined, 'a household has no children');

    const dflt = await server.get(`/api/v1/nodes/${T.y1.id}/tree`);
    const b2 = dflt.body.children.find((n) => n.id === T.b1.id);
    assert.ok(Array.isArray(b2.children), 'default depth 2 includes grandchildren');
    assert.ok(b2.children.every((n) => n.children === undefined));
  });

  test('a leaf has an empty children list', async () => {
    const res = await server.get(`/api/v1/nodes/${T.h1.id}/tree`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.children, []);
  });

  test('bad depth gives 400; unknown or non-numeric ids give 404', async () => {
    for (const d of ['0', '7', 'x', '-1']) {
      expectError(await server.get(`/api/v1/nodes/${T.s1.id}/tree?depth=${d}`), 400, 'depth');
      expectError(await server.get(`/api/v1/tree?depth=${d}`), 400, 'depth');
    }
    expectError(await server.get('/api/v1/nodes/987654321/tree'), 404);
    expectError(await server.get('/api/v1/nodes/abc/tree'), 404);
  });
});

describe('PATCH /api/v1/nodes/{id}', () => {
  test('updates name, code, address, kind and coordinates, answering the full node', async () => {
    const y = await mk({ level: 'courtyard', name: '改名院', parent_id: T.c2.id, kind: 'residential' });
    const code = uniq('YD');
    const res = await server.patch(`/api/v1/nodes/${y.id}`, {
      name: '新名院', code, address: '工业北路1号', kind: 'dormitory', lat: 36.7, lng: 117.1,
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(keys(res.body), NODE_DETAIL_KEYS);
    assert.equal(res.body.name, '新名院');
    assert.equal(res.body.code, code);
    assert.equal(res.body.address, '工业北路1号');
    assert.equal(res.body.kind, 'dormitory');
    assert.equal(res.body.lat, 36.7);
    assert.equal(res.body.lng, 117.1);
    assert.equal(res.body.parent_id, T.c2.id);
    assert.equal(res.body.level, 'courtyard');
    assert.equal(res.body.created_at, y.created_at);
    const g = await getNode(y.id);
    assert.equal(g.name, '新名院');
    assert.equal(g.code, code);
    // Clearing address and coordinates with null; other fields stay.
    const cleared = await server.patch(`/api/v1/nodes/${y.id}`, { address: null, lat: null, lng: null });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.address, null);
    assert.equal(cleared.body.lat, null);
    assert.equal(cleared.body.lng, null);
    assert.equal(cleared.body.name, '新名院');
    assert.equal(cleared.body.kind, 'dormitory');
  });

  test('renames are recorded in the history, in order, with the note', async () => {
    const y = await mk({ level: 'courtyard', name: '甲院', parent_id: T.c2.id, kind: 'residential' });
    assert.equal((await server.patch(`/api/v1/nodes/${y.id}`, { name: '乙院', note: '居民投票改名' })).status, 200);
    assert.equal((await server.patch(`/api/v1/nodes/${y.id}`, { name: '丙院' })).status, 200);
    const h = await history(y.id);
    assert.deepEqual(h.map((c) => c.action), ['create', 'rename', 'rename']);
    assert.equal(h[1].old_name, '甲院');
    assert.equal(h[1].new_name, '乙院');
    assert.equal(h[1].detail, '居民投票改名');
    assert.equal(h[2].old_name, '乙院');
    assert.equal(h[2].new_name, '丙院');
    assert.ok(h[0].id < h[1].id && h[1].id < h[2].id);
    for (const c of h) assert.deepEqual(keys(c), HISTORY_KEYS);
  });

  test('a no-op patch changes nothing and adds no history', async () => {
    const y = await mk({ level: 'courtyard', name: '静院', parent_id: T.c2.id, kind: 'residential' });
    const r1 = await server.patch(`/api/v1/nodes/${y.id}`, {});
    assert.equal(r1.status, 200, r1.text);
    const r2 = await server.patch(`/api/v1/nodes/${y.id}`, { name: '静院', parent_id: T.c2.id });
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.body.name, '静院');
    assert.deepEqual((await history(y.id)).map((c) => c.action), ['create']);
  });

  test('other changes are recorded as an update', async () => {
    const y = await mk({ level: 'courtyard', name: '更新院', parent_id: T.c2.id, kind: 'residential' });
    assert.equal((await server.patch(`/api/v1/nodes/${y.id}`, { kind: 'dormitory' })).status, 200);
    const h = await history(y.id);
    assert.deepEqual(h.map((c) => c.action), ['create', 'update']);
    assert.match(h[1].detail, /dormitory/);
  });

  test('a move updates subtree listings, ancestors, child counts, and is recorded in the history', async () => {
    const y = await mk({ level: 'courtyard', name: '搬迁院', parent_id: T.c1.id, kind: 'residential' });
    const b = await mk({ level: 'building', name: '搬迁楼', parent_id: y.id });
    const h = await mk({ level: 'household', name: '搬迁户', parent_id: b.id });
    const c1Before = (await getNode(T.c1.id)).child_count;
    const c2Before = (await getNode(T.c2.id)).child_count;

    const res = await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: T.c2.id, note: '区划调整' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.parent_id, T.c2.id);
    assert.deepEqual(res.body.ancestors.map((a) => a.id), [T.s1.id, T.c2.id]);

    const underC1 = ids((await list(`under=${T.c1.id}&limit=500`)).items);
    const underC2 = ids((await list(`under=${T.c2.id}&limit=500`)).items);
    for (const n of [y, b, h]) {
      assert.ok(!underC1.includes(n.id), `${n.name} left the old community's subtree`);
      assert.ok(underC2.includes(n.id), `${n.name} is in the new community's subtree`);
    }
    assert.ok(ids((await list(`under=${T.s1.id}&limit=500`)).items).includes(h.id));
    assert.deepEqual(ids((await list(`under=${y.id}`)).items).sort(), [b.id, h.id].sort());
    assert.ok(ids((await list(`parent_id=${T.c2.id}&limit=500`)).items).includes(y.id));
    assert.ok(!ids((await list(`parent_id=${T.c1.id}&limit=500`)).items).includes(y.id));
    // Descendants see their new ancestors.
    assert.deepEqual((await getNode(h.id)).ancestors.map((a) => a.id), [T.s1.id, T.c2.id, y.id, b.id]);
    assert.equal((await getNode(T.c1.id)).child_count, c1Before - 1);
    assert.equal((await getNode(T.c2.id)).child_count, c2Before + 1);
    // The tree endpoint agrees.
    const tree = await server.get(`/api/v1/nodes/${T.c2.id}/tree?depth=3`);
    const ty = tree.body.children.find((n) => n.id === y.id);
    assert.ok(ty);
    assert.deepEqual(ids(ty.children), [b.id]);
    assert.deepEqual(ids(ty.children[0].children), [h.id]);

    const hist = await history(y.id);
    assert.deepEqual(hist.map((c) => c.action), ['create', 'move']);
    assert.equal(hist[1].old_parent_id, T.c1.id);
    assert.equal(hist[1].new_parent_id, T.c2.id);
    assert.equal(hist[1].detail, '区划调整');

    // Move back, with a rename in the same request: both are recorded.
    const back = await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: T.c1.id, name: '回迁院' });
    assert.equal(back.status, 200, back.text);
    const hist2 = await history(y.id);
    assert.deepEqual(hist2.map((c) => c.action).sort(), ['create', 'move', 'move', 'rename'].sort());
    const mv = hist2.filter((c) => c.action === 'move')[1];
    assert.equal(mv.old_parent_id, T.c2.id);
    assert.equal(mv.new_parent_id, T.c1.id);
    const rn = hist2.find((c) => c.action === 'rename');
    assert.equal(rn.old_name, '搬迁院');
    assert.equal(rn.new_name, '回迁院');
    assert.ok(ids((await list(`under=${T.c1.id}&limit=500`)).items).includes(h.id));
    assert.ok(!ids((await list(`under=${T.c2.id}&limit=500`)).items).includes(h.id));
  });

  test('a household can move between a unit and a building', async () => {
    const h = await mk({ level: 'household', name: '流动户', parent_id: T.u1.id });
    const r = await server.patch(`/api/v1/nodes/${h.id}`, { parent_id: T.b1.id });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.parent_id, T.b1.id);
    assert.ok(!ids((await list(`under=${T.u1.id}`)).items).includes(h.id));
  });

  test('cycles are refused with 400 parent_id and nothing changes', async () => {
    const y = await mk({ level: 'courtyard', name: '环院', parent_id: T.c2.id, kind: 'residential' });
    const b = await mk({ level: 'building', name: '环楼', parent_id: y.id });
    const u = await mk({ level: 'unit', name: '环单元', parent_id: b.id });
    let e = expectError(await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: y.id }), 400, 'parent_id');
    assert.match(e.message, /own parent/);
    e = expectError(await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: b.id, name: '环院改' }), 400, 'parent_id');
    assert.match(e.message, /cycle/);
    expectError(await server.patch(`/api/v1/nodes/${b.id}`, { parent_id: u.id }), 400, 'parent_id');
    const g = await getNode(y.id);
    assert.equal(g.parent_id, T.c2.id);
    assert.equal(g.name, '环院');
    assert.equal((await getNode(b.id)).parent_id, y.id);
    assert.deepEqual((await history(y.id)).map((c) => c.action), ['create']);
  });

  test('a move to the wrong level gives 400 parent_id saying why, and nothing changes', async () => {
    const b = await mk({ level: 'building', name: '错位楼', parent_id: T.y2.id });
    const e = expectError(await server.patch(`/api/v1/nodes/${b.id}`, { parent_id: T.c1.id, name: '错位楼改' }),
      400, 'parent_id');
    assert.match(e.message, /building/);
    assert.match(e.message, /community/);
    assert.match(e.message, /courtyard/);
    const g = await getNode(b.id);
    assert.equal(g.parent_id, T.y2.id);
    assert.equal(g.name, '错位楼');
    assert.deepEqual((await history(b.id)).map((c) => c.action), ['create']);
  });

  test('a move to another subdistrict, to a missing parent, or making a root is refused', async () => {
    const y = await mk({ level: 'courtyard', name: '跨街院', parent_id: T.c1.id, kind: 'residential' });
    expectError(await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: T.c3.id }), 400, 'parent_id');
    expectError(await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: 987654321 }), 400, 'parent_id');
    expectError(await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: null }), 400, 'parent_id');
    expectError(await server.patch(`/api/v1/nodes/${T.s2.id}`, { parent_id: T.s1.id }), 400, 'parent_id');
    assert.equal((await getNode(y.id)).parent_id, T.c1.id);
    assert.ok(!ids((await list(`under=${T.s2.id}&limit=500`)).items).includes(y.id));
    assert.equal((await getNode(T.s2.id)).parent_id, null);
  });

  test('kind: null clears an optional kind, or is refused where a kind is required; never silently ignored', async () => {
    const c = await mk({ level: 'community', name: '清空社区', parent_id: T.s1.id, kind: 'urban' });
    const rc = await server.patch(`/api/v1/nodes/${c.id}`, { kind: null });
    if (rc.status === 200) {
      assert.equal(rc.body.kind, null, `PATCH {kind:null} on a community answered 200 but kept kind '${rc.body.kind}'`);
    } else {
      expectError(rc, 400, 'kind');
    }
    const y = await mk({ level: 'courtyard', name: '必填院', parent_id: c.id, kind: 'residential' });
    const ry = await server.patch(`/api/v1/nodes/${y.id}`, { kind: null });
    assert.equal(ry.status, 400, `a courtyard needs a kind: PATCH {kind:null} answered ${ry.status} ${ry.text}`);
    assert.equal(errorOf(ry).field, 'kind');
    assert.equal((await getNode(y.id)).kind, 'residential');
  });

  test('the level cannot change', async () => {
    const e = expectError(await server.patch(`/api/v1/nodes/${T.y2.id}`, { level: 'building' }), 400, 'level');
    assert.match(e.message, /level/);
    expectError(await server.patch(`/api/v1/nodes/${T.y2.id}`, { level: 'nonsense' }), 400, 'level');
    assert.equal((await getNode(T.y2.id)).level, 'courtyard');
  });

  test('bad fields give 400 naming the field, and nothing is half-written', async () => {
    const y = await mk({ level: 'courtyard', name: '校验院', parent_id: T.c2.id, kind: 'residential', code: uniq('CHK') });
    const cases = [
      [{ name: '半写院', colour: 'red' }, 'colour'],
      [{ name: '半写院', kind: 'urban' }, 'kind'],
      [{ name: '半写院', code: 'bad code' }, 'code'],
      [{ name: '半写院', lat: 100, lng: 0 }, 'lat'],
      [{ name: '半写院', lat: 10 }, 'lng'],
      [{ name: '   ' }, 'name'],
      [{ name: null }, 'name'],
      [{ name: 5 }, 'name'],
      [{ name: '半写院', parent_id: 'x' }, 'parent_id'],
      [{ name: '半写院', kind: null, address: 'x'.repeat(201) }, 'address'],
    ];
    for (const [body, field] of cases) {
      expectError(await server.patch(`/api/v1/nodes/${y.id}`, body), 400, field);
    }
    const g = await getNode(y.id);
    assert.equal(g.name, '校验院');
    assert.equal(g.kind, 'residential');
    assert.equal(g.code, y.code);
    assert.deepEqual((await history(y.id)).map((c) => c.action), ['create']);
  });

  test('a code already used by another node gives 409, and nothing is half-written', async () => {
    const a = await mk({ level: 'building', name: '甲楼', parent_id: T.y2.id, code: uniq('A') });
    const b = await mk({ level: 'building', name: '乙楼', parent_id: T.y2.id, code: uniq('B') });
    const e = expectError(await server.patch(`/api/v1/nodes/${b.id}`, { code: a.code, name: '乙楼改' }), 409, 'code');
    assert.equal(e.code, 'conflict');
    const g = await getNode(b.id);
    assert.equal(g.code, b.code);
    assert.equal(g.name, '乙楼');
    // Setting a node's own code again is fine.
    assert.equal((await server.patch(`/api/v1/nodes/${a.id}`, { code: a.code })).status, 200);
  });

  test('unknown and non-numeric ids give 404; bad bodies 400/415', async () => {
    expectError(await server.patch('/api/v1/nodes/987654321', { name: 'x' }), 404);
    expectError(await server.patch('/api/v1/nodes/abc', { name: 'x' }), 404);
    expectError(await server.patch('/api/v1/nodes/0', { name: 'x' }), 404);
    expectError(await server.patch(`/api/v1/nodes/${T.y2.id}`, '{"name":'), 400);
    expectError(await server.patch(`/api/v1/nodes/${T.y2.id}`, '[1]'), 400);
    const r = await server.patch(`/api/v1/nodes/${T.y2.id}`, JSON.stringify({ name: 'x' }), { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415, r.text);
    errorOf(r);
    assert.equal((await getNode(T.y2.id)).name, '宿舍院');
  });
});

describe('GET /api/v1/nodes/{id}/history', () => {
  test('unknown and non-numeric ids give 404', async () => {
    expectError(await server.get('/api/v1/nodes/987654321/history'), 404);
    expectError(await server.get('/api/v1/nodes/x/history'), 404);
  });

  test('the envelope is {items} with the creation first', async () => {
    const res = await server.get(`/api/v1/nodes/${T.h1.id}/history`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['items']);
    assert.equal(res.body.items[0].action, 'create');
    assert.equal(res.body.items[0].new_parent_id, T.u1.id);
    assert.equal(res.body.items[0].new_name, '101户');
    assert.equal(res.body.items[0].old_parent_id, null);
  });
});

describe('party organisations', () => {
  test('create takes the node name and level suffix by default, with the exact shape', async () => {
    const y = await mk({ level: 'courtyard', name: '党建院', parent_id: T.c1.id, kind: 'residential' });
    const res = await server.post('/api/v1/party-orgs', { node_id: y.id });
    assert.equal(res.status, 201, res.text);
    const p = res.body;
    assert.deepEqual(keys(p), PARTY_KEYS);
    assert.equal(p.node_id, y.id);
    assert.equal(p.subdistrict_id, T.s1.id);
    assert.equal(p.kind, 'courtyard_branch');
    assert.equal(p.name, '党建院党支部');
    assert.equal(p.secretary_person_id, null);
    assert.equal(p.secretary_name, null);
    assert.equal(p.founded_on, null);
    assert.match(p.created_at, TIME_RE);
    // The node shows its party organisation.
    assert.deepEqual((await getNode(y.id)).party_org, p);
    const g = await server.get(`/api/v1/party-orgs/${p.id}`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body, p);
  });

  test('the kind follows the level of the node', async () => {
    const expect = [
      [T.s2, 'working_committee', '刁镇街道党工委'],
      [T.c3, 'general_branch', '刁镇社区党总支'],
      [T.b1, 'building_group', '1号楼党小组'],
      [T.h1, 'central_household', '101户党员中心户'],
    ];
    for (const [node, kind, name] of expect) {
      const r = await server.post('/api/v1/party-orgs', { node_id: node.id });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.kind, kind);
      assert.equal(r.body.name, name);
    }
  });

  test('an explicit name and founding date are kept', async () => {
    const y = await mk({ level: 'courtyard', name: '命名院', parent_id: T.c2.id, kind: 'residential' });
    const r = await server.post('/api/v1/party-orgs', { node_id: y.id, name: '红色院落党支部', founded_on: '2024-02-29' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.name, '红色院落党支部');
    assert.equal(r.body.founded_on, '2024-02-29');
  });

  test('create failures: missing, unknown or wrong-level node, duplicate, bad fields', async () => {
    const y = await mk({ level: 'courtyard', name: '校验党院', parent_id: T.c2.id, kind: 'residential' });
    expectError(await server.post('/api/v1/party-orgs', {}), 400, 'node_id');
    expectError(await server.post('/api/v1/party-orgs', { node_id: 'x' }), 400, 'node_id');
    expectError(await server.post('/api/v1/party-orgs', { node_id: 987654321 }), 400, 'node_id');
    expectError(await server.post('/api/v1/party-orgs', { node_id: T.u1.id }), 400, 'node_id', /unit/);
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, founded_on: '2019-13-01' }), 400, 'founded_on');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, founded_on: '01/07/2019' }), 400, 'founded_on');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, founded_on: '2023-02-29' }), 400, 'founded_on');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, founded_on: '2024-02-30' }), 400, 'founded_on');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, founded_on: 20190701 }), 400, 'founded_on');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, founded_on: '2999-01-01' }), 400, 'founded_on');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, name: '' }), 400, 'name');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, name: 'x'.repeat(101) }), 400, 'name');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, secretary_person_id: 987654321 }), 400,
      'secretary_person_id');
    expectError(await server.post('/api/v1/party-orgs', { node_id: y.id, chair: 'x' }), 400, 'chair');
    // Nothing was written by any of those.
    assert.equal((await getNode(y.id)).party_org, null);
    const ok = await server.post('/api/v1/party-orgs', { node_id: y.id });
    assert.equal(ok.status, 201, ok.text);
    const dup = await server.post('/api/v1/party-orgs', { node_id: y.id, name: '第二个' });
    expectError(dup, 409, 'node_id');
    assert.equal((await getNode(y.id)).party_org.name, '校验党院党支部');
    const bad = await server.post('/api/v1/party-orgs', JSON.stringify({ node_id: y.id }), { 'Content-Type': 'text/plain' });
    assert.equal(bad.status, 415);
    expectError(await server.post('/api/v1/party-orgs', '{nope'), 400);
  });

  test('patch updates name and founding date; clears with null; node_id cannot change', async () => {
    const y = await mk({ level: 'courtyard', name: '改党院', parent_id: T.c2.id, kind: 'residential' });
    const p = (await server.post('/api/v1/party-orgs', { node_id: y.id })).body;
    let r = await server.patch(`/api/v1/party-orgs/${p.id}`, { name: '改后党支部', founded_on: '2020-05-04' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(keys(r.body), PARTY_KEYS);
    assert.equal(r.body.name, '改后党支部');
    assert.equal(r.body.founded_on, '2020-05-04');
    assert.equal(r.body.node_id, y.id);
    r = await server.patch(`/api/v1/party-orgs/${p.id}`, { founded_on: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.founded_on, null);
    assert.equal(r.body.name, '改后党支部');
    const other = await mk({ level: 'courtyard', name: '别院', parent_id: T.c2.id, kind: 'residential' });
    expectError(await server.patch(`/api/v1/party-orgs/${p.id}`, { node_id: other.id, name: '半写' }), 400, 'node_id');
    expectError(await server.patch(`/api/v1/party-orgs/${p.id}`, { name: '半写', founded_on: '2999-01-01' }), 400, 'founded_on');
    expectError(await server.patch(`/api/v1/party-orgs/${p.id}`, { name: '半写', secretary_person_id: 987654321 }), 400,
      'secretary_person_id');
    expectError(await server.patch(`/api/v1/party-orgs/${p.id}`, { name: '' }), 400, 'name');
    const g = (await server.get(`/api/v1/party-orgs/${p.id}`)).body;
    assert.equal(g.name, '改后党支部');
    assert.equal(g.node_id, y.id);
    expectError(await server.patch('/api/v1/party-orgs/987654321', { name: 'x' }), 404);
    expectError(await server.patch('/api/v1/party-orgs/x', { name: 'x' }), 404);
  });

  test('a secretary who exists is shown by name', async () => {
    const y = await mk({ level: 'courtyard', name: '书记院', parent_id: T.c2.id, kind: 'residential' });
    const p = (await server.post('/api/v1/party-orgs', { node_id: y.id })).body;
    const made = await server.post('/api/v1/persons', { name: '王书记' });
    assert.equal(made.status, 201, made.text);
    const pid = made.body.id;
    const res = await server.patch(`/api/v1/party-orgs/${p.id}`, { secretary_person_id: pid });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.secretary_person_id, pid);
    assert.equal(res.body.secretary_name, '王书记');
    const cleared = await server.patch(`/api/v1/party-orgs/${p.id}`, { secretary_person_id: null });
    assert.equal(cleared.body.secretary_person_id, null);
    assert.equal(cleared.body.secretary_name, null);
  });

  test('GET unknown or non-numeric ids give 404', async () => {
    expectError(await server.get('/api/v1/party-orgs/987654321'), 404);
    expectError(await server.get('/api/v1/party-orgs/abc'), 404);
    expectError(await server.get('/api/v1/party-orgs/0'), 404);
  });

  test('list filters by under and kind, pages, and rejects bad parameters', async () => {
    const all = await server.get('/api/v1/party-orgs?limit=500');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body).sort(), [...LIST_KEYS].sort());
    assert.ok(all.body.total >= 5);
    for (const p of all.body.items) assert.deepEqual(keys(p), PARTY_KEYS);

    const underS2 = await server.get(`/api/v1/party-orgs?under=${T.s2.id}`);
    assert.deepEqual(underS2.body.items.map((p) => p.node_id).sort(), [T.s2.id, T.c3.id].sort(),
      'under includes the node itself and its subtree');
    const branches = await server.get(`/api/v1/party-orgs?kind=courtyard_branch&under=${T.s1.id}&limit=500`);
    assert.ok(branches.body.items.length >= 1);
    assert.ok(branches.body.items.every((p) => p.kind === 'courtyard_branch' && p.subdistrict_id === T.s1.id));

    const seen = [];
    for (let offset = 0; offset < all.body.total; offset += 2) {
      const pg = await server.get(`/api/v1/party-orgs?limit=2&offset=${offset}`);
      assert.equal(pg.body.total, all.body.total);
      assert.equal(pg.body.limit, 2);
      seen.push(...pg.body.items.map((p) => p.id));
    }
    assert.deepEqual(seen, all.body.items.map((p) => p.id));

    for (const [q, field] of [['kind=branch', 'kind'], ['under=0', 'under'], ['under=x', 'under'], ['limit=0', 'limit'],
      ['limit=501', 'limit'], ['offset=-2', 'offset']]) {
      expectError(await server.get(`/api/v1/party-orgs?${q}`), 400, field);
    }
  });
});

describe('grids', () => {
  let comm, ya, yb, bldg, otherY;

  before(async () => {
    comm = await mk({ level: 'community', name: '网格社区', parent_id: T.s1.id, kind: 'urban' });
    ya = await mk({ level: 'courtyard', name: '网格甲院', parent_id: comm.id, kind: 'residential' });
    yb = await mk({ level: 'courtyard', name: '网格乙院', parent_id: comm.id, kind: 'residential' });
    bldg = await mk({ level: 'building', name: '网格楼', parent_id: ya.id });
    otherY = await mk({ level: 'courtyard', name: '外院', parent_id: T.c2.id, kind: 'residential' });
  });

  test('create answers 201 with the exact shape; get returns the same', async () => {
    const res = await server.post('/api/v1/grids', {
      community_id: comm.id, code: '370112001001001', name: '第一网格', node_ids: [bldg.id, yb.id],
    });
    assert.equal(res.status, 201, res.text);
    const g = res.body;
    assert.deepEqual(keys(g), GRID_KEYS);
    assert.equal(g.community_id, comm.id);
    assert.equal(g.subdistrict_id, T.s1.id);
    assert.equal(g.code, '370112001001001');
    assert.equal(g.name, '第一网格');
    assert.deepEqual([...g.node_ids].sort((a, b) => a - b), [bldg.id, yb.id].sort((a, b) => a - b));
    assert.match(g.created_at, TIME_RE);
    const got = await server.get(`/api/v1/grids/${g.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, g);
  });

  test('create without node_ids gives an empty grid', async () => {
    const res = await server.post('/api/v1/grids', { community_id: comm.id, code: '370112001001002', name: '第二网格' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.node_ids, []);
  });

  test('create failures name the field, and nothing is written', async () => {
    const before = (await server.get('/api/v1/grids?limit=500')).body.total;
    const cases = [
      [{ code: '370112001001010', name: 'x' }, 400, 'community_id'],
      [{ community_id: comm.id, name: 'x' }, 400, 'code'],
      [{ community_id: comm.id, code: '370112001001010' }, 400, 'name'],
      [{ community_id: 'x', code: '370112001001010', name: 'x' }, 400, 'community_id'],
      [{ community_id: comm.id, code: 370112001001010, name: 'x' }, 400, 'code'],
      [{ community_id: comm.id, code: '37011200100101', name: 'x' }, 400, 'code'],
      [{ community_id: comm.id, code: '3701120010010100', name: 'x' }, 400, 'code'],
      [{ community_id: comm.id, code: '37011200100101a', name: 'x' }, 400, 'code'],
      [{ community_id: comm.id, code: '370112001001000', name: 'x' }, 400, 'code'],
      [{ community_id: comm.id, code: '370112001001010', name: '' }, 400, 'name'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', node_ids: 'x' }, 400, 'node_ids'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', node_ids: [0] }, 400, 'node_ids'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', node_ids: [ya.id, ya.id] }, 400, 'node_ids'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', node_ids: [987654321] }, 400, 'node_ids'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', node_ids: [otherY.id] }, 400, 'node_ids'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', node_ids: [comm.id] }, 400, 'node_ids'],
      [{ community_id: T.s1.id, code: '370112001001010', name: 'x' }, 400, 'community_id'],
      [{ community_id: ya.id, code: '370112001001010', name: 'x' }, 400, 'community_id'],
      [{ community_id: 987654321, code: '370112001001010', name: 'x' }, 400, 'community_id'],
      [{ community_id: comm.id, code: '370112001001010', name: 'x', colour: 1 }, 400, 'colour'],
      [{ community_id: comm.id, code: '370112001001001', name: '重复' }, 409, 'code'],
    ];
    for (const [body, status, field] of cases) {
      expectError(await server.post('/api/v1/grids', body), status, field);
    }
    expectError(await server.post('/api/v1/grids', '{'), 400);
    const r = await server.post('/api/v1/grids', JSON.stringify({ community_id: comm.id, code: '370112001001010', name: 'x' }),
      { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal((await server.get('/api/v1/grids?limit=500')).body.total, before);
  });

  test('patch renames, recodes and replaces the covered nodes; failures change nothing', async () => {
    const g = (await server.post('/api/v1/grids', { community_id: comm.id, code: '370112001001020', name: '改网格',
      node_ids: [ya.id] })).body;
    let r = await server.patch(`/api/v1/grids/${g.id}`, { name: '改后网格', code: '370112001001021', node_ids: [yb.id, bldg.id] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(keys(r.body), GRID_KEYS);
    assert.equal(r.body.name, '改后网格');
    assert.equal(r.body.code, '370112001001021');
    assert.deepEqual([...r.body.node_ids].sort((a, b) => a - b), [yb.id, bldg.id].sort((a, b) => a - b));
    r = await server.patch(`/api/v1/grids/${g.id}`, { name: '只改名' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.code, '370112001001021');
    assert.equal(r.body.node_ids.length, 2, 'node_ids absent leaves the covered nodes alone');
    r = await server.patch(`/api/v1/grids/${g.id}`, { node_ids: [] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.node_ids, []);
    r = await server.patch(`/api/v1/grids/${g.id}`, { node_ids: [ya.id] });
    assert.deepEqual(r.body.node_ids, [ya.id]);

    expectError(await server.patch(`/api/v1/grids/${g.id}`, { name: '半写', community_id: T.c2.id }), 400, 'community_id');
    expectError(await server.patch(`/api/v1/grids/${g.id}`, { name: '半写', node_ids: [otherY.id] }), 400, 'node_ids');
    expectError(await server.patch(`/api/v1/grids/${g.id}`, { name: '半写', code: '370112001001001' }), 409, 'code');
    expectError(await server.patch(`/api/v1/grids/${g.id}`, { name: '半写', code: 'x' }), 400, 'code');
    expectError(await server.patch(`/api/v1/grids/${g.id}`, { name: '' }), 400, 'name');
    const now = (await server.get(`/api/v1/grids/${g.id}`)).body;
    assert.equal(now.name, '只改名');
    assert.equal(now.code, '370112001001021');
    assert.deepEqual(now.node_ids, [ya.id]);
    expectError(await server.patch('/api/v1/grids/987654321', { name: 'x' }), 404);
    expectError(await server.patch('/api/v1/grids/abc', { name: 'x' }), 404);
  });

  test('GET unknown or non-numeric ids give 404', async () => {
    expectError(await server.get('/api/v1/grids/987654321'), 404);
    expectError(await server.get('/api/v1/grids/x'), 404);
  });

  test('list filters by under and node_id, sorts by code, pages, and rejects bad parameters', async () => {
    const c3grid = await server.post('/api/v1/grids', { community_id: T.c3.id, code: '370112002001001', name: '刁镇网格' });
    assert.equal(c3grid.status, 201, c3grid.text);
    const all = await server.get('/api/v1/grids?limit=500');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body).sort(), [...LIST_KEYS].sort());
    const codes = all.body.items.map((g) => g.code);
    assert.deepEqual(codes, [...codes].sort());
    for (const g of all.body.items) assert.deepEqual(keys(g), GRID_KEYS);

    const s2 = await server.get(`/api/v1/grids?under=${T.s2.id}`);
    assert.deepEqual(s2.body.items.map((g) => g.id), [c3grid.body.id]);
    const s1 = await server.get(`/api/v1/grids?under=${T.s1.id}&limit=500`);
    assert.ok(!s1.body.items.some((g) => g.id === c3grid.body.id));
    assert.ok(s1.body.items.every((g) => g.subdistrict_id === T.s1.id));
    const byComm = await server.get(`/api/v1/grids?under=${comm.id}&limit=500`);
    assert.ok(byComm.body.items.every((g) => g.community_id === comm.id));
    assert.ok(byComm.body.total >= 2);

    const byNode = await server.get(`/api/v1/grids?node_id=${bldg.id}`);
    assert.ok(byNode.body.items.length >= 1);
    assert.ok(byNode.body.items.every((g) => g.node_ids.includes(bldg.id)));

    const seen = [];
    for (let offset = 0; offset < all.body.total; offset += 2) {
      const pg = await server.get(`/api/v1/grids?limit=2&offset=${offset}`);
      assert.equal(pg.body.total, all.body.total);
      seen.push(...pg.body.items.map((g) => g.id));
    }
    assert.deepEqual(seen, all.body.items.map((g) => g.id));

    for (const [q, field] of [['under=0', 'under'], ['node_id=x', 'node_id'], ['node_id=0', 'node_id'],
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['offset=-1', 'offset']]) {
      expectError(await server.get(`/api/v1/grids?${q}`), 400, field);
    }
  });

  test('a grid never covers a node outside its community, even after the node moves', async () => {
    const y = await mk({ level: 'courtyard', name: '网格迁院', parent_id: comm.id, kind: 'residential' });
    const g = (await server.post('/api/v1/grids', { community_id: comm.id, code: '370112001001030', name: '迁移网格',
      node_ids: [y.id] })).body;
    const mv = await server.patch(`/api/v1/nodes/${y.id}`, { parent_id: T.c2.id });
    if (mv.status === 200) {
      const now = (await server.get(`/api/v1/grids/${g.id}`)).body;
      assert.ok(!now.node_ids.includes(y.id),
        `grid ${g.id} of community ${comm.id} still covers node ${y.id}, which moved to community ${T.c2.id}`);
    } else {
      // Refusing the move is the other consistent answer.
      assert.ok(mv.status >= 400 && mv.status < 500, mv.text);
      errorOf(mv);
      assert.equal((await getNode(y.id)).parent_id, comm.id);
    }
  });
});

describe('routing of the org API', () => {
  test('wrong methods give 405 JSON', async () => {
    for (const [m, p] of [['DELETE', `/api/v1/nodes/${T.y1.id}`], ['PUT', '/api/v1/nodes'], ['POST', '/api/v1/tree'],
      ['DELETE', '/api/v1/party-orgs/1'], ['POST', `/api/v1/nodes/${T.y1.id}/history`], ['PATCH', '/api/v1/grids']]) {
      const res = await server.req(m, p);
      assert.equal(res.status, 405, `${m} ${p}: ${res.text}`);
      assert.equal(errorOf(res).code, 'method_not_allowed');
    }
  });

  test('unknown sub-resources give 404 JSON', async () => {
    for (const p of [`/api/v1/nodes/${T.y1.id}/bogus`, '/api/v1/node', `/api/v1/nodes/${T.y1.id}/tree/x`]) {
      const res = await server.get(p);
      assert.equal(res.status, 404, `${p}: ${res.text}`);
      errorOf(res);
    }
  });
});
