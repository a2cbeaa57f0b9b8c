// open311.test.mjs - Open311 GeoReport v2 conformance: every endpoint in XML and JSON, the filters
// of GET requests, the three ways to give a location, api_key checks, and every error answer in
// the spec's form ([{code, description}] / <errors><error>).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { parseXml, kids, field, flat } from './xml.mjs';

let srv;
let KEY;	// an API token holding workorder.create
let SCOPED;	// the same, scoped to 龙泉社区 (MS-01)
let READER;	// a token without workorder.create
const B = '/open311/v2';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const now = () => Math.floor(Date.now() / 1000);

async function raw(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : new URLSearchParams(body).toString();
    if (!init.headers['Content-Type']) init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(srv.base + path, init);
  const text = await res.text();
  const type = res.headers.get('content-type') || '';
  let doc = null;
  if (type.startsWith('application/json')) doc = JSON.parse(text);
  else if (type.startsWith('text/xml')) doc = parseXml(text);
  return { status: res.status, type, text, doc };
}
const get = (path) => raw('GET', path);
const post = (fmt, form, headers) => raw('POST', `${B}/requests.${fmt}`, form, headers);

// Asserts the spec's error document in either format; returns [{ code, description }].
function errors(res, status, fmt) {
  assert.equal(res.status, status, res.text);
  if (fmt === 'xml') {
    assert.match(res.type, /^text\/xml/);
    assert.equal(res.doc.name, 'errors', res.text);
    const list = kids(res.doc, 'error').map(flat);
    assert.ok(list.length >= 1);
    for (const e of list) {
      assert.equal(e.code, String(status));
      assert.ok(e.description.length > 0);
    }
    return list;
  }
  assert.match(res.type, /^application\/json/);
  assert.ok(Array.isArray(res.doc), res.text);
  for (const e of res.doc) {
    assert.equal(e.code, status);
    assert.equal(typeof e.description, 'string');
  }
  return res.doc;
}

const xmlRequests = (res) => {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.doc.name, 'service_requests', res.text);
  return kids(res.doc, 'request').map(flat);
};

before(async () => {
  srv = await startServer({ demo: true, demoArgs: ['--no-orders'] });
  const tok = async (name, permissions, scope) => {
    const body = { name, permissions, expires_at: now() + 86400 };
    if (scope) body.scope_node_id = scope;
    const r = await srv.post('/api/v1/tokens', body);
    assert.equal(r.status, 201, r.text);
    return r.body.token;
  };
  const nodes = await srv.get('/api/v1/nodes?limit=500&level=community');
  const ms01 = nodes.body.items.find((n) => n.code === 'MS-01');
  assert.ok(ms01, 'the demo has 龙泉社区 (MS-01)');
  KEY = await tok('open311-app', ['workorder.create']);
  SCOPED = await tok('open311-scoped', ['workorder.create'], ms01.id);
  READER = await tok('reader', ['org.read']);
});

after(async () => { await srv?.stop(); });

