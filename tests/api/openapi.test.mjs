// openapi.test.mjs - docs/openapi.json against the server: every route of the route table is
// described and every described route exists, the served /api/openapi.json is the file itself,
// every $ref resolves, and dredd calls every described GET on a server with the demo tree and
// checks each answer against its response description.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, cli } from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC_PATH = resolve(ROOT, 'docs/openapi.json');
const DOC_TEXT = readFileSync(DOC_PATH, 'utf8');
const DOC = JSON.parse(DOC_TEXT);
const DREDD = resolve(ROOT, 'node_modules/.bin/dredd');
let srv;

before(async () => {
  srv = await startServer({ demo: true, demoArgs: ['--no-orders'] });
});
after(async () => { await srv?.stop(); });

test('every route is described and every described route exists', () => {
  const r = cli(['routes']);
  assert.equal(r.status, 0, r.stderr);
  const routes = new Set(JSON.parse(r.stdout).map((x) => `${x.method} ${x.pattern}`));
  const described = new Set();
  for (const [path, item] of Object.entries(DOC.paths)) {
    for (const m of Object.keys(item)) described.add(`${m.toUpperCase()} ${path}`);
  }
  assert.deepEqual([...routes].filter((k) => !described.has(k)), [], 'routes missing from docs/openapi.json (node tools/openapi.mjs)');
  assert.deepEqual([...described].filter((k) => !routes.has(k)), [], 'described routes the server does not have');
  const perms = new Map(JSON.parse(r.stdout).map((x) => [`${x.method} ${x.pattern}`, x.permission]));
  for (const k of routes) {
    const [m, p] = k.split(' ');
    assert.equal(DOC.paths[p][m.toLowerCase()]['x-permission'], perms.get(k), `${k}: x-permission`);
  }
});

