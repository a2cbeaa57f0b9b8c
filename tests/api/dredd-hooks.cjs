// dredd-hooks.cjs - hooks for the dredd contract run of tests/api/openapi.test.mjs.  Dredd makes one
// transaction per described response of every operation; these hooks make each one real:
//   2xx  as the administrator, with path parameters naming objects of the test's server;
//   401  with no session at all;
//   403  as a user who lacks the route's permission (skipped when that user holds it);
//   404  with a path parameter that names nothing;
//   400  with a query parameter the route refuses.
// Writes are not replayed here (their behaviour is the subject of every other API test); every
// skip outside writes is logged with its reason.
const hooks = require('hooks');

const env = process.env;
const LOW_PERMS = new Set((env.DREDD_LOW_PERMS || '').split(','));
const SKIP = {
  'GET /api/v1/audit 200': 'needs audit.read, which the administrator does not hold',
  'GET /api/v1/audit/verify 200': 'needs audit.read, which the administrator does not hold',
  'GET /api/v1/uploads/{id} 200': 'needs an uploaded photo',
  'GET /metrics 403': 'the test runs from 127.0.0.1, which metrics-allow lets in',
};
// Query parameters a GET needs to answer 200.
const QUERY = {
  'GET /api/v1/coverage': `node=${env.DREDD_NODE_ID}`,
  'GET /api/v1/calendar/working-days': 'date=2026-01-05',
  'GET /api/v1/calendar/deadline': 'received_at=1767574800&days=5',
  'GET /api/v1/economy/report': `node=${env.DREDD_NODE_ID}&month=2025-11`,
  'GET /api/v1/suggestions': `node_id=${env.DREDD_NODE_ID}&text=${encodeURIComponent('小区路灯不亮')}`,
  'GET /api/v1/insight/hotspots': `node=${env.DREDD_NODE_ID}`,
  'GET /api/v1/insight/pressure': `node=${env.DREDD_NODE_ID}`,
  'GET /api/v1/council-resolutions': 'proposal_id=1',
};
// Query parameters a GET refuses with 400.
const BAD_QUERY = {
  'GET /api/v1/work-orders': 'state=bogus',
  'GET /api/v1/stats': 'from=2026-13-01',
  'GET /api/v1/stats/ranking': 'from=2026-13-01',
  'GET /api/v1/coverage': 'node=abc',
  'GET /api/v1/calendar/working-days': 'date=someday',
  'GET /api/v1/calendar/deadline': 'received_at=soon',
  'GET /api/v1/webhooks/deliveries': 'state=bogus',
  'GET /api/v1/projects': 'stage=bogus',
  'GET /api/v1/cobuild-needs': 'status=bogus',
  'GET /api/v1/cobuild-projects': 'status=bogus',
  'GET /api/v1/cobuild-agreements/{id}/review': 'year=1999',
  'GET /api/v1/party-members': 'status=bogus',
  'GET /api/v1/party-branch-view': 'quarter=bogus',
  'GET /api/v1/cobuild-figures': 'year=1999',
  'GET /api/v1/project-figures': 'year=1999',
  'GET /api/v1/enterprises/{id}/cadres': 'on=someday',
  'GET /api/v1/enterprises/{id}/indicators': 'from=July',
  'GET /api/v1/economy/report': 'month=2025-13',
  'GET /api/v1/suggestions': 'node_id=abc',
  'GET /api/v1/work-orders/{id}/duplicates': 'days=0',
  'GET /api/v1/insight/hotspots': 'from=2026-13-01',
  'GET /api/v1/insight/pressure': 'kind=bogus',
  'GET /api/v1/council-resolutions': 'proposal_id=abc',
  'GET /api/v1/council-figures': 'year=1999',
  'GET /api/v1/volunteer-figures': 'from=2026-13-01',
  'GET /api/v1/volunteer-shifts': 'state=bogus',
  'GET /api/v1/volunteer-teams': 'kind=bogus',
  'GET /open311/v2/requests.json': 'status=bogus',
  'GET /open311/v2/requests.xml': 'status=bogus',
};
const GOOD = {
  service_request_id: env.DREDD_O311_ID, token_id: env.DREDD_O311_TOKEN, year: '2026', service_code: 'env.clean', id: '1',
  token: env.DREDD_VOL_TOKEN,
};
const GOOD_ID = { '/api/v1/work-orders/{id}': env.DREDD_ORDER_ID, '/api/v1/work-orders/{id}/duplicates': env.DREDD_ORDER_ID, '/api/v1/webhooks/{id}': env.DREDD_WEBHOOK_ID,
  '/api/v1/enterprises/{id}': env.DREDD_ENTERPRISE_ID, '/api/v1/enterprises/{id}/cadres': env.DREDD_ENTERPRISE_ID,
  '/api/v1/enterprises/{id}/indicators': env.DREDD_ENTERPRISE_ID,
  '/api/v1/enterprise-problems/{id}': env.DREDD_ENTERPRISE_PROBLEM_ID,
  '/api/v1/enterprise-events/{id}': env.DREDD_ENTERPRISE_EVENT_ID };