describe('discovery and services', () => {
  test('discovery lists the v2 endpoint and both formats', async () => {
    const j = await get(`${B}/discovery.json`);
    assert.equal(j.status, 200);
    assert.match(j.doc.changeset, ISO);
    const ep = j.doc.endpoints[0];
    assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.equal(ep.url, `${srv.base}/open311/v2`);
    assert.deepEqual(ep.formats, ['text/xml', 'application/json']);
    const x = await get(`${B}/discovery.xml`);
    assert.equal(x.status, 200);
    assert.equal(x.doc.name, 'discovery');
    const xe = kids(field.bind(null) && x.doc.children.find((c) => c.name === 'endpoints'), 'endpoint')[0];
    assert.equal(field(xe, 'url'), ep.url);
    assert.deepEqual(kids(xe.children.find((c) => c.name === 'formats'), 'format').map((f) => f.text), ep.formats);
  });

  test('services are the leaves of the category tree, with codes as strings, the same in both formats', async () => {
    const leaves = [];
    const walk = (c) => {
      const live = (c.children || []).filter((k) => k.active);
      if (c.active && !live.length) leaves.push(c.code);
      live.forEach(walk);
    };
    (await srv.get('/api/v1/wo-categories')).body.items.forEach(walk);
    leaves.sort();
    const j = await get(`${B}/services.json`);
    assert.equal(j.status, 200);
    assert.deepEqual(j.doc.map((s) => s.service_code).sort(), leaves);
    for (const s of j.doc) {
      assert.equal(typeof s.service_code, 'string');
      assert.equal(s.metadata, true);
      assert.equal(s.type, 'realtime');
      assert.ok(s.group && s.service_name);
    }
    assert.equal(j.doc.find((s) => s.service_code === 'env.clean').group, '市容环境');
    const x = await get(`${B}/services.xml`);
    assert.equal(x.doc.name, 'services');
    const xs = kids(x.doc, 'service').map(flat);
    assert.deepEqual(xs.map((s) => s.service_code), j.doc.map((s) => s.service_code));
    assert.equal(xs[0].metadata, 'true');
  });

  test('a service definition lists its attributes with their values', async () => {
    const j = await get(`${B}/services/env.clean.json`);
    assert.equal(j.status, 200, j.text);
    assert.equal(j.doc.service_code, 'env.clean');
    const codes = j.doc.attributes.map((a) => a.code);
    assert.deepEqual(codes, ['type', 'urgency', 'confidential']);
    const type = j.doc.attributes[0];
    assert.equal(type.datatype, 'singlevaluelist');
    assert.equal(type.variable, true);
    assert.deepEqual(type.values.map((v) => v.key), ['consultation', 'help', 'complaint', 'report', 'suggestion']);
    const x = await get(`${B}/services/env.clean.xml`);
    assert.equal(x.doc.name, 'service_definition');
    const attrs = kids(x.doc.children.find((c) => c.name === 'attributes'), 'attribute');
    assert.deepEqual(attrs.map((a) => field(a, 'code')), codes);
    assert.deepEqual(kids(attrs[1].children.find((c) => c.name === 'values'), 'value').map((v) => field(v, 'key')),
      ['normal', 'urgent']);
  });

  test('an unknown service or a parent category answers 404 in the spec\'s form', async () => {
    for (const fmt of ['json', 'xml']) {
      errors(await get(`${B}/services/no.such.${fmt}`), 404, fmt);
      errors(await get(`${B}/services/env.${fmt}`), 404, fmt);	// a group, not a service
    }
  });
});

const AT = { lat: '36.701252', long: '117.520767' };	// 君临天下小区 (MS-01-01)
const filed = {};