test('the served description is docs/openapi.json, byte for byte', async () => {
  const res = await fetch(`${srv.base}/api/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(await res.text(), DOC_TEXT);
});

test('an OpenAPI 3.1 document whose every $ref resolves', () => {
  assert.equal(DOC.openapi, '3.1.0');
  assert.ok(DOC.info.title && DOC.info.version);
  const bad = [];
  const walk = (v, at) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
    else if (v && typeof v === 'object') {
      if (typeof v.$ref === 'string') {
        const target = v.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k], DOC);
        if (!target) bad.push(`${at}: ${v.$ref}`);
      }
      for (const [k, x] of Object.entries(v)) walk(x, `${at}/${k}`);
    }
  };
  walk(DOC, '#');
  assert.deepEqual(bad, []);
  for (const [path, item] of Object.entries(DOC.paths)) {
    for (const [m, op] of Object.entries(item)) {
      assert.ok(op.summary && op.responses && Object.keys(op.responses).length, `${m} ${path}`);
      for (const name of (path.match(/\{(\w+)\}/g) || []).map((x) => x.slice(1, -1))) {
        assert.ok(op.parameters?.some((p) => p.in === 'path' && p.name === name), `${m} ${path}: {${name}} undescribed`);
      }
    }
  }
});

// Runs a program to its end without blocking the event loop; { status, stdout, stderr }, status null
// when it was killed at the timeout.
function run(cmd, args, { timeout, ...opts }) {
  return new Promise((done, failed) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (c) => { out.stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { out.stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', failed);
    child.on('close', (status) => { clearTimeout(timer); done({ status, ...out }); });
  });
}

test('dredd: every described GET answers as described', { skip: !existsSync(DREDD) && 'dredd is not installed (npm install)' }, async () => {
  // Objects the GETs name: an Open311 request (id and token), a work order, a webhook subscriber.
  const tok = await srv.post('/api/v1/tokens', { name: 'dredd', permissions: ['workorder.create'], expires_at: Math.floor(Date.now() / 1000) + 3600 });
  assert.equal(tok.status, 201, tok.text);
  const o311 = await fetch(`${srv.base}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `api_key=${tok.body.token}&service_code=env.clean&address_id=MS-01-01&description=dredd`,
  });
  assert.equal(o311.status, 200);
  const [created] = await o311.json();
  const orders = await srv.get('/api/v1/work-orders');
  const hook = await srv.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/dredd', active: false });
  assert.equal(hook.status, 201, hook.text);
  const court = (await srv.get('/api/v1/nodes?level=community&limit=1')).body.items[0].id;
  // An import job, so that /import-jobs/{id} (the example id 1) names one.
  const job = await srv.req('POST', '/api/v1/import-jobs/nodes?dry_run=true', 'code,name,level,parent_code\r\n',
    { 'Content-Type': 'text/csv' });
  assert.equal(job.status, 202, job.text);
  const project = await srv.post('/api/v1/projects', { code: 'DREDD-1', name: 'dredd', node_id: court, stage_on: '2026-01-05' });
  assert.equal(project.status, 201, project.text);
  const meeting = await srv.post('/api/v1/project-meetings', { held_on: '2026-01-10', project_ids: [project.body.id] });
  assert.equal(meeting.status, 201, meeting.text);
  // An enterprise (the GB 32100 example code) with a problem, for the enterprise GETs.
  const ent = await srv.post('/api/v1/enterprises', { credit_code: '91350100M000100Y43', name: '契约测试企业', node_id: court });
  assert.equal(ent.status, 201, ent.text);
  const problem = await srv.post(`/api/v1/enterprises/${ent.body.id}/problems`, {
    category: 'land', description: '用地指标', unit_node_id: court, days: 5, day_rule: 'calendar' });
  assert.equal(problem.status, 201, problem.text);
  const event = await srv.post('/api/v1/enterprise-events', { node_id: court, held_on: '2025-11-20', kind: 'legal',
    title: '法律服务直通车', enterprise_ids: [ent.body.id] });
  assert.equal(event.status, 201, event.text);
  // Co-building: a unit, a need in a project with a resource, and its claim, for the cobuild GETs.
  const cbUnit = await srv.post('/api/v1/cobuild-units', { name: '契约测试单位', kind: 'bank', node_id: court,
    reported_on: '2025-11-20', contact_phone: '13800000000' });
  assert.equal(cbUnit.status, 201, cbUnit.text);
  const cbNeed = await srv.post('/api/v1/cobuild-needs', { node_id: court, title: '契约测试需求', kind: 'facility',
    source: 'council' });
  assert.equal(cbNeed.status, 201, cbNeed.text);
  const cbResource = await srv.post('/api/v1/cobuild-resources', { node_id: court, unit_id: cbUnit.body.id, kind: 'venue',
    title: '契约测试场地' });
  assert.equal(cbResource.status, 201, cbResource.text);
  const cbProject = await srv.post('/api/v1/cobuild-projects', { node_id: court, title: '契约测试项目',
    need_ids: [cbNeed.body.id], resource_ids: [cbResource.body.id] });
  assert.equal(cbProject.status, 201, cbProject.text);
  const cbDue = new Date(Date.now() + 8 * 3600e3 + 7 * 86400e3).toISOString().slice(0, 10);
  const cbClaim = await srv.post(`/api/v1/cobuild-projects/${cbProject.body.id}/claim`, { unit_id: cbUnit.body.id, due_on: cbDue });
  assert.equal(cbClaim.status, 201, cbClaim.text);
  const cbYear = Number(cbDue.slice(0, 4));
  const cbAgreement = await srv.post('/api/v1/cobuild-agreements', { unit_id: cbUnit.body.id, title: '契约测试协议',
    starts_on: `${cbYear - 1}-01-01`, ends_on: `${cbYear + 1}-12-31`, signed_on: '2025-11-20' });
  assert.equal(cbAgreement.status, 201, cbAgreement.text);
  const pOrg = await srv.get('/api/v1/party-orgs?limit=1');
  assert.equal(pOrg.status, 200, pOrg.text);
  const pPerson = await srv.post('/api/v1/persons', { name: '契约党员' });
  assert.equal(pPerson.status, 201, pPerson.text);
  const pMember = await srv.post('/api/v1/party-members', { person_id: pPerson.body.id, org_id: pOrg.body.items[0].id, status: 'formal',
    since: '2020-07-01' });
  assert.equal(pMember.status, 201, pMember.text);
  // A volunteer team with a kind of duty, a shift, a shop item and a patrol, and a volunteer's calendar feed.
  const yard = (await srv.get(`/api/v1/nodes?level=courtyard&under=${court}&limit=1`)).body.items[0].id;
  const person = await srv.post('/api/v1/persons', { name: '契约测试志愿者', home_node_id: yard });
  assert.equal(person.status, 201, person.text);
  const team = await srv.post('/api/v1/volunteer-teams', { name: '契约测试巡逻队', kind: 'patrol', node_id: court,
    leader_person_id: person.body.id });
  assert.equal(team.status, 201, team.text);
  const vtype = await srv.post(`/api/v1/volunteer-teams/${team.body.id}/shift-types`, { name: '夜巡', minutes: 120 });
  assert.equal(vtype.status, 201, vtype.text);
  const vday = new Date(Date.now() + 8 * 3600e3 + 3 * 86400e3).toISOString().slice(0, 10);
  const shift = await srv.post(`/api/v1/volunteer-teams/${team.body.id}/shifts`, { type_id: vtype.body.id, starts_at: `${vday} 19:00` });
  assert.equal(shift.status, 201, shift.text);
  const at = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
  const midnight = Date.parse(`${new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)}T00:00:00+08:00`);
  const from = Math.max(Date.now() - 600e3, midnight + 1e3);	// today's: the leader joined today
  const patrol = await srv.post(`/api/v1/volunteer-teams/${team.body.id}/patrols`, { route: '院内', person_ids: [person.body.id],
    started_at: at(from), ended_at: at(Math.max(from + 1e3, Date.now() - 1e3)) });
  assert.equal(patrol.status, 201, patrol.text);
  assert.equal((await srv.post('/api/v1/volunteer-shop-items', { name: '毛巾', node_id: court, points: 20, stock: 5 })).status, 201);
  assert.equal((await srv.post('/api/v1/users', { login: 'dredd-vol', role: 'volunteer', password: 'Init-Pass-2026',
    scope_node_id: court, person_id: person.body.id })).status, 201);
  const vol = await srv.loginAs('dredd-vol', 'Init-Pass-2026', 'Dredd-Pass-2026!');
  const feed = await vol.post('/api/v1/volunteer-me/ical-token', {});
  assert.equal(feed.status, 201, feed.text);
  // Someone who lacks most permissions, for the 403 answers.
  const made = await srv.post('/api/v1/users', { login: 'dredd-low', role: 'mobile_grid_member', password: 'Init-Pass-2026',
    scope_node_id: court });
  assert.equal(made.status, 201, made.text);
  const low = await srv.loginAs('dredd-low', 'Init-Pass-2026', 'Dredd-Pass-2026!');
  const lowPerms = (await low.get('/api/v1/auth/me')).body.permissions;
  // Not spawnSync: the server's stderr (its access log) is a pipe this process drains; blocked in spawnSync it
  // is not drained, the server stops on a full pipe once the log passes 64 KiB, and dredd waits for it forever
  // (what "dredd stalls" was).
  const r = await run(DREDD, [DOC_PATH, srv.base, '--hookfiles', resolve(ROOT, 'tests/api/dredd-hooks.cjs'),
    '--loglevel', process.env.DREDD_LOGLEVEL || 'warning', '--color', 'false'], {
    timeout: 600000, cwd: ROOT,
    env: { ...process.env, DREDD_COOKIE: srv.session.cookie, DREDD_CSRF: srv.session.csrf, DREDD_O311_ID: created.service_request_id,
      DREDD_O311_TOKEN: created.token, DREDD_ORDER_ID: String(orders.body.items[0].id), DREDD_WEBHOOK_ID: String(hook.body.id),
      DREDD_PROJECT_ID: String(project.body.id), DREDD_MEETING_ID: String(meeting.body.id),
      DREDD_ENTERPRISE_ID: String(ent.body.id), DREDD_ENTERPRISE_PROBLEM_ID: String(problem.body.id),
      DREDD_ENTERPRISE_EVENT_ID: String(event.body.id),
      DREDD_COBUILD_UNIT_ID: String(cbUnit.body.id), DREDD_COBUILD_NEED_ID: String(cbNeed.body.id),
      DREDD_COBUILD_RESOURCE_ID: String(cbResource.body.id), DREDD_COBUILD_PROJECT_ID: String(cbProject.body.id),
      DREDD_COBUILD_CLAIM_ID: String(cbClaim.body.id), DREDD_COBUILD_AGREEMENT_ID: String(cbAgreement.body.id),
      DREDD_PARTY_MEMBER_ID: String(pMember.body.id),
      DREDD_VOL_TEAM_ID: String(team.body.id), DREDD_VOL_SHIFT_ID: String(shift.body.id), DREDD_VOL_PERSON_ID: String(person.body.id),
      DREDD_VOL_PATROL_ID: String(patrol.body.id), DREDD_VOL_TOKEN: feed.body.token,
      DREDD_NODE_ID: String(court), DREDD_LOW_COOKIE: low.session.cookie, DREDD_LOW_PERMS: lowPerms.join(',') },
  });
  const out = `${r.stdout}\n${r.stderr}`;
  if (process.env.DREDD_OUT) (await import('node:fs')).writeFileSync(process.env.DREDD_OUT, out);	// for a closer look
  const m = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped/.exec(out);
  assert.ok(m, `no dredd summary:\n${out.slice(-3000)}`);
  const [, passing, failing, errors] = m.map(Number);
  assert.equal(failing + errors, 0, out.split('\n').filter((l) => /fail|error/.test(l)).slice(0, 40).join('\n'));
  assert.ok(passing >= 50, `only ${passing} transactions passed`);
  assert.equal(r.status, 0, out.slice(-2000));
});