for (const p of ['', '/tasks', '/problems', '/duties', '/investment']) GOOD_ID[`/api/v1/projects/{id}${p}`] = env.DREDD_PROJECT_ID;
GOOD_ID['/api/v1/project-meetings/{id}'] = env.DREDD_MEETING_ID;
for (const k of ['unit', 'need', 'resource', 'project', 'claim', 'agreement']) GOOD_ID[`/api/v1/cobuild-${k}s/{id}`] = env[`DREDD_COBUILD_${k.toUpperCase()}_ID`];
GOOD_ID['/api/v1/cobuild-agreements/{id}/review'] = env.DREDD_COBUILD_AGREEMENT_ID;
GOOD_ID['/api/v1/party-members/{id}'] = env.DREDD_PARTY_MEMBER_ID;
GOOD_ID['/api/v1/volunteer-teams/{id}'] = env.DREDD_VOL_TEAM_ID;
GOOD_ID['/api/v1/volunteer-shifts/{id}'] = env.DREDD_VOL_SHIFT_ID;
GOOD_ID['/api/v1/volunteers/{id}/ledger'] = env.DREDD_VOL_PERSON_ID;
GOOD_ID['/api/v1/volunteer-patrols/{id}'] = env.DREDD_VOL_PATROL_ID;
const MISSING = {
  service_request_id: 'YL0000000000000', token_id: '0'.repeat(32), year: '1800', service_code: 'no.such', id: '999999',
  token: '0'.repeat(43),
};

hooks.beforeEach((t, done) => {
  const pattern = t.origin.resourceName;
  const key = `${t.request.method} ${pattern}`;
  const status = String(t.expected.statusCode);
  const skip = (why) => {
    if (why) hooks.log(`skipped ${key} ${status}: ${why}`);
    t.skip = true;
    done();
  };
  if (t.request.method !== 'GET') return skip(null);
  if (SKIP[key] || SKIP[`${key} ${status}`]) return skip(SKIP[key] || SKIP[`${key} ${status}`]);
  const names = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  let path = pattern;
  for (const name of names) {
    const value = status === '404' ? MISSING[name] : (name === 'id' && GOOD_ID[pattern]) || GOOD[name];
    path = path.replace(`{${name}}`, value);
  }
  let query = QUERY[key] || '';
  if (status === '400') {
    if (BAD_QUERY[key]) query = BAD_QUERY[key];
    else if (t.request.uri.includes('limit') || /^\/api\/v1\/[\w-]+$/.test(pattern)) query = 'limit=0';
    else return skip('no query parameter known to be refused');
  }
  if (query) path += `?${query}`;
  t.fullPath = path;
  t.request.uri = path;
  delete t.request.headers.Cookie;
  if (status === '401') return done();
  if (status === '403') {
    const needed = (hooks.permissions || {})[key];
    if (needed && LOW_PERMS.has(needed)) return skip(`the low user holds ${needed}`);
    t.request.headers.Cookie = env.DREDD_LOW_COOKIE;
    return done();
  }
  t.request.headers.Cookie = env.DREDD_COOKIE;
  done();
});

// The permission of every route, from the description itself (x-permission); and each JSON
// response's schema as JSON Schema (draft 7, components as definitions).  Dredd 14 reads OpenAPI
// 3.1 only in part: it would check answers against an example generated from the schema, where
// every property is required.  Handing gavel the schema itself checks what the description says.
hooks.beforeAll((transactions, done) => {
  const fs = require('fs');
  const doc = JSON.parse(fs.readFileSync(require('path').resolve(__dirname, '../../docs/openapi.json'), 'utf8'));
  const rewrite = (v) => JSON.parse(JSON.stringify(v).replace(/#\/components\/schemas\//g, '#/definitions/'));
  const definitions = rewrite(doc.components.schemas);
  // Only the definitions a response's schema reaches: handing every one of them to each transaction made the
  // validator compile the whole document once per transaction, and the run outlived its time.
  const reachable = (schema, defs) => {
    const out = {};
    const pending = [JSON.stringify(schema)];
    while (pending.length) {
      for (const [, name] of pending.pop().matchAll(/"#\/definitions\/([^"]+)"/g)) {
        if (!out[name] && defs[name]) {
          out[name] = defs[name];
          pending.push(JSON.stringify(defs[name]));
        }
      }
    }
    return out;
  };
  hooks.permissions = {};
  hooks.schemas = {};
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      const key = `${m.toUpperCase()} ${p}`;
      hooks.permissions[key] = op['x-permission'];
      for (const [status, r] of Object.entries(op.responses)) {
        const json = Object.entries(r.content || {}).find(([type]) => type.startsWith('application/json'));
        if (json) {
          const schema = rewrite(json[1].schema);
          hooks.schemas[`${key} ${status}`] = { $schema: 'http://json-schema.org/draft-07/schema#',
            definitions: reachable(schema, definitions), ...schema };
        }
      }
    }
  }
  done();
});

hooks.beforeEachValidation((t, done) => {
  const schema = hooks.schemas[`${t.request.method} ${t.origin.resourceName} ${t.expected.statusCode}`];
  if (schema) t.expected.bodySchema = JSON.stringify(schema);
  done();
});