describe('POST requests', () => {
  test('lat/long: the nearest place with coordinates; the answer gives an id and a token', async () => {
    for (const fmt of ['json', 'xml']) {
      const r = await post(fmt, { api_key: KEY, service_code: 'env.clean', ...AT, description: `楼道堆放杂物 ${fmt}`,
        first_name: '小明', last_name: '王', phone: '13800001111' });
      assert.equal(r.status, 200, r.text);
      const sr = fmt === 'json' ? r.doc[0] : xmlRequests(r)[0];
      assert.match(sr.service_request_id, /^YL\d{13}$/);
      assert.match(sr.token, /^[0-9a-f]{32}$/);
      filed[`coords_${fmt}`] = sr;
    }
    const one = await get(`${B}/requests/${filed.coords_json.service_request_id}.json`);
    assert.equal(one.status, 200, one.text);
    const r = one.doc[0];
    assert.equal(r.service_request_id, filed.coords_json.service_request_id);
    assert.equal(r.status, 'open');
    assert.equal(r.service_code, 'env.clean');
    assert.equal(r.address_id, 'MS-01-01');
    assert.equal(r.description, '楼道堆放杂物 json');
    assert.equal(r.lat, 36.701252);
    assert.equal(r.long, 117.520767);
    for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) assert.match(r[k], /\+08:00$/, k);
    assert.ok(Date.parse(r.expected_datetime) > Date.parse(r.requested_datetime), 'expected after requested');
    // Nobody's name or phone is published.
    assert.ok(!one.text.includes('王小明') && !one.text.includes('13800001111') && !one.text.includes('1111'), one.text);
  });

  test('expected_datetime is the working-day deadline of the order', async () => {
    const id = filed.coords_json.service_request_id;
    const list = await srv.get(`/api/v1/work-orders?q=${id}`);
    assert.equal(list.status, 200, list.text);
    const order = list.body.items.find((o) => o.number === id);
    const one = (await get(`${B}/requests/${id}.json`)).doc[0];
    // Not accepted yet: the deadline an acceptance now would give, five working days, 23:59:59 local.
    assert.match(one.expected_datetime, /T23:59:59\+08:00$/);
    const days = (Date.parse(one.expected_datetime) - Date.parse(order.received_at)) / 86400000;
    assert.ok(days >= 5 && days < 15, `${days} days`);
  });

  test('address_string: matched onto the tree like the hotline import', async () => {
    const r = await post('json', { api_key: KEY, service_code: 'prop.repair', address_string: '龙泉社区君临天下小区1号楼',
      description: '外墙脱落' });
    assert.equal(r.status, 200, r.text);
    const one = (await get(`${B}/requests/${r.doc[0].service_request_id}.json`)).doc[0];
    assert.match(one.address_id, /^MS-01-01/);
    assert.equal(one.address, '龙泉社区君临天下小区1号楼');
    filed.address = r.doc[0];
  });

  test('address_id: a node code or id; attributes set type and urgency', async () => {
    const r = await post('xml', { api_key: KEY, service_code: 'neigh.noise', address_id: 'MS-01-01-B02',
      'attribute[type]': 'help', 'attribute[urgency]': 'urgent', description: '夜间施工噪音' });
    const sr = xmlRequests(r)[0];
    const list = await srv.get(`/api/v1/work-orders?q=${sr.service_request_id}`);
    const order = list.body.items.find((o) => o.number === sr.service_request_id);
    assert.equal(order.type, 'help');
    assert.equal(order.urgency, 'urgent');
    assert.equal(order.source, 'resident');
    const x = await get(`${B}/requests/${sr.service_request_id}.xml`);
    assert.equal(xmlRequests(x)[0].address_id, 'MS-01-01-B02');
    filed.noise = sr;
  });

  test('a confidential request shows neither description nor address', async () => {
    const r = await post('json', { api_key: KEY, service_code: 'safety.order', ...AT, address_string: '君临天下小区',
      description: '有人在楼道吸毒', 'attribute[confidential]': 'true' });
    assert.equal(r.status, 200, r.text);
    const one = await get(`${B}/requests/${r.doc[0].service_request_id}.json`);
    const x = one.doc[0];
    assert.equal(x.description, '');
    assert.equal(x.address, '');
    assert.equal(x.address_id, '');
    assert.equal(x.agency_responsible, '');	// the courtyard would tell where
    assert.ok(!('lat' in x) && !('long' in x));
    assert.ok(!one.text.includes('吸毒') && !one.text.includes('君临'));
    const xml = await get(`${B}/requests/${r.doc[0].service_request_id}.xml`);
    assert.ok(!xml.text.includes('吸毒'));
    filed.confidential = r.doc[0];
  });

  test('api_key: missing, unknown, lacking workorder.create, or a place outside its scope', async () => {
    const form = { service_code: 'env.clean', ...AT, description: 'x' };
    for (const fmt of ['json', 'xml']) {
      errors(await post(fmt, form), 403, fmt);
      errors(await post(fmt, { ...form, api_key: 'nope' }), 403, fmt);
      errors(await post(fmt, { ...form, api_key: READER }), 403, fmt);
      errors(await post(fmt, { ...form, api_key: '' }), 403, fmt);	// empty is absent
    }
    // The scoped key files inside 龙泉社区, not elsewhere.
    assert.equal((await post('json', { ...form, api_key: SCOPED })).status, 200);
    const out = errors(await post('json', { service_code: 'env.clean', api_key: SCOPED, address_id: 'MS-02' }), 400, 'json');
    assert.match(out[0].description, /address_id/);
    // Authorization: Bearer works too.
    const bearer = await raw('POST', `${B}/requests.json`, new URLSearchParams(form).toString(),
      { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(bearer.status, 200, bearer.text);
  });

  test('bad input answers 400 naming the parameter, in both formats, and files nothing', async () => {
    const before = (await get(`${B}/requests.json`)).doc.length;
    const cases = [
      [{}, /service_code/],
      [{ service_code: 'no.such', ...AT }, /service_code/],
      [{ service_code: 'env', ...AT }, /service_code/],
      [{ service_code: 'env.clean' }, /lat|location/],
      [{ service_code: 'env.clean', lat: '36.7' }, /long/],
      [{ service_code: 'env.clean', lat: 'north', long: '117.5' }, /lat/],
      [{ service_code: 'env.clean', lat: '95', long: '117.5' }, /lat/],
      [{ service_code: 'env.clean', lat: '0', long: '0' }, /lat/],	// nothing near
      [{ service_code: 'env.clean', address_string: '火星基地' }, /address_string/],
      [{ service_code: 'env.clean', address_id: 'NOPE' }, /address_id/],
      [{ service_code: 'env.clean', ...AT, 'attribute[type]': 'rant' }, /attribute\[type\]/],
      [{ service_code: 'env.clean', ...AT, 'attribute[urgency]': 'now' }, /attribute\[urgency\]/],
      [{ service_code: 'env.clean', ...AT, phone: '12345' }, /phone/],
      [{ service_code: 'env.clean', ...AT, description: 'x'.repeat(4001) }, /description/],
    ];
    for (const [form, field_] of cases) {
      for (const fmt of ['json', 'xml']) {
        const e = errors(await post(fmt, { api_key: KEY, ...form }), 400, fmt);
        assert.match(e[0].description, field_, `${JSON.stringify(form).slice(0, 80)}: ${e[0].description}`);
      }
    }
    // A JSON body is not the spec's form.
    const j = await raw('POST', `${B}/requests.json`, JSON.stringify({ service_code: 'env.clean' }),
      { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` });
    errors(j, 400, 'json');
    assert.equal((await get(`${B}/requests.json`)).doc.length, before, 'nothing filed');
  });
});

describe('GET requests', () => {
  test('the default answers the last 90 days, newest first, the same in both formats', async () => {
    const j = await get(`${B}/requests.json`);
    assert.equal(j.status, 200);
    assert.ok(j.doc.length >= 6);
    const times = j.doc.map((r) => Date.parse(r.requested_datetime));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    for (const r of j.doc) {
      assert.equal(typeof r.service_request_id, 'string');
      assert.equal(typeof r.service_code, 'string');
      assert.match(r.requested_datetime, ISO);
    }
    const x = xmlRequests(await get(`${B}/requests.xml`));
    assert.deepEqual(x.map((r) => r.service_request_id), j.doc.map((r) => r.service_request_id));
    assert.deepEqual(x.map((r) => r.expected_datetime), j.doc.map((r) => r.expected_datetime));
  });

  test('service_request_id takes a comma list and wins over other filters', async () => {
    const ids = [filed.coords_json.service_request_id, filed.noise.service_request_id];
    const j = await get(`${B}/requests.json?service_request_id=${ids.join(',')}&status=closed`);
    assert.deepEqual(j.doc.map((r) => r.service_request_id).sort(), [...ids].sort());
    const x = xmlRequests(await get(`${B}/requests.xml?service_request_id=${ids[0]}`));
    assert.deepEqual(x.map((r) => r.service_request_id), [ids[0]]);
    assert.deepEqual((await get(`${B}/requests.json?service_request_id=YL0000000000000`)).doc, []);
  });

  test('service_code narrows to the service (a group code to its services)', async () => {
    const j = await get(`${B}/requests.json?service_code=neigh.noise`);
    assert.deepEqual(j.doc.map((r) => r.service_request_id), [filed.noise.service_request_id]);
    const group = await get(`${B}/requests.json?service_code=env`);
    assert.ok(group.doc.length >= 2 && group.doc.every((r) => r.service_code.startsWith('env.')));
    errors(await get(`${B}/requests.json?service_code=no.such`), 400, 'json');
    errors(await get(`${B}/requests.xml?service_code=no.such`), 400, 'xml');
  });

  test('status open / closed follows the order\'s state', async () => {
    const id = filed.noise.service_request_id;
    const order = (await srv.get(`/api/v1/work-orders?q=${id}`)).body.items.find((o) => o.number === id);
    const act = await srv.post(`/api/v1/work-orders/${order.id}/actions`, { action: 'refuse', opinion: '重复诉求' });
    assert.equal(act.status, 200, act.text);
    const closed = await get(`${B}/requests.json?status=closed`);
    assert.deepEqual(closed.doc.map((r) => r.service_request_id), [id]);
    assert.equal(closed.doc[0].status, 'closed');
    const open = await get(`${B}/requests.json?status=open`);
    assert.ok(open.doc.length >= 5 && !open.doc.some((r) => r.service_request_id === id));
    const both = await get(`${B}/requests.json?status=open,closed`);
    assert.equal(both.doc.length, open.doc.length + 1);
    errors(await get(`${B}/requests.json?status=pending`), 400, 'json');
    errors(await get(`${B}/requests.xml?status=pending`), 400, 'xml');
  });

  test('start_date and end_date bound the request time; a window is at most 90 days', async () => {
    const all = (await get(`${B}/requests.json`)).doc;
    const t = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.deepEqual((await get(`${B}/requests.json?start_date=${t}`)).doc, []);
    const past = new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, '+00:00');
    assert.equal((await get(`${B}/requests.json?start_date=${encodeURIComponent(past)}`)).doc.length, all.length);
    assert.deepEqual((await get(`${B}/requests.json?end_date=${encodeURIComponent(past)}`)).doc, []);
    assert.equal((await get(`${B}/requests.json?start_date=${encodeURIComponent(past)}&end_date=${t}`)).doc.length, all.length);
    for (const fmt of ['json', 'xml']) {
      errors(await get(`${B}/requests.${fmt}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`), 400, fmt);
      errors(await get(`${B}/requests.${fmt}?start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z`), 400, fmt);
      errors(await get(`${B}/requests.${fmt}?start_date=yesterday`), 400, fmt);
      errors(await get(`${B}/requests.${fmt}?end_date=2026-01-01`), 400, fmt);	// no time, no zone
    }
  });

  test('empty parameters are absent', async () => {
    const all = (await get(`${B}/requests.json`)).doc;
    const j = await get(`${B}/requests.json?service_request_id=&service_code=&status=&start_date=&end_date=`);
    assert.deepEqual(j.doc.map((r) => r.service_request_id), all.map((r) => r.service_request_id));
  });

  test('one request: 404 in the spec\'s form when unknown', async () => {
    for (const fmt of ['json', 'xml']) errors(await get(`${B}/requests/YL0000000000000.${fmt}`), 404, fmt);
  });

  test('requests show no caller, whatever the format', async () => {
    for (const fmt of ['json', 'xml']) {
      const r = await get(`${B}/requests.${fmt}`);
      assert.ok(!r.text.includes('13800001111') && !r.text.includes('王小明') && !r.text.includes('caller'), fmt);
    }
  });
});

describe('tokens', () => {
  test('a token names its request in both formats; an unknown one answers 404', async () => {
    const { token, service_request_id: id } = filed.address;
    const j = await get(`${B}/tokens/${token}.json`);
    assert.equal(j.status, 200, j.text);
    assert.deepEqual(j.doc, [{ service_request_id: id, token }]);
    const x = xmlRequests(await get(`${B}/tokens/${token}.xml`));
    assert.deepEqual(x, [{ service_request_id: id, token }]);
    for (const fmt of ['json', 'xml']) {
      errors(await get(`${B}/tokens/${'0'.repeat(32)}.${fmt}`), 404, fmt);
      errors(await get(`${B}/tokens/short.${fmt}`), 404, fmt);
    }
  });
});
