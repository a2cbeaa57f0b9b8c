// auth.test.mjs - accounts, sessions, permissions, scope, CSRF, API tokens, personal data
// and the audit log, black-box against `yuanluo serve`.
//
// The authorisation matrix reads every route from `yuanluo routes`, so a new route is
// covered without anyone remembering to add it; the access roles' permissions come from
// GET /api/v1/access-roles (data in role_permissions), not from this file.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import {
  startServer, makeClient, cli, errorOf, ADMIN_PASSWORD, canRunSql, NO_SQL, sqlite, PG, pgDropDb,
} from './harness.mjs';

const INIT_PW = 'Init-Pass-2026';	// what the administrator sets when creating a user
const PW = 'Matrix-Pass-2026!';	// what each user changes it to at first login
const SQL = canRunSql();	// plain SQL on the server's database: sqlite3, or psql under make test-pg
const SKIP_SQL = SQL ? false : NO_SQL;
const DEPLOY = 'deployment';	// anchor of objects that belong to no node (role dictionary, role sets, calendar)
const UNKNOWN = 'unknown';	// anchor of an object this file does not know how to place on the tree
const now = () => Math.floor(Date.now() / 1000);
const sha256 = (t) => createHash('sha256').update(t).digest('hex');
// The session token inside "yl_session=TOKEN".
const tokenOf = (cookie) => cookie.slice(cookie.indexOf('=') + 1);

let srv;	// the main server (harness-initialised; its own methods act as the administrator)
let lockSrv;	// a server for lockout only: a locked source address locks everyone on it
let ROUTES;	// [{ method, pattern, permission, summary, audit }] from `yuanluo routes`
let ROLE_PERMS;	// access role code -> Set of permissions, from GET /api/v1/access-roles
const parent = new Map();	// node id -> parent id (0 for a root): the tree this file builds
const T = {};	// nodes by name
const Z = {};	// zones: the objects of one courtyard
const A = {};	// actors by name: { name, client, scope, perms, kind, in, out }
let auditor;	// the auditor's client
let CAL_YEAR = new Date().getFullYear();	// a year with a loaded working-day calendar, when there is one
const unchecked = new Set();	// routes whose scope this file could not check (each must be in NOT_SCOPE_CHECKED)
const FOUND = {};	// kind -> promise of [[id, anchor] ...] found through the kind's list, or null (see findObjects)

// Routes whose scope the matrix does not check, each with the reason.  Any other route it cannot
// check (an {id} route with no object to name, a list whose items tell no node) fails the matrix:
// give the new route an object (KINDS, PARAMS) or an anchor (ITEM_ANCHOR), or add it here and say why.
// An entry the matrix has come to check fails too, so that this list only shrinks.
const NOT_SCOPE_CHECKED = new Map([
  // A photo has no list to find one by and none is uploaded here; it is read through its work
  // order's scope, which hotline.test.mjs checks (the desk reads it, a grid member of another
  // community gets 404).
  ['GET /api/v1/uploads/{id}', 'uploads are reached through their order (hotline.test.mjs)'],
  // Webhooks are deployment-wide (unscoped): the one scope rule, 403 for every scoped actor, is
  // checked without an object.  None is made here, since a webhook would send deliveries for every
  // write of the matrix; webhook.test.mjs covers them.
  ['GET /api/v1/webhooks/{id}', 'deployment-wide, no webhook made here (webhook.test.mjs)'],
  ['PATCH /api/v1/webhooks/{id}', 'deployment-wide, no webhook made here (webhook.test.mjs)'],
  ['POST /api/v1/webhooks/deliveries/{id}/retry', 'deployment-wide, no delivery made here (webhook.test.mjs)'],
  // The work-order category dictionary is one for the whole deployment, like the role dictionary:
  // its items hang on no node.
  ['GET /api/v1/wo-categories', 'a deployment-wide dictionary'],
  // The inbox is the person's own: what waits for them from every kind of time node, by their role and
  // scope; it pages with its own limit (400 over it).  tasks.test.mjs checks who sees what.
  ['GET /api/v1/tasks', "the person's own inbox (tasks.test.mjs)"],
  // Figures and reports, not lists of objects: their scope is checked where they are tested.
  ['GET /api/v1/project-figures', "figures of the actor's subdistrict (projects.test.mjs: another office sees its own)"],
  ['GET /api/v1/cobuild-figures', "figures under the actor's scope (cobuild.test.mjs: another community's staff count their own, 404 outside)"],
  ['GET /api/v1/economy/report', 'a month\'s report of a node (economy.test.mjs: 404 outside the scope)'],
  ['GET /api/v1/volunteer-figures', "figures under a node of the actor's scope (volunteers.test.mjs: 404 outside it)"],
  // Files, not lists: an export is the list's rows cut to the scope (export.test.mjs checks it).
  ['GET /api/v1/export/work-orders.xlsx', 'a file of the list cut to the scope (export.test.mjs)'],
  ['GET /api/v1/export/stats.xlsx', 'a file of the figures of a node in the scope (export.test.mjs)'],
  // Import jobs are their submitter's: another user's job is 404 (import_job.test.mjs); none is made here,
  // since a job runs in the background for the length of the matrix.
  ['GET /api/v1/import-jobs', "the caller's own jobs (import_job.test.mjs)"],
  ['GET /api/v1/import-jobs/{id}', "the caller's own job; another's is 404 (import_job.test.mjs)"],
  // Work-order configuration is deployment-wide (unscoped), like the category dictionary: its one scope rule,
  // 404 for every scoped actor, is checked without an object; wo_config.test.mjs changes real ones.
  ['PATCH /api/v1/wo-categories/{id}', 'deployment-wide configuration (wo_config.test.mjs)'],
  ['DELETE /api/v1/wo-routing-rules/{id}', 'deployment-wide configuration (wo_config.test.mjs)'],
  // Lists the scoped-list test cannot read as one plain list.  Computations on the deployment's
  // calendar: they need parameters (400 without) and name no object.
  ['GET /api/v1/calendar/deadline', 'a computation on the deployment-wide calendar'],
  ['GET /api/v1/calendar/working-days', 'a computation on the deployment-wide calendar'],
  // Figures, not a list; its scope (the actor's node by default, 404 outside) is checked in
  // stats.test.mjs.
  ['GET /api/v1/stats', 'figures, not a list (stats.test.mjs checks its scope)'],
  // Sections of lists by role (limit at most 200, so 400 here); each role's sections and scope are
  // checked in wo_search.test.mjs "my tasks".
  ['GET /api/v1/work-orders/mine', 'lists by role, checked in wo_search.test.mjs'],
  // Councils (issue 17).  The public board is a courtyard's, for anyone (no login, no scope); councils.test.mjs
  // scans every answer of it for phones and ID numbers.  Resolutions are listed by proposal or by work order
  // only (400 without one); their items outside the scope are left out (councils.test.mjs).  Figures, not a list.
  ['GET /api/v1/public/boards/{id}', 'public, no scope: what is published (councils.test.mjs)'],
  ['GET /api/v1/council-resolutions', 'by proposal or work order, cut to the scope (councils.test.mjs)'],
  ['GET /api/v1/council-figures', "figures of the actor's scope (councils.test.mjs: another subdistrict sees none)"],
]);

function within(scope, node) {
  if (!scope) return true;
  if (!node || node === DEPLOY) return false;
  for (let n = node; n; n = parent.get(n)) if (n === scope) return true;
  return false;
}

function want(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res.body;
}

// Logs in (no forced-change handling); { status, body, cookie, setCookie }.
async function login(base, loginName, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: loginName, password }),
  });
  const text = await res.text();
  const setCookie = res.headers.get('set-cookie') || '';
  return { status: res.status, body: text ? JSON.parse(text) : null, text, setCookie, cookie: setCookie.split(';')[0] };
}

// A login from a chosen loopback source address (127.0.0.2 ...), for the per-address lock.
function loginFrom(port, localAddress, loginName, password) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ login: loginName, password });
    const req = http.request({
      host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/auth/login',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({
        status: res.statusCode, body: JSON.parse(text), text, cookie: String(res.headers['set-cookie'] || '').split(';')[0],
      }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Creates a user as the administrator (password INIT_PW unless given) and logs them in,
// changing the forced password to PW.  Returns { id, client }.
// Nobody grants more than they hold: the administrator lacks audit.read, so auditors are made
// at the console, which prints a generated password.
function consoleUser(server, loginName, role) {
  const r = cli(['user', 'add', loginName, '--role', role, '--db', server.db, '--key-file', server.key]);
  assert.equal(r.status, 0, r.stderr);
  const id = Number(/\(id (\d+)/.exec(r.stdout)[1]);
  const password = /password: (\S+)/.exec(r.stdout)[1];
  return { id, password };
}

async function makeUser(loginName, role, scope, { password = INIT_PW, as = srv, person = null } = {}) {
  if (role === 'auditor') {
    const made = consoleUser(srv, loginName, role);
    return { id: made.id, client: await srv.loginAs(loginName, made.password, PW) };
  }
  const body = { login: loginName, role, password };
  if (scope) body.scope_node_id = scope;
  if (person) body.person_id = person;
  const u = want(await as.post('/api/v1/users', body), 201, `create user ${loginName}`);
  const client = await srv.loginAs(loginName, password, PW);
  return { id: u.id, client };
}

async function node(level, name, parentId, extra = {}) {
  const b = want(await srv.post('/api/v1/nodes', { level, name, parent_id: parentId, code: name, ...extra }), 201,
    `node ${name}`);
  parent.set(b.id, parentId || 0);
  T[name] = b.id;
  return b.id;
}

// A unified social credit code with its GB 32100 check character, for the zones' enterprises.
function uscc(body17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  for (let i = 0, w = 1; i < 17; i++, w = (w * 3) % 31) sum += chars.indexOf(body17[i]) * w;
  return body17 + chars[(31 - (sum % 31)) % 31];
}

// One courtyard's worth of objects: building, two households, a person, the courtyard's
// branch, a central household (party org on h1) looking after h2, an assignment, a user
// and an API token scoped to the courtyard.  grid: the community's grid.
let seq = 0;
async function zone(key, community, grid) {
  const court = await node('courtyard', `${key}-Y`, community, { kind: 'residential' });
  const bldg = await node('building', `${key}-B`, court);
  const h1 = await node('household', `${key}-H1`, bldg);
  const h2 = await node('household', `${key}-H2`, bldg);
  const n = ++seq;
  const person = want(await srv.post('/api/v1/persons', {
    name: `居民${key}`, phone: `1370000000${n}`, home_node_id: h2, health: '糖尿病',
  }), 201, 'person').id;
  const partyOrg = want(await srv.post('/api/v1/party-orgs', { node_id: court }), 201, 'branch').id;
  want(await srv.post('/api/v1/party-orgs', { node_id: h1 }), 201, 'central household');
  const careLink = want(await srv.post('/api/v1/care-links', { central_household_id: h1, household_id: h2 }), 201,
    'care link').id;
  const assignment = want(await srv.post('/api/v1/assignments', {
    person_id: person, role_code: 'building_head', node_id: bldg, starts_on: '2024-01-01',
  }), 201, 'assignment').id;
  const user = want(await srv.post('/api/v1/users', {
    login: `victim-${key}`.toLowerCase(), role: 'grid_member', scope_node_id: court,
  }), 201, 'victim user').id;
  const token = want(await srv.post('/api/v1/tokens', {
    name: `victim-${key}`, permissions: ['org.read'], scope_node_id: court, expires_at: now() + 86400,
  }), 201, 'victim token').id;
  // A key project on the courtyard (its place), for the project routes' scope.
  const project = want(await srv.post('/api/v1/projects', {
    code: `matrix-${key}`, name: `项目${key}`, node_id: court, stage_on: '2026-01-05',
  }), 201, 'project').id;
  const due = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
  const task = want(await srv.post(`/api/v1/projects/${project}/tasks`, { content: '矩阵任务', owner_user_id: user, due_on: due }),
    201, 'project task').id;
  const problem = want(await srv.post(`/api/v1/projects/${project}/problems`, { kind: 'other', description: '矩阵问题' }), 201,
    'project problem').id;
  // A dispatch meeting visiting it: it belongs to the subdistrict.
  const meeting = want(await srv.post('/api/v1/project-meetings', { held_on: '2026-01-10', project_ids: [project] }), 201,
    'project meeting').id;
  const enterprise = want(await srv.post('/api/v1/enterprises', {
    credit_code: uscc(`9137018100000${String(n).padStart(4, '0')}`), name: `企业${key}`, node_id: court,
  }), 201, 'enterprise').id;
  const entProblem = want(await srv.post(`/api/v1/enterprises/${enterprise}/problems`, {
    category: 'labour', description: '招工难', unit_node_id: court, days: 5, day_rule: 'calendar',
  }), 201, 'enterprise problem').id;
  want(await srv.post(`/api/v1/enterprises/${enterprise}/honours`, { kind: 'gazelle', level: 'city', year: 2024 }), 201,
    'enterprise honour');
  const event = want(await srv.post('/api/v1/enterprise-events', { node_id: court, held_on: '2025-11-20', kind: 'finance',
    title: '金融直通车', enterprise_ids: [enterprise] }), 201, 'enterprise event').id;
  want(await srv.post(`/api/v1/enterprises/${enterprise}/visits`, { purpose: '走访', user_id: user, visited_on: '2025-11-21' }),
    201, 'visit');
  want(await srv.post('/api/v1/policy-handouts', { event_id: event, title: '政策汇编', copies: 10 }), 201, 'handout');
  // Co-building (issue 18): a unit reporting to the community, a need, a resource, a project built from the need and
  // the unit's claim of it, for the cobuild routes' scope (the unit hangs on the community, the rest on the courtyard).
  const cbUnit = want(await srv.post('/api/v1/cobuild-units', { name: `单位${key}`, kind: 'bank', node_id: community,
    reported_on: '2025-11-20' }), 201, 'cobuild unit').id;
  const cbNeed = want(await srv.post('/api/v1/cobuild-needs', { node_id: court, title: '矩阵需求', kind: 'facility',
    source: 'council' }), 201, 'cobuild need').id;
  const cbResource = want(await srv.post('/api/v1/cobuild-resources', { node_id: court, unit_id: cbUnit, kind: 'venue',
    title: '矩阵资源' }), 201, 'cobuild resource').id;
  const cbProject = want(await srv.post('/api/v1/cobuild-projects', { node_id: court, title: '矩阵项目', need_ids: [cbNeed],
    resource_ids: [cbResource] }), 201, 'cobuild project').id;
  const cbClaim = want(await srv.post(`/api/v1/cobuild-projects/${cbProject}/claim`, { unit_id: cbUnit, due_on: due }), 201,
    'cobuild claim').id;
  const cbYear = Number(due.slice(0, 4));
  const cbAgreement = want(await srv.post('/api/v1/cobuild-agreements', { unit_id: cbUnit, title: '矩阵协议',
    starts_on: `${cbYear - 1}-01-01`, ends_on: `${cbYear + 1}-12-31`, signed_on: '2025-11-20' }), 201, 'cobuild agreement');
  const cbCommitment = want(await srv.post(`/api/v1/cobuild-agreements/${cbAgreement.id}/commitments`, { kind: 'money',
    description: '矩阵承诺', per_year: '100' }), 201, 'cobuild commitment').commitments[0].id;
  const partyMember = want(await srv.post('/api/v1/party-members', { person_id: person, org_id: partyOrg, status: 'formal',
    since: '2020-07-01' }), 201, 'party member').id;
  // A council on the courtyard with a member, a meeting, a passed proposal with a resolution, and a notice (issue 17).
  const council = want(await srv.post('/api/v1/councils', { node_id: court, name: `议事会${key}`, term_start: '2025-01-01',
    term_end: '2027-12-31' }), 201, 'council').id;
  want(await srv.post(`/api/v1/councils/${council}/members`, { name: `委员${key}`, seat: 'resident_rep', joined_on: '2025-01-01' }),
    201, 'council member');
  const councilMeeting = want(await srv.post(`/api/v1/councils/${council}/meetings`, { held_on: '2026-01-10' }), 201,
    'council meeting').id;
  const proposal = want(await srv.post(`/api/v1/councils/${council}/proposals`, { title: `议题${key}` }), 201, 'proposal').id;
  want(await srv.post(`/api/v1/council-proposals/${proposal}/vote`,
    { closes_on: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) }), 200, 'vote opened');
  want(await srv.post(`/api/v1/council-proposals/${proposal}/result`, { yes: 1, no: 0, abstain: 0 }), 200, 'result');
  const resolution = want(await srv.post(`/api/v1/council-proposals/${proposal}/resolutions`, { content: `决议${key}`,
    owner_user_id: user, due_on: due }), 201, 'resolution').id;
  const notice = want(await srv.post('/api/v1/notices', { node_id: court, title: `公示${key}`, body: '矩阵', category: 'other',
    starts_on: '2025-01-01', ends_on: due }), 201, 'notice').id;
  const mediation = want(await srv.post('/api/v1/mediation-cases', { node_id: court, kind: 'neighbours', summary: '矩阵调解' }), 201,
    'mediation case').id;
  want(await srv.post('/api/v1/red-white-filings', { node_id: h2, kind: 'wedding', held_on: '2026-01-10', family_name: `家${key}`,
    tables: 6, frugal_pledge: true }), 201, 'red-white filing');
  // A volunteer team on the courtyard led by the zone's person (the volunteer actor of zone A stands for that
  // person), a kind of duty, a shift in a month's time, and the courtyard's points shop.
  const team = want(await srv.post('/api/v1/volunteer-teams', { name: `巡逻队${key}`, kind: 'patrol', node_id: court,
    leader_person_id: person }), 201, 'volunteer team');
  const shiftType = want(await srv.post(`/api/v1/volunteer-teams/${team.id}/shift-types`, { name: '夜巡', minutes: 120,
    people: 3 }), 201, 'shift type').id;
  const shift = want(await srv.post(`/api/v1/volunteer-teams/${team.id}/shifts`, { type_id: shiftType,
    starts_at: `${new Date(Date.now() + 8 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10)} 19:00` }), 201, 'shift').id;
  const item = want(await srv.post('/api/v1/volunteer-shop-items', { name: '洗衣液', node_id: court, points: 10, stock: 5 }),
    201, 'shop item').id;
  // A patrol of today (the leader joined today): the last minutes, or from just after midnight.
  const at = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
  const midnight = Date.parse(`${new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)}T00:00:00+08:00`);
  const from = Math.max(Date.now() - 600e3, midnight + 1e3);
  const patrol = want(await srv.post(`/api/v1/volunteer-teams/${team.id}/patrols`, { route: '院内一圈',
    started_at: at(from), ended_at: at(Math.max(from + 1e3, Date.now() - 1e3)), person_ids: [person] }), 201, 'patrol');
  const incident = want(await srv.post(`/api/v1/volunteer-patrols/${patrol.id}/incidents`, { description: '路灯不亮',
    node_id: court }), 201, 'incident').incidents[0].id;
  Z[key] = { community, court, bldg, h1, h2, person, partyOrg, careLink, assignment, user, token, grid, project, task, problem,
    meeting, subdistrict: parent.get(community), enterprise, entProblem, event,
    cbUnit, cbNeed, cbResource, cbProject, cbClaim, cbAgreement: cbAgreement.id, cbCommitment, partyMember,
    council, councilMeeting, proposal, resolution, notice, mediation,
    team: team.id, member: team.member_list[0].id, shiftType, shift, item, patrol: patrol.id, incident };
  return Z[key];
}

/*
 *   S 街道 ─ comA ─ A (courtyard A-Y ...), A2 (A2-Y ...)      grid gA on comA
 *          └ comB ─ B                                        grid gB on comB
 *   S2 街道 ─ comC ─ C                                        grid gC on comC
 */
before(async () => {
  [srv, lockSrv] = await Promise.all([startServer(), startServer()]);
  const r = cli(['routes']);
  assert.equal(r.status, 0, r.stderr);
  ROUTES = JSON.parse(r.stdout);
  const roles = want(await srv.get('/api/v1/access-roles'), 200, 'access roles');
  ROLE_PERMS = new Map(roles.items.map((x) => [x.code, new Set(x.permissions)]));

  await node('subdistrict', 'S', null);
  await node('community', 'comA', T.S);
  await node('community', 'comB', T.S);
  await node('subdistrict', 'S2', null);
  await node('community', 'comC', T.S2);
  const grid = async (community, code) => want(await srv.post('/api/v1/grids', { community_id: community, code, name: code }),
    201, 'grid').id;
  const gA = await grid(T.comA, '370000000000001');
  const gB = await grid(T.comB, '370000000000002');
  const gC = await grid(T.comC, '370000000000003');
  await zone('A', T.comA, gA);
  await zone('A2', T.comA, gA);
  await zone('B', T.comB, gB);
  await zone('C', T.comC, gC);
  // The working-day calendar, when the server has one: a year to name in /calendar/{year}.
  if (ROUTES.some((r) => key(r) === 'PUT /api/v1/calendar/{year}')) {
    const dir = new URL('../../share/calendar/', import.meta.url);
    const years = existsSync(dir) ? readdirSync(dir).map((f) => /^(\d{4})\.csv$/.exec(f)?.[1]).filter(Boolean).map(Number) : [];
    if (years.length && !years.includes(CAL_YEAR)) CAL_YEAR = Math.max(...years);
    const file = new URL(`${CAL_YEAR}.csv`, dir);
    if (existsSync(file)) {
      await srv.put(`/api/v1/calendar/${CAL_YEAR}`, readFileSync(file, 'utf8'), { 'Content-Type': 'text/csv' });
    }
    const loaded = (await srv.get('/api/v1/calendar')).body?.items || [];
    if (loaded.length && !loaded.some((y) => y.year === CAL_YEAR)) CAL_YEAR = loaded[loaded.length - 1].year;
  }
  // One Open311 request, for the public reads that name one.
  Z.o311 = want(await srv.req('POST', '/open311/v2/requests.json', 'service_code=env.clean&address_id=A-Y&description=matrix',
    { 'Content-Type': 'application/x-www-form-urlencoded' }), 200, 'open311 request')[0];
  Z.role = want(await srv.post('/api/v1/roles', { code: 'matrix_role', name: '矩阵角色', levels: 'courtyard' }), 201, 'role').id;
  Z.roleSet = want(await srv.post('/api/v1/role-sets', { code: 'matrix_set', name: '矩阵', role_ids: [Z.role] }), 201,
    'role set').id;

  // One actor of every access role (a fresh administrator session, so logging it out
  // leaves the harness's own alone), an API token and nobody at all.
  const spec = [
    ['admin', 'admin', null, 'A', 'C'],
    ['auditor', 'auditor', null, 'A', 'C'],
    ['subdistrict_staff', 'subdistrict_staff', T.S, 'A', 'C'],
    ['community_staff', 'community_staff', T.comA, 'A', 'B'],
    ['courtyard_secretary', 'courtyard_secretary', Z.A.court, 'A', 'A2'],
    ['grid_member', 'grid_member', T.comB, 'B', 'A'],
    ['mobile_grid_member', 'mobile_grid_member', T.comA, 'A', 'B'],
    // A volunteer stands for a person: zone A's, who leads zone A's team (their own team; the others' are not).
    ['volunteer', 'volunteer', Z.A.court, 'A', 'A2'],
  ];
  for (const [name, role, scope, inZ, outZ] of spec) {
    const loginName = name === 'admin' ? 'admin' : `m-${name.replace(/_/g, '-')}`;
    const person = role === 'volunteer' ? Z[inZ].person : null;
    const client = name === 'admin' ? await srv.loginAs('admin', ADMIN_PASSWORD)
      : (await makeUser(loginName, role, scope, { person })).client;
    A[name] = { name, login: loginName, client, scope, perms: ROLE_PERMS.get(role), kind: 'session', in: Z[inZ], out: Z[outZ] };
  }
  auditor = A.auditor.client;
  // A calendar feed of zone B's person, for the public feed route (the matrix's own volunteer makes new tokens of
  // theirs as it goes, which ends the old one).
  const feeder = await makeUser('feed-b', 'volunteer', Z.B.court, { person: Z.B.person });
  Z.icalToken = want(await feeder.client.post('/api/v1/volunteer-me/ical-token', {}), 201, 'ical token').token;
  // The API token holds everything the administrator may hand out to a token, inside community A:
  // tokens administer neither users nor tokens.
  const tokenPerms = [...ROLE_PERMS.get('admin')].filter((p) => p !== 'users.admin' && p !== 'tokens.admin');
  const t = want(await srv.post('/api/v1/tokens', {
    name: 'matrix', permissions: tokenPerms, scope_node_id: T.comA, expires_at: now() + 3600,
  }), 201, 'matrix token');
  A.bearer = { name: 'bearer', client: srv.bearer(t.token), scope: T.comA, perms: new Set(tokenPerms), kind: 'bearer',
    in: Z.A, out: Z.B };
  A.anonymous = { name: 'anonymous', client: srv.anonymous(), scope: null, perms: new Set(), kind: 'anonymous',
    in: Z.A, out: Z.C };
});

after(async () => {
  await Promise.all([srv && srv.stop(), lockSrv && lockSrv.stop()]);
});

// --- the authorisation matrix -------------------------------------------------------------

// The object a path id names, by the route's first segment: its id and the node it hangs on.
const KINDS = {
  nodes: (z) => [z.bldg, z.bldg],
  persons: (z) => [z.person, z.h2],
  'party-orgs': (z) => [z.partyOrg, z.court],
  grids: (z) => [z.grid, z.community],
  assignments: (z) => [z.assignment, z.bldg],
  'care-links': (z) => [z.careLink, z.h2],
  users: (z) => [z.user, z.court],
  tokens: (z) => [z.token, z.court],
  roles: () => [Z.role, DEPLOY],
  'role-sets': () => [Z.roleSet, DEPLOY],
  projects: (z) => [z.project, z.court],
  'project-tasks': (z) => [z.task, z.court],
  'project-problems': (z) => [z.problem, z.court],
  'project-meetings': (z) => [z.meeting, z.subdistrict],
  enterprises: (z) => [z.enterprise, z.court],
  'enterprise-problems': (z) => [z.entProblem, z.court],
  'enterprise-events': (z) => [z.event, z.court],
  'cobuild-units': (z) => [z.cbUnit, z.community],
  'cobuild-needs': (z) => [z.cbNeed, z.court],
  'cobuild-resources': (z) => [z.cbResource, z.court],
  'cobuild-projects': (z) => [z.cbProject, z.court],
  'cobuild-claims': (z) => [z.cbClaim, z.court],
  'cobuild-agreements': (z) => [z.cbAgreement, z.community],
  'cobuild-commitments': (z) => [z.cbCommitment, z.community],
  'party-members': (z) => [z.partyMember, z.court],
  councils: (z) => [z.council, z.court],
  'council-meetings': (z) => [z.councilMeeting, z.court],
  'council-proposals': (z) => [z.proposal, z.court],
  'council-resolutions': (z) => [z.resolution, z.court],
  notices: (z) => [z.notice, z.court],
  'mediation-cases': (z) => [z.mediation, z.court],
  'volunteer-teams': (z) => [z.team, z.court],
  'volunteer-members': (z) => [z.member, z.court],
  'volunteer-shift-types': (z) => [z.shiftType, z.court],
  'volunteer-shifts': (z) => [z.shift, z.court],
  volunteers: (z) => [z.person, z.h2],
  'volunteer-shop-items': (z) => [z.item, z.court],
  'volunteer-patrols': (z) => [z.patrol, z.court],
  'volunteer-patrol-incidents': (z) => [z.incident, z.court],
};
// Creates of deployment-wide objects (not on the tree).
const DEPLOY_CREATES = new Set(['POST /api/v1/roles', 'POST /api/v1/role-sets']);
// Path parameters other than {id}: the value and the anchor.
const PARAMS = {
  year: () => [CAL_YEAR, DEPLOY],
  // Open311's public reads: a service, and the request filed in before() with its token.
  service_code: () => ['env.clean', null],
  service_request_id: () => [Z.o311.service_request_id, null],
  token_id: () => [Z.o311.token, null],
  // A volunteer's calendar feed: public, behind the personal token.
  token: () => [Z.icalToken, null],
};
// Open311 answers a missing api_key 403, as its spec says, in its own error form.
const isOpen311 = (r) => r.pattern.startsWith('/open311/');
// Where an object of a kind this file does not know hangs on the tree, guessed from its fields.
const ANCHOR_FIELDS = ['home_node_id', 'household_id', 'node_id', 'community_id', 'scope_node_id'];
function guessAnchor(item) {
  if (!item || typeof item !== 'object') return UNKNOWN;
  for (const f of ANCHOR_FIELDS) if (f in item) return item[f] || null;
  return UNKNOWN;
}
// For a kind not in KINDS: objects from its list (GET /api/v1/KIND as the administrator), one in
// and one out of each actor's scope, when its items tell where they hang.
// The list is read once; actors asking at the same time share the one answer (FOUND holds the promise).
function findObjects(kind) {
  FOUND[kind] ||= (async () => {
    const res = await srv.get(`/api/v1/${kind}?limit=500`);
    const items = res.status === 200 && Array.isArray(res.body?.items) ? res.body.items : [];
    const placed = items.map((x) => [x.id, guessAnchor(x)]).filter(([id, a]) => Number.isInteger(id) && a !== UNKNOWN && a !== null);
    return placed.length ? placed : null;
  })();
  return FOUND[kind];
}

// List routes that take a node to look under (in or out of scope like a path id).
const NODE_QUERY = {
  'GET /api/v1/nodes': 'under', 'GET /api/v1/party-orgs': 'under', 'GET /api/v1/grids': 'under',
  'GET /api/v1/persons': 'under', 'GET /api/v1/assignments': 'under', 'GET /api/v1/care-links': 'under',
  'GET /api/v1/enterprises': 'under', 'GET /api/v1/enterprise-problems': 'under', 'GET /api/v1/enterprise-honours': 'under',
  'GET /api/v1/enterprise-visits': 'under', 'GET /api/v1/enterprise-events': 'under', 'GET /api/v1/policy-handouts': 'under',
  'GET /api/v1/export/nodes.csv': 'under', 'GET /api/v1/export/persons.csv': 'under', 'GET /api/v1/coverage': 'node',
  // The request's place: a place outside the scope is not found (suggest.test.mjs checks the answers).
  'GET /api/v1/suggestions': 'node_id', 'GET /api/v1/insight/hotspots': 'node',
  'GET /api/v1/insight/pressure': 'node',
  'GET /api/v1/cobuild-needs': 'under', 'GET /api/v1/cobuild-resources': 'under', 'GET /api/v1/cobuild-projects': 'under',
  'GET /api/v1/cobuild-claims': 'under', 'GET /api/v1/cobuild-units': 'under', 'GET /api/v1/cobuild-agreements': 'under',
  'GET /api/v1/party-members': 'under', 'GET /api/v1/party-branch-view': 'under',
};
// Bodies for writes: an empty object unless the route needs something to do its work.
let made = 0;
const BODIES = {
  'POST /api/v1/persons/{id}/reveal': { fields: ['phone'] },
  'POST /api/v1/enterprises/{id}/reveal': { fields: ['phone'] },
  // Valid, so that a create that should be refused would really happen.
  'POST /api/v1/roles': () => [{ code: `matrix_role_${++made}`, name: '矩阵', levels: 'courtyard' }],
  'POST /api/v1/role-sets': () => [{ code: `matrix_set_${++made}`, name: '矩阵' }],
  // The year's own file, so that the write would really happen.
  'PUT /api/v1/calendar/{year}': () => {
    const file = new URL(`../../share/calendar/${CAL_YEAR}.csv`, import.meta.url);
    return existsSync(file) ? [readFileSync(file, 'utf8'), { 'Content-Type': 'text/csv' }] : [{}];
  },
};
function bodyFor(route) {
  if (!isWrite(route.method) || route.method === 'DELETE') return [undefined];
  const b = BODIES[key(route)];
  return typeof b === 'function' ? b() : [b || {}];
}
const isWrite = (m) => m !== 'GET' && m !== 'HEAD';
const key = (r) => `${r.method} ${r.pattern}`;

// The calls to make for one route and actor: [{ label, path, anchor }].
async function callsFor(route, actor) {
  const m = /\{(\w+)\}/.exec(route.pattern);
  if (m) {
    const unknown = () => {
      unchecked.add(key(route));
      return [{ label: 'scope unknown', path: route.pattern.replace(/\{\w+\}/g, '1'), anchor: UNKNOWN }];
    };
    if ((route.pattern.match(/\{/g) || []).length > 1) return unknown();
    if (PARAMS[m[1]]) {
      const [v, anchor] = PARAMS[m[1]]();
      return [{ label: `${m[1]} ${v}`, path: route.pattern.replace(m[0], String(v)), anchor }];
    }
    const kind = new RegExp(`^/api/v1/([^/]+)/\\{${m[1]}\\}`).exec(route.pattern)?.[1];
    if (m[1] === 'id' && KINDS[kind]) {
      const calls = ['in', 'out'].map((side) => {
        const [id, anchor] = KINDS[kind](actor[side]);
        return { label: `${side} ${kind} ${id}`, path: route.pattern.replace('{id}', String(id)), anchor };
      });
      return calls[0].path === calls[1].path ? [{ ...calls[0], label: `${kind} ${calls[0].path.split('/').pop()}` }] : calls;
    }
    // A kind this file does not know: objects found through its list, else auth checks only.
    const found = m[1] === 'id' && kind ? await findObjects(kind) : null;
    if (!found) return unknown();
    const inside = found.find(([, a]) => within(actor.scope, a));
    const outside = found.find(([, a]) => !within(actor.scope, a));
    return [inside, outside].filter(Boolean).map(([id, anchor]) => ({
      label: `${within(actor.scope, anchor) ? 'in' : 'out'} ${kind} ${id} (found)`,
      path: route.pattern.replace('{id}', String(id)), anchor,
    }));
  }
  if (DEPLOY_CREATES.has(key(route))) return [{ label: 'deployment-wide', path: route.pattern, anchor: DEPLOY }];
  const q = NODE_QUERY[key(route)];
  if (q) {
    return ['in', 'out'].map((side) => ({
      label: `${side} ?${q}=${actor[side].court}`, path: `${route.pattern}?${q}=${actor[side].court}`,
      anchor: actor[side].court,
    }));
  }
  return [{ label: 'no object', path: route.pattern, anchor: null }];
}

// What the answer must be: { only: [statuses] } or { ok: true } (not 401/403/404, not 5xx).
function expectation(route, actor, anchor) {
  if (route.permission === 'public') return { ok: true };
  if (actor.kind === 'anonymous') return { only: [isOpen311(route) ? 403 : 401] };
  if (route.permission === 'login') {
    if (actor.kind === 'bearer' && key(route) === 'POST /api/v1/auth/password') return { only: [403] };	// no password
    return { ok: true };
  }
  if (!actor.perms.has(route.permission)) return { only: [403] };
  // Deployment-wide routes (ROUTE_UNSCOPED) are refused to every scoped actor.
  if (route.unscoped && actor.scope) return { only: [403] };
  // Without workorder.read_all one sees only the orders one filed (workorder.h); this file's orders
  // (the Open311 request of before()) were filed by the administrator.
  if (route.pattern.startsWith('/api/v1/work-orders/{id}') && !actor.perms.has('workorder.read_all')) return { only: [404] };
  if (anchor === UNKNOWN) return { answered: true };
  if (anchor === null || !actor.scope) return { ok: true };
  // Deployment-wide objects: read by everyone who may, changed only by unscoped actors.
  if (anchor === DEPLOY) return isWrite(route.method) ? { refused: true } : { ok: true };
  return within(actor.scope, anchor) ? { ok: true } : { only: [404] };
}

function judge(res, exp) {
  if (res.status >= 500) return 'a 5xx answer';
  if (exp.only) return exp.only.includes(res.status) ? null : `expected ${exp.only.join(' or ')}`;
  if (exp.answered) return [401, 403].includes(res.status) ? 'expected an answer (the permission is held)' : null;
  if (exp.refused) return res.status < 400 ? 'expected a refusal: a scoped actor changed a deployment-wide object' : null;
  return [401, 403, 404].includes(res.status) ? 'expected success (the permission is held, the object in scope)' : null;
}

async function runMatrix(actor, routes, bad, counts) {
  for (const route of routes) {
    for (const call of await callsFor(route, actor)) {
      counts[actor.name] = (counts[actor.name] || 0) + 1;
      const [body, headers] = bodyFor(route);
      const res = await actor.client.req(route.method, call.path, body, headers);
      const why = judge(res, expectation(route, actor, call.anchor));
      if (why) bad.push(`${actor.name} ${route.method} ${call.path} (${call.label}): ${why}, got ${res.status} ${res.text.slice(0, 160)}`);
      if (res.status === 401 && actor.kind !== 'anonymous' && route.pattern !== '/api/v1/auth/logout') {
        // A lost session would make every later answer meaningless.
        assert.fail(`${actor.name} lost its session at ${route.method} ${call.path}: ${res.text}`);
      }
    }
  }
}

describe('authorisation matrix', () => {
  test('the route table declares a permission for every route', () => {
    assert.ok(ROUTES.length > 40, `only ${ROUTES.length} routes`);
    const known = new Set(['public', 'login', ...[...ROLE_PERMS.values()].flatMap((s) => [...s])]);
    for (const r of ROUTES) {
      assert.ok(typeof r.permission === 'string' && r.permission, `${key(r)} has no permission`);
      assert.ok(known.has(r.permission), `${key(r)}: permission '${r.permission}' is held by no access role`);
    }
    const pub = ROUTES.filter((r) => r.permission === 'public' && !isOpen311(r)).map(key).sort();
    assert.deepEqual(pub, ['GET /api/openapi.json', 'GET /api/v1/public/boards/{id}', 'GET /api/v1/volunteer-ical/{token}.ics',
      'GET /healthz', 'GET /metrics', 'POST /api/v1/auth/login', 'POST /api/v1/public/rating', 'POST /api/v1/public/status'],
      'only health, login, the API description, metrics (limited by address), a resident\'s own request (by its'
      + ' number and phone), a courtyard\'s notice board (what is published) and a volunteer\'s calendar feed (by its'
      + ' personal token) are public');
    // Open311 reads are public by its spec; its writes need an api_key.
    for (const r of ROUTES.filter(isOpen311)) assert.equal(r.permission === 'public', r.method === 'GET', key(r));
  });

  test('scoped lists contain only what lies inside the scope', async (t) => {
    const bad = [];
    const ITEM_ANCHOR = {
      'GET /api/v1/nodes': (x) => x.id, 'GET /api/v1/party-orgs': (x) => x.node_id,
      'GET /api/v1/grids': (x) => x.community_id, 'GET /api/v1/persons': (x) => x.home_node_id,
      'GET /api/v1/assignments': (x) => x.node_id, 'GET /api/v1/care-links': (x) => x.household_id,
      'GET /api/v1/users': (x) => x.scope_node_id, 'GET /api/v1/tokens': (x) => x.scope_node_id,
      'GET /api/v1/enterprises': (x) => x.node_id, 'GET /api/v1/enterprise-problems': (x) => x.node_id,
      'GET /api/v1/enterprise-honours': (x) => x.node_id, 'GET /api/v1/enterprise-visits': (x) => x.node_id,
      'GET /api/v1/enterprise-events': (x) => x.node_id, 'GET /api/v1/policy-handouts': (x) => x.node_id,
    };
    // What the actor must find in the list (their own zone's object), when it is in scope.
    const MUST = {
      'GET /api/v1/nodes': (z) => [z.bldg, (x) => x.id], 'GET /api/v1/persons': (z) => [z.person, (x) => x.id],
      'GET /api/v1/party-orgs': (z) => [z.partyOrg, (x) => x.id], 'GET /api/v1/assignments': (z) => [z.assignment, (x) => x.id],
      'GET /api/v1/care-links': (z) => [z.careLink, (x) => x.id], 'GET /api/v1/users': (z) => [z.user, (x) => x.id],
      'GET /api/v1/tokens': (z) => [z.token, (x) => x.id],
      'GET /api/v1/enterprises': (z) => [z.enterprise, (x) => x.id],
      'GET /api/v1/enterprise-problems': (z) => [z.problem, (x) => x.id],
      'GET /api/v1/volunteer-teams': (z) => [z.team, (x) => x.id],
      'GET /api/v1/volunteer-shifts': (z) => [z.shift, (x) => x.id],
      'GET /api/v1/volunteer-shop-items': (z) => [z.item, (x) => x.id],
    };
    const DEPLOYMENT_LISTS = new Set(['GET /api/v1/roles', 'GET /api/v1/role-sets', 'GET /api/v1/access-roles',
      'GET /api/v1/calendar']);
    // Report exports: the column holding each row's node code (a scope may hold no orders: none is fine).
    const CSV_CODE = { 'GET /api/v1/export/work-orders.csv': '地点编码', 'GET /api/v1/export/stats.csv': '编码' };
    const NOT_LISTS = new Set(['GET /api/v1/coverage', 'GET /api/v1/audit/verify', 'GET /healthz', 'GET /api/v1/auth/me',
      'GET /api/v1/suggestions', 'GET /api/v1/insight/hotspots', 'GET /api/v1/insight/pressure',
      'GET /api/v1/volunteer-me']);
    const codes = new Map([...Object.entries(T)].map(([name, id]) => [name, id]));	// codes are the node names
    const unlisted = new Map();	// GET routes whose items were not checked -> why
    let checked = 0;
    for (const actor of Object.values(A).filter((a) => a.scope)) {
      for (const route of ROUTES.filter((r) => r.method === 'GET' && !r.pattern.includes('{'))) {
        const k = key(route);
        if (NOT_LISTS.has(k) || DEPLOYMENT_LISTS.has(k) || !actor.perms.has(route.permission) || route.unscoped) continue;
        const res = await actor.client.get(`${route.pattern}?limit=500&depth=6`);
        if (res.status === 400) { unlisted.set(k, `answers 400 to ${route.pattern}?limit=500&depth=6`); continue; }
        if (res.status !== 200) { bad.push(`${actor.name} ${k}: ${res.status} ${res.text.slice(0, 120)}`); continue; }
        if (!k.endsWith('.csv') && !Array.isArray(res.body?.items)) { unlisted.set(k, 'answers no list of items'); continue; }
        checked++;
        if (k === 'GET /api/v1/tree') {
          const walk = (n) => {
            if (!within(actor.scope, n.id)) bad.push(`${actor.name} ${k}: node ${n.id} is outside the scope`);
            (n.children || []).forEach(walk);
          };
          res.body.items.forEach(walk);
          assert.deepEqual(res.body.items.map((n) => n.id), [actor.scope], `${actor.name}: the tree starts at the scope`);
          continue;
        }
        if (k.endsWith('.csv')) {
          const lines = res.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
          const head = lines[0].split(',');
          const col = head.indexOf(CSV_CODE[k] || (k.endsWith('persons.csv') ? 'home_code' : 'code'));
          assert.ok(col >= 0, `${k}: no code column in ${lines[0]}`);
          for (const line of lines.slice(1)) {
            const code = line.split(',')[col];
            if (!within(actor.scope, codes.get(code))) bad.push(`${actor.name} ${k}: a row outside the scope: ${line}`);
          }
          assert.ok(lines.length > 1 || CSV_CODE[k], `${actor.name} ${k}: nothing exported inside the scope`);
          continue;
        }
        const anchor = ITEM_ANCHOR[k] || guessAnchor;
        if (!ITEM_ANCHOR[k] && res.body.items.some((x) => guessAnchor(x) === UNKNOWN)) {
          unlisted.set(k, 'its items hang on no node this file knows');
          continue;
        }
        for (const item of res.body.items) {
          if (!within(actor.scope, anchor(item))) bad.push(`${actor.name} ${k}: item ${JSON.stringify(item).slice(0, 120)} is outside the scope`);
        }
        if (MUST[k]) {
          const [id, idOf] = MUST[k](actor.in);
          if (!res.body.items.some((x) => idOf(x) === id)) bad.push(`${actor.name} ${k}: its own zone's item ${id} is missing`);
        }
      }
    }
    assert.ok(checked >= 20, `only ${checked} lists checked`);
    for (const [k, why] of unlisted) {
      if (NOT_SCOPE_CHECKED.has(k)) t.diagnostic(`${k}: scope not checked: ${NOT_SCOPE_CHECKED.get(k)}`);
      else bad.push(`${k} ${why}: give it an anchor (ITEM_ANCHOR), or add it to NOT_SCOPE_CHECKED saying why`);
    }
    for (const k of NOT_SCOPE_CHECKED.keys()) {
      if (!k.includes('{') && !unlisted.has(k)) bad.push(`${k} is in NOT_SCOPE_CHECKED but its scope is checked now (or it is gone): remove it`);
    }
    assert.deepEqual(bad, [], `${bad.length} problems:\n${bad.join('\n')}`);
  });

  test('every route x every actor: 401 anonymous, 403 without the permission, 404 outside the scope, never 5xx', async (t) => {
    // Logging out ends the session: it goes last.
    const routes = [...ROUTES].sort((a, b) => (a.pattern === '/api/v1/auth/logout') - (b.pattern === '/api/v1/auth/logout'));
    const bad = [];
    const counts = {};
    // Sessions of their own: the matrix logs them out at the end.
    const actors = await Promise.all(Object.values(A).map(async (a) => (a.kind !== 'session' ? a
      : { ...a, client: await srv.loginAs(a.login, a.login === 'admin' ? ADMIN_PASSWORD : PW) })));
    await Promise.all(actors.map((actor) => runMatrix(actor, routes, bad, counts)));
    for (const r of unchecked) {
      if (NOT_SCOPE_CHECKED.has(r)) t.diagnostic(`${r}: scope not checked: ${NOT_SCOPE_CHECKED.get(r)}`);
      else bad.push(`${r}: scope not checked (no object of its kind found): add it to KINDS or PARAMS, or to NOT_SCOPE_CHECKED saying why`);
    }
    for (const r of NOT_SCOPE_CHECKED.keys()) {
      if (r.includes('{') && !unchecked.has(r)) bad.push(`${r} is in NOT_SCOPE_CHECKED but its scope is checked now (or it is gone): remove it`);
    }
    for (const a of actors) assert.ok(counts[a.name] > ROUTES.length, `${a.name}: only ${counts[a.name]} calls`);
    assert.deepEqual(bad, [], `${bad.length} wrong answers:\n${bad.join('\n')}`);
  });

  test('odd path ids answer 400 or 404, never 5xx, on every {id} route', async () => {
    const bad = [];
    for (const r of ROUTES.filter((x) => x.pattern.includes('{id}'))) {
      for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999', '999999', '%00', '1%20OR%201=1']) {
        const res = await srv.req(r.method, r.pattern.replace('{id}', id), isWrite(r.method) && r.method !== 'DELETE' ? {} : undefined);
        if (![400, 404].includes(res.status)) bad.push(`${r.method} ${r.pattern.replace('{id}', id)}: ${res.status} ${res.text.slice(0, 100)}`);
      }
    }
    assert.deepEqual(bad, []);
  });
});

// --- lockout ----------------------------------------------------------------------------

describe('lockout', () => {
  test('5 failures lock the account and the source address for 15 minutes', async (t) => {
    const s = lockSrv;
    for (const l of ['lock-one', 'lock-two']) {
      // Auditors come from the console; set the test's password through a first login.
      const made = consoleUser(s, l, 'auditor');
      await s.loginAs(l, made.password, INIT_PW);
    }
    // Other loopback source addresses (127.0.0.2, .3) tell the account's lock from the address's.
    let aliases = true;
    try {
      await loginFrom(s.port, '127.0.0.3', 'lock-two', INIT_PW);
    } catch (e) {
      aliases = false;
      t.diagnostic(`no loopback alias to send from (${e.code}): the account lock is checked together with the address lock`);
    }
    // Unknown login, wrong password: the same answer, so logins cannot be discovered
    // (from 127.0.0.3, so that 127.0.0.1 counts only lock-one's failures).
    const unknown = aliases ? await loginFrom(s.port, '127.0.0.3', 'no-such-user', 'Wrong-Pass-1')
      : await login(s.base, 'no-such-user', 'Wrong-Pass-1');
    if (!aliases) assert.equal((await login(s.base, 'lock-two', INIT_PW)).status, 200);	// clears the address count
    assert.equal(unknown.status, 401, unknown.text);
    assert.equal(unknown.body.error.code, 'login_failed');
    // lock-one fails 5 times from 127.0.0.1.
    for (let i = 0; i < 5; i++) {
      const r = await login(s.base, 'lock-one', `Wrong-Pass-${i}`);
      assert.equal(r.status, 401, r.text);
      assert.equal(r.body.error.message, unknown.body.error.message);
      assert.equal(r.body.error.field, 'password');
      assert.equal(r.setCookie, '');
    }
    const refused = await login(s.base, 'lock-one', INIT_PW);
    assert.ok(refused.status === 401 || refused.status === 403, refused.text);
    assert.match(refused.body.error.message, /too many failed logins/);
    assert.match(refused.body.error.message, /15 minutes/);
    assert.equal(refused.setCookie, '', 'no session cookie');
    // The address is locked too: another account with the right password, from 127.0.0.1.
    const other = await login(s.base, 'lock-two', INIT_PW);
    assert.ok(other.status === 401 || other.status === 403, other.text);
    assert.match(other.body.error.message, /too many failed logins/);
    // A session made before the lock still works: the lock is on logging in.
    assert.equal((await s.get('/api/v1/auth/me')).status, 200);
    // From another address: the locked account is still refused, the other account is not.
    if (!aliases) return;
    const fromTwo = await loginFrom(s.port, '127.0.0.2', 'lock-one', INIT_PW);
    assert.ok(fromTwo.status === 401 || fromTwo.status === 403, fromTwo.text);
    assert.match(fromTwo.body.error.message, /too many failed logins/);
    const okTwo = await loginFrom(s.port, '127.0.0.2', 'lock-two', INIT_PW);
    assert.equal(okTwo.status, 200, okTwo.text);
    assert.equal(okTwo.body.login, 'lock-two');
    // lock-two is an auditor: the refusals are in the log, as denied logins.
    const aud = makeClient(s.base, { cookie: okTwo.cookie, csrf: okTwo.body.csrf_token });
    want(await aud.post('/api/v1/auth/password', { old_password: INIT_PW, password: PW }), 200, 'change');
    const rows = want(await aud.get('/api/v1/audit?action=login&limit=100'), 200, 'audit').items;
    const count = (l, r) => rows.filter((x) => x.login === l && x.result === r).length;
    assert.equal(count('lock-one', 'failure'), 5, JSON.stringify(rows));
    assert.equal(count('lock-one', 'denied'), 2);
    assert.equal(count('lock-two', 'denied'), 1);
    assert.equal(count('no-such-user', 'failure'), 1);
    assert.ok(rows.some((x) => x.login === 'lock-one' && x.result === 'denied' && x.remote === '127.0.0.2'));
  });
});

// --- forced password change -------------------------------------------------------------

describe('forced password change', () => {
  test('a new user reaches only the "login" routes until the password is changed', async () => {
    const created = want(await srv.post('/api/v1/users', { login: 'newbie', role: 'grid_member', scope_node_id: Z.A.court }),
      201, 'create newbie');
    assert.equal(created.must_change_password, true);
    assert.equal(typeof created.password, 'string', 'a generated password is shown once');
    assert.ok(created.password.length >= 12);
    const again = want(await srv.get(`/api/v1/users/${created.id}`), 200, 'get newbie');
    assert.ok(!('password' in again) && !JSON.stringify(again).includes(created.password), 'shown only once');
    assert.ok(!(await srv.get('/api/v1/users?limit=500')).text.includes(created.password));

    const l = await login(srv.base, 'newbie', created.password);
    assert.equal(l.status, 200, l.text);
    assert.equal(l.body.must_change_password, true);
    const c = makeClient(srv.base, { cookie: l.cookie, csrf: l.body.csrf_token });
    const bad = [];
    for (const r of ROUTES.filter((x) => x.permission !== 'public' && x.permission !== 'login')) {
      const res = await c.req(r.method, r.pattern.replace('{id}', '1'), isWrite(r.method) && r.method !== 'DELETE' ? {} : undefined);
      const refused = isOpen311(r) ? res.status === 403 && /change your password/.test(res.text)
        : res.status === 403 && res.body?.error?.code === 'password_change_required';
      if (!refused) bad.push(`${key(r)}: ${res.status} ${res.text.slice(0, 100)}`);
    }
    assert.deepEqual(bad, []);
    assert.equal(want(await c.get('/api/v1/auth/me'), 200, 'me').login, 'newbie');

    // The policy: 8+ characters, 3 of 4 classes, not the login; errors name "password".
    const change = (old_password, password) => c.post('/api/v1/auth/password', { old_password, password });
    for (const pw of ['Ab1!', 'alllowercase', 'ALLUPPER123', 'lower-and-dashes', 'X-newbie-9', 'NEWBIE-pass1', created.password]) {
      const r = await change(created.password, pw);
      assert.equal(r.status, 400, `${pw}: ${r.text}`);
      assert.equal(errorOf(r).field, 'password', `${pw}: ${r.text}`);
    }
    assert.equal(errorOf(await c.post('/api/v1/auth/password', { old_password: created.password })).field, 'password');
    const wrongOld = await change('Not-The-Old-1', PW);
    assert.equal(wrongOld.status, 400);
    assert.equal(errorOf(wrongOld).field, 'old_password');
    // Creating a user with a password also applies the policy.
    const weak = await srv.post('/api/v1/users', { login: 'weakling', role: 'grid_member', scope_node_id: Z.A.court, password: 'password' });
    assert.equal(weak.status, 400, weak.text);
    assert.equal(errorOf(weak).field, 'password');

    // A second session of the same user ends when the password changes in the first.
    const l2 = await login(srv.base, 'newbie', created.password);
    const c2 = makeClient(srv.base, { cookie: l2.cookie, csrf: l2.body.csrf_token });
    want(await change(created.password, PW), 200, 'change');
    const me = want(await c.get('/api/v1/auth/me'), 200, 'me after change');
    assert.equal(me.must_change_password, false);
    assert.equal((await c.get(`/api/v1/nodes/${Z.A.court}`)).status, 200);
    assert.equal((await c2.get('/api/v1/auth/me')).status, 401, 'the other session ended');
    assert.equal((await login(srv.base, 'newbie', created.password)).status, 401, 'the old password is gone');
    assert.equal((await login(srv.base, 'newbie', PW)).body.must_change_password, false);
  });
});

// --- CSRF and the cookie ------------------------------------------------------------------

describe('CSRF and the session cookie', () => {
  test('the session cookie is a 256-bit token, HttpOnly, SameSite=Strict, Path=/', async () => {
    const l = await login(srv.base, 'admin', ADMIN_PASSWORD);
    assert.equal(l.status, 200);
    const attrs = l.setCookie.split(';').map((x) => x.trim());
    assert.match(attrs[0], /^yl_session=[A-Za-z0-9_-]{43}$/, l.setCookie);
    assert.ok(attrs.includes('HttpOnly'), l.setCookie);
    assert.ok(attrs.includes('SameSite=Strict'), l.setCookie);
    assert.ok(attrs.includes('Path=/'), l.setCookie);
    assert.match(l.body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(l.body.csrf_token, tokenOf(l.cookie));
    assert.ok(!l.text.includes(tokenOf(l.cookie)), 'the session token is not in the body (HttpOnly means nothing otherwise)');
  });

  test('a write with the cookie but without the right X-CSRF-Token is 403 "csrf" and writes nothing', async () => {
    const other = await srv.loginAs('admin', ADMIN_PASSWORD);
    const tok = want(await srv.post('/api/v1/tokens', {
      name: 'csrf-victim', permissions: ['org.read'], scope_node_id: T.comC, expires_at: now() + 600,
    }), 201, 'token').id;
    const attempts = [
      ['POST', '/api/v1/nodes', { level: 'building', name: 'csrf-none', parent_id: Z.A.court }, { 'X-CSRF-Token': undefined }],
      ['POST', '/api/v1/nodes', { level: 'building', name: 'csrf-wrong', parent_id: Z.A.court }, { 'X-CSRF-Token': 'x'.repeat(43) }],
      ['POST', '/api/v1/nodes', { level: 'building', name: 'csrf-other', parent_id: Z.A.court }, { 'X-CSRF-Token': other.session.csrf }],
      ['POST', '/api/v1/nodes', { level: 'building', name: 'csrf-empty', parent_id: Z.A.court }, { 'X-CSRF-Token': '' }],
      ['PATCH', `/api/v1/nodes/${Z.C.bldg}`, { name: 'csrf-renamed' }, { 'X-CSRF-Token': undefined }],
      ['PATCH', `/api/v1/persons/${Z.C.person}`, { name: 'csrf-renamed' }, { 'X-CSRF-Token': srv.session.csrf.toLowerCase() + 'x' }],
      ['DELETE', `/api/v1/tokens/${tok}`, undefined, { 'X-CSRF-Token': undefined }],
      ['POST', `/api/v1/persons/${Z.C.person}/reveal`, { fields: ['phone'] }, { 'X-CSRF-Token': undefined }],
      ['POST', '/api/v1/auth/logout', {}, { 'X-CSRF-Token': undefined }],
    ];
    for (const [m, p, b, h] of attempts) {
      const r = await srv.req(m, p, b, h);
      assert.equal(r.status, 403, `${m} ${p}: ${r.text}`);
      assert.equal(errorOf(r).code, 'csrf', `${m} ${p}`);
      assert.ok(!r.text.includes('1370000000'), 'no phone revealed');
    }
    const names = (await srv.get(`/api/v1/nodes?under=${Z.A.court}&limit=500`)).body.items.map((n) => n.name);
    assert.ok(!names.some((n) => n.startsWith('csrf')), names.join(','));
    assert.equal((await srv.get(`/api/v1/nodes/${Z.C.bldg}`)).body.name, 'C-B');
    assert.notEqual((await srv.get(`/api/v1/persons/${Z.C.person}`)).body.name, 'csrf-renamed');
    assert.equal((await srv.get('/api/v1/tokens')).body.items.find((t) => t.id === tok).revoked_at, null);
    assert.equal((await srv.get('/api/v1/auth/me')).status, 200, 'logout without the token did not log out');
    // Reads need no CSRF token.
    assert.equal((await srv.get('/api/v1/auth/me', { 'X-CSRF-Token': undefined })).status, 200);
    // The refusals are in the audit log.
    const denied = want(await auditor.get('/api/v1/audit?result=denied&action=POST%20/api/v1/nodes&limit=50'), 200, 'audit');
    assert.ok(denied.items.some((x) => /CSRF/i.test(x.detail || '') && x.login === 'admin'), JSON.stringify(denied.items.slice(0, 3)));
  });

  test('a bearer token needs no CSRF header', async () => {
    const t = want(await srv.post('/api/v1/tokens', {
      name: 'csrf-free', permissions: ['org.read', 'org.write'], scope_node_id: T.comA, expires_at: now() + 600,
    }), 201, 'token');
    const b = srv.bearer(t.token);
    const r = await b.post('/api/v1/nodes', { level: 'building', name: 'bearer-made', parent_id: Z.A.court });
    assert.equal(r.status, 201, r.text);
    assert.equal((await b.patch(`/api/v1/nodes/${r.body.id}`, { name: 'bearer-renamed' })).body.name, 'bearer-renamed');
  });
});

// --- logout, disable, reset ---------------------------------------------------------------

describe('ending sessions', () => {
  test('logout ends the session and clears the cookie', async () => {
    const c = await srv.loginAs('admin', ADMIN_PASSWORD);
    assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    const out = await c.post('/api/v1/auth/logout', {});
    assert.equal(out.status, 200, out.text);
    assert.match(out.headers.get('set-cookie') || '', /yl_session=;.*Max-Age=0/);
    const after = await c.get('/api/v1/auth/me');
    assert.equal(after.status, 401);
    assert.equal(errorOf(after).code, 'unauthenticated');
    assert.equal((await srv.get('/api/v1/auth/me')).status, 200, 'other sessions of the same user go on');
  });

  test('disabling a user ends their sessions and refuses their logins; enabling lets them in again', async () => {
    const u = await makeUser('to-disable', 'grid_member', Z.B.court);
    assert.equal((await u.client.get(`/api/v1/nodes/${Z.B.court}`)).status, 200);
    const d = want(await srv.patch(`/api/v1/users/${u.id}`, { disabled: true }), 200, 'disable');
    assert.equal(d.disabled, true);
    assert.equal((await u.client.get(`/api/v1/nodes/${Z.B.court}`)).status, 401);
    const refused = await login(srv.base, 'to-disable', PW);
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.body.error.code, 'login_failed');
    want(await srv.patch(`/api/v1/users/${u.id}`, { disabled: false }), 200, 'enable');
    assert.equal((await login(srv.base, 'to-disable', PW)).status, 200);
  });

  test('reset-password returns a generated password once, ends sessions and forces a change', async () => {
    const u = await makeUser('to-reset', 'grid_member', Z.B.court);
    const r = want(await srv.post(`/api/v1/users/${u.id}/reset-password`, {}), 200, 'reset');
    assert.equal(typeof r.password, 'string');
    assert.ok(r.password.length >= 12);
    assert.equal(r.must_change_password, true);
    assert.ok(!JSON.stringify(want(await srv.get(`/api/v1/users/${u.id}`), 200, 'get')).includes(r.password));
    assert.equal((await u.client.get('/api/v1/auth/me')).status, 401, 'the old session ended');
    assert.equal((await login(srv.base, 'to-reset', PW)).status, 401, 'the old password is gone');
    const l = await login(srv.base, 'to-reset', r.password);
    assert.equal(l.status, 200, l.text);
    assert.equal(l.body.must_change_password, true);
    const c = makeClient(srv.base, { cookie: l.cookie, csrf: l.body.csrf_token });
    assert.equal(errorOf(await c.get('/api/v1/nodes')).code, 'password_change_required');
  });
});

// --- idle and absolute expiry ---------------------------------------------------------------

describe('session expiry', { skip: SKIP_SQL }, () => {
  let s;
  before(async () => { s = await startServer({ args: ['--session-idle', '60'] }); });
  after(async () => { if (s) await s.stop(); });

  // Only the token's SHA-256 is stored: that is how the row is found.
  const rowOf = (client) => `token_hash = '${sha256(tokenOf(client.session.cookie))}'`;

  test('sessions are stored only as the hash of their token', async () => {
    const c = await s.loginAs('admin', ADMIN_PASSWORD);
    assert.equal(sqlite(s.db, `SELECT count(*) FROM sessions WHERE ${rowOf(c)};`).trim(), '1');
    assert.ok(!sqlite(s.db, 'SELECT * FROM sessions;').includes(tokenOf(c.session.cookie)));
  });

  test('a session unused for longer than --session-idle answers 401 "expired"', async () => {
    const c = await s.loginAs('admin', ADMIN_PASSWORD);
    assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    sqlite(s.db, `UPDATE sessions SET last_seen_at = ${now() - 61} WHERE ${rowOf(c)};`);
    const r = await c.get('/api/v1/auth/me');
    assert.equal(r.status, 401, r.text);
    assert.match(errorOf(r).message, /expired/);
    // Just inside the idle time it still works.
    const c2 = await s.loginAs('admin', ADMIN_PASSWORD);
    sqlite(s.db, `UPDATE sessions SET last_seen_at = ${now() - 40} WHERE ${rowOf(c2)};`);
    assert.equal((await c2.get('/api/v1/auth/me')).status, 200);
  });

  test('a session past its absolute lifetime answers 401 "expired" however busy it is', async () => {
    const c = await s.loginAs('admin', ADMIN_PASSWORD);
    sqlite(s.db, `UPDATE sessions SET expires_at = ${now() - 1} WHERE ${rowOf(c)};`);
    const r = await c.get('/api/v1/auth/me');
    assert.equal(r.status, 401, r.text);
    assert.match(errorOf(r).message, /expired/);
  });

  test('a session in use does not expire: idle time counts from the last request', async () => {
    const c = await s.loginAs('admin', ADMIN_PASSWORD);
    // Last used 57 s ago: still valid, and this request is a use.
    const t0 = now();
    sqlite(s.db, `UPDATE sessions SET last_seen_at = ${t0 - 57} WHERE ${rowOf(c)};`);
    assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    const seen = Number(sqlite(s.db, `SELECT last_seen_at FROM sessions WHERE ${rowOf(c)};`).trim());
    assert.ok(seen >= t0, `the request was not recorded as a use: last_seen_at ${seen}, before it ${t0}`);
    // Four seconds on (moved in the row, not waited for): 61 s after the use before, 4 s after this one.
    sqlite(s.db, `UPDATE sessions SET last_seen_at = last_seen_at - 4 WHERE ${rowOf(c)};`);
    const r = await c.get('/api/v1/auth/me');
    assert.equal(r.status, 200, `a session used 4 s ago was refused: ${r.text}`);
  });
});

// --- personal data --------------------------------------------------------------------------

describe('personal data', () => {
  const ID = '370102199003071234'.slice(0, 17);
  const idNumber = (first17) => {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    return first17 + '10X98765432'[[...first17].reduce((a, d, i) => a + Number(d) * w[i], 0) % 11];
  };
  const FULL_ID = idNumber(ID);
  let pid;

  before(async () => {
    pid = want(await srv.post('/api/v1/persons', {
      name: '脱敏', phone: '13812341234', id_number: FULL_ID, home_node_id: Z.A.h1, disability: '视力一级',
    }), 201, 'person').id;
  });

  test('phone and ID number are masked in GET, lists and the CSV export', async () => {
    const check = (text, where) => {
      assert.ok(!text.includes('13812341234'), `${where} shows the full phone`);
      assert.ok(!text.includes(FULL_ID), `${where} shows the full ID number`);
      assert.ok(!text.includes('视力一级'), `${where} shows a sensitive field`);
    };
    for (const actor of [A.admin, A.community_staff, A.courtyard_secretary]) {
      const one = want(await actor.client.get(`/api/v1/persons/${pid}`), 200, `${actor.name} get`);
      assert.equal(one.phone, '138****1234');
      assert.equal(one.id_number, `3701**********${FULL_ID.slice(-4)}`);
      assert.equal(one.has_sensitive, true);
      check(JSON.stringify(one), `${actor.name} GET`);
      const list = await actor.client.get(`/api/v1/persons?under=${Z.A.court}&limit=500`);
      assert.equal(list.status, 200);
      assert.equal(list.body.items.find((p) => p.id === pid).phone, '138****1234');
      check(list.text, `${actor.name} list`);
      check((await actor.client.get('/api/v1/persons?phone=13812341234')).text, `${actor.name} phone search`);
    }
    for (const actor of [A.admin, A.community_staff]) {
      const csv = await actor.client.get(`/api/v1/export/persons.csv?under=${Z.A.court}`);
      assert.equal(csv.status, 200, csv.text);
      assert.ok(csv.text.includes('138****1234'), `${actor.name}: the export has the masked phone:\n${csv.text}`);
      check(csv.text, `${actor.name} GET /api/v1/export/persons.csv`);
    }
  });

  test('the full phones in an export need people.reveal, and the export is audited', async () => {
    const t = want(await srv.post('/api/v1/tokens', {
      name: 'exporter', permissions: ['people.read', 'people.export'], scope_node_id: T.comA, expires_at: now() + 600,
    }), 201, 'token');
    const r = await srv.bearer(t.token).get(`/api/v1/export/persons.csv?under=${Z.A.court}&unmasked=true`);
    assert.equal(r.status, 403, r.text.slice(0, 200));
    assert.ok(!r.text.includes('13812341234'));
    const full = await A.community_staff.client.get(`/api/v1/export/persons.csv?under=${Z.A.court}&unmasked=true`);
    assert.equal(full.status, 200, full.text.slice(0, 200));
    assert.ok(full.text.includes('13812341234'));
    const rows = want(await auditor.get('/api/v1/audit?action=export&limit=100'), 200, 'audit').items;
    assert.ok(rows.some((x) => x.login === 'm-community-staff' && x.result === 'success' && /unmasked/.test(x.detail || '')),
      JSON.stringify(rows.slice(0, 3)));
    assert.ok(rows.some((x) => x.login === 'token:exporter' && x.result !== 'success'), 'the refused export is recorded');
  });

  test('reveal needs people.reveal and writes an audit row naming the fields', async () => {
    const gm = await A.grid_member.client.post(`/api/v1/persons/${Z.B.person}/reveal`, { fields: ['phone'] });
    assert.equal(gm.status, 403, gm.text);
    assert.ok(!gm.text.includes('13700000003'));
    const cs = await A.community_staff.client.post(`/api/v1/persons/${pid}/reveal`, { fields: ['phone', 'id_number', 'sensitive'] });
    assert.equal(cs.status, 200, cs.text);
    assert.equal(cs.body.phone, '13812341234');
    assert.equal(cs.body.id_number, FULL_ID);
    assert.equal(cs.body.sensitive.disability, '视力一级');
    // Outside the scope: 404 and nothing shown.
    const out = await A.community_staff.client.post(`/api/v1/persons/${Z.B.person}/reveal`, { fields: ['phone'] });
    assert.equal(out.status, 404);

    const rows = want(await auditor.get('/api/v1/audit?action=reveal&limit=200'), 200, 'audit').items;
    const mine = rows.find((x) => x.login === 'm-community-staff' && x.object_id === String(pid) && x.result === 'success');
    assert.ok(mine, JSON.stringify(rows.slice(0, 5)));
    for (const f of ['phone', 'id_number', 'sensitive']) assert.match(mine.detail, new RegExp(f));
    assert.equal(mine.remote, '127.0.0.1');
    assert.match(mine.at, /^\d{4}-\d{2}-\d{2}T/);
    assert.ok(!JSON.stringify(rows).includes('13812341234'), 'the audit log does not copy the revealed value');
    assert.ok(rows.some((x) => x.login === 'm-grid-member' && x.result === 'denied'), 'the refused reveal is recorded');
    assert.ok(rows.some((x) => x.login === 'm-community-staff' && x.object_id === String(Z.B.person) && x.result !== 'success'),
      'the reveal outside the scope is recorded');
  });

  test('a copied database file reveals no phone, ID number or sensitive field', { skip: SKIP_SQL }, async () => {
    const p = want(await srv.post('/api/v1/persons', {
      name: '加密', phone: '13912345678', id_number: idNumber('37010219851120004'), home_node_id: Z.A.h2, health: '癫痫病史',
    }), 201, 'person');
    // The whole database as text: sqlite3's .dump, or pg_dump of the server's database.
    let dump;
    if (PG) {
      const d = spawnSync('pg_dump', ['--no-owner', srv.db], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(d.status, 0, d.stderr);
      dump = d.stdout;
    } else {
      dump = sqlite(srv.db, '.dump');
    }
    for (const secret of ['13912345678', idNumber('37010219851120004'), '癫痫病史', '139 1234 5678']) {
      assert.ok(!dump.includes(secret), `the dump contains ${secret}`);
    }
    assert.ok(dump.includes('加密'), 'the dump did read the persons table');
    // The raw bytes as well, write-ahead log included (SQLite's file; PostgreSQL's is the server's).
    for (const f of PG ? [] : [srv.db, `${srv.db}-wal`].filter(existsSync)) {
      const bytes = readFileSync(f);
      for (const secret of ['13912345678', idNumber('37010219851120004'), '癫痫病史']) {
        assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${f} contains ${secret}`);
      }
    }
    // Passwords: Argon2id hashes.
    for (const h of sqlite(srv.db, 'SELECT password_hash FROM users;').trim().split('\n')) assert.match(h, /^\$argon2id\$/);
    assert.ok(!dump.includes(ADMIN_PASSWORD) && !dump.includes(PW));
    // Session and API tokens are stored as hashes only.
    assert.ok(!dump.includes(tokenOf(srv.session.cookie)), 'a session token is in the database');
    assert.ok(want(await srv.get(`/api/v1/persons/${p.id}`), 200, 'get').phone === '139****5678');
  });
});

// --- API tokens -----------------------------------------------------------------------------

describe('API tokens', () => {
  test('created once, used within permissions and scope; revoked or expired is 401', async () => {
    const made = want(await srv.post('/api/v1/tokens', {
      name: 'hotline', permissions: ['org.read', 'people.read'], scope_node_id: T.comA, expires_at: now() + 3600,
    }), 201, 'token');
    assert.match(made.token, /^[A-Za-z0-9_-]{43}$/);
    const listed = want(await srv.get('/api/v1/tokens'), 200, 'list');
    const item = listed.items.find((x) => x.id === made.id);
    assert.ok(item && !('token' in item) && !JSON.stringify(listed).includes(made.token), 'the token is shown once');
    assert.equal(item.permissions, 'org.read,people.read');
    assert.equal(item.scope_node_id, T.comA);

    const b = srv.bearer(made.token);
    const me = want(await b.get('/api/v1/auth/me'), 200, 'me');
    assert.deepEqual([...me.permissions].sort(), ['org.read', 'people.read']);
    assert.equal(want(await b.get(`/api/v1/nodes/${Z.A.bldg}`), 200, 'in scope').id, Z.A.bldg);
    assert.equal((await b.get(`/api/v1/persons/${Z.A2.person}`)).status, 200);
    assert.equal((await b.get(`/api/v1/nodes/${Z.B.bldg}`)).status, 404, 'outside the scope');
    assert.equal((await b.get(`/api/v1/persons/${Z.C.person}`)).status, 404);
    const persons = want(await b.get('/api/v1/persons?limit=500'), 200, 'persons');
    assert.ok(persons.items.every((p) => within(T.comA, p.home_node_id)));
    for (const [m, p, body] of [['POST', '/api/v1/nodes', { level: 'building', name: 'x', parent_id: Z.A.court }],
      ['PATCH', `/api/v1/persons/${Z.A.person}`, { name: 'x' }], ['POST', `/api/v1/persons/${Z.A.person}/reveal`, { fields: ['phone'] }],
      ['GET', '/api/v1/audit'], ['GET', '/api/v1/users'], ['GET', '/api/v1/export/persons.csv'], ['POST', '/api/v1/tokens', {}]]) {
      const r = await b.req(m, p, body);
      assert.equal(r.status, 403, `${m} ${p}: ${r.text}`);
    }
    // A malformed or unknown token is 401.
    for (const h of ['Basic YWRtaW46YWRtaW4=', 'Bearer ', `Bearer ${made.token}x`, `Bearer ${'A'.repeat(43)}`]) {
      const r = await srv.anonymous().get('/api/v1/auth/me', { Authorization: h });
      assert.equal(r.status, 401, `${h}: ${r.text}`);
    }
    // Revoked.
    want(await srv.del(`/api/v1/tokens/${made.id}`), 200, 'revoke');
    assert.equal((await b.get(`/api/v1/nodes/${Z.A.bldg}`)).status, 401);
    assert.ok(want(await srv.get('/api/v1/tokens'), 200, 'list').items.find((x) => x.id === made.id).revoked_at);
    assert.equal((await srv.del('/api/v1/tokens/999999')).status, 404);
  });

  test('an expired token is 401', { skip: SKIP_SQL }, async () => {
    // Valid for an hour, so that it surely answers first; then its expiry is moved into the past.
    const soon = want(await srv.post('/api/v1/tokens', {
      name: 'short', permissions: ['org.read'], expires_at: now() + 3600,
    }), 201, 'short token');
    const sb = srv.bearer(soon.token);
    assert.equal((await sb.get(`/api/v1/nodes/${Z.C.bldg}`)).status, 200, 'an unscoped token sees everything');
    sqlite(srv.db, `UPDATE api_tokens SET expires_at = ${now() - 1} WHERE id = ${soon.id};`);
    const expired = await sb.get(`/api/v1/nodes/${Z.C.bldg}`);
    assert.equal(expired.status, 401, expired.text);
  });

  test('a token gets only permissions its creator holds, a future expiry of at most a year, a scope inside theirs', async () => {
    const post = (b) => srv.post('/api/v1/tokens', { name: 'bad', permissions: ['org.read'], expires_at: now() + 600, ...b });
    for (const [body, field] of [[{ permissions: ['audit.read'] }, 'permissions'], [{ permissions: ['nope'] }, 'permissions'],
      [{ permissions: [] }, 'permissions'], [{ permissions: ['org.read', 'org.read'] }, 'permissions'],
      [{ expires_at: now() - 10 }, 'expires_at'], [{ expires_at: now() + 400 * 86400 }, 'expires_at'],
      [{ scope_node_id: 999999 }, 'scope_node_id'], [{ name: '' }, 'name']]) {
      const r = await post(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(errorOf(r).field, field, JSON.stringify(body));
    }
    // Users and tokens are managed by people: a token may not hold users.admin or tokens.admin.
    for (const perm of ['tokens.admin', 'users.admin']) {
      const mgr = await srv.post('/api/v1/tokens', {
        name: 'token-manager', permissions: ['org.read', perm], scope_node_id: T.comA, expires_at: now() + 600,
      });
      assert.equal(mgr.status, 400, mgr.text);
      assert.equal(errorOf(mgr).field, 'permissions');
    }
  });

});

// --- scope on what a body names ---------------------------------------------------------------

describe('scope on writes', () => {
  test('a scoped actor cannot create or move anything outside their scope', async () => {
    const c = A.community_staff.client;
    const out = Z.B;
    const tries = [
      ['POST', '/api/v1/nodes', { level: 'building', name: 'escape', parent_id: out.court }],
      ['POST', '/api/v1/persons', { name: '越界', home_node_id: out.h1 }],
      ['POST', '/api/v1/persons', { name: '无家' }],
      ['POST', '/api/v1/party-orgs', { node_id: out.bldg }],
      ['POST', '/api/v1/grids', { community_id: T.comB, code: '370000000000009', name: '越界网格' }],
      ['POST', '/api/v1/assignments', { person_id: Z.A.person, role_code: 'building_head', node_id: out.bldg }],
      ['POST', '/api/v1/care-links', { central_household_id: out.h1, household_id: out.h2 }],
      ['PATCH', `/api/v1/persons/${Z.A.person}`, { home_node_id: out.h1 }],
      ['PATCH', `/api/v1/nodes/${Z.A.bldg}`, { parent_id: out.court }],
    ];
    for (const [m, p, body] of tries) {
      const r = await c.req(m, p, body);
      assert.ok([400, 404].includes(r.status), `${m} ${p} ${JSON.stringify(body)}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.equal((await srv.get(`/api/v1/persons/${Z.A.person}`)).body.home_node_id, Z.A.h2);
    assert.equal((await srv.get(`/api/v1/nodes/${Z.A.bldg}`)).body.parent_id, Z.A.court);
    assert.ok(!(await srv.get('/api/v1/nodes?limit=500')).body.items.some((n) => n.name === 'escape'));
    assert.ok(!(await srv.get('/api/v1/persons?limit=500')).body.items.some((n) => n.name === '越界' || n.name === '无家'));
  });
});

// --- the audit log ----------------------------------------------------------------------------

describe('audit log', () => {
  test('the auditor reads the log and its check, and nothing else; the administrator cannot read it', async () => {
    const list = want(await auditor.get('/api/v1/audit?limit=10'), 200, 'audit');
    assert.equal(list.items.length, 10);
    assert.ok(list.items[0].id > list.items[9].id, 'newest first');
    const page = want(await auditor.get(`/api/v1/audit?limit=10&before_id=${list.next_before_id}`), 200, 'page');
    assert.ok(page.items[0].id < list.items[9].id);
    const v = want(await auditor.get('/api/v1/audit/verify'), 200, 'verify');
    assert.equal(v.intact, true);
    assert.ok(v.checked > 100);
    assert.equal(v.first_bad_id, null);
    for (const p of ['/api/v1/audit', '/api/v1/audit/verify']) {
      assert.equal((await srv.get(p)).status, 403, `admin ${p}`);
      assert.equal((await A.subdistrict_staff.client.get(p)).status, 403, `subdistrict staff ${p}`);
    }
    const bad = [];
    let refused = 0;
    for (const r of ROUTES) {
      if (r.permission === 'public' || r.permission === 'login') continue;
      // Every write, every read of the tree and of people, and whatever the auditor's role lacks.
      const mustRefuse = isWrite(r.method) || /^(org|people)\./.test(r.permission) || !A.auditor.perms.has(r.permission);
      if (!mustRefuse) continue;
      refused++;
      const res = await auditor.req(r.method, r.pattern.replace('{id}', String(Z.A.person)),
        isWrite(r.method) && r.method !== 'DELETE' ? {} : undefined);
      if (res.status !== 403) bad.push(`${key(r)}: ${res.status}`);
    }
    assert.deepEqual(bad, []);
    assert.ok(refused > 40);
  });

  test('failed and successful logins are both recorded, with who and from where', async () => {
    const fail = await login(srv.base, 'm-grid-member', 'Wrong-Pass-77');
    assert.equal(fail.status, 401);
    const ok = await login(srv.base, 'm-grid-member', PW);
    assert.equal(ok.status, 200);
    const rows = want(await auditor.get('/api/v1/audit?action=login&limit=50'), 200, 'audit').items;
    const f = rows.find((x) => x.login === 'm-grid-member' && x.result === 'failure');
    const s = rows.find((x) => x.login === 'm-grid-member' && x.result === 'success');
    assert.ok(f && s, JSON.stringify(rows.slice(0, 4)));
    assert.ok(s.id > f.id);
    assert.equal(f.remote, '127.0.0.1');
    assert.ok(!JSON.stringify(rows).includes('Wrong-Pass-77'), 'the password tried is not logged');
  });

  test('a write and its audit row commit together; a refused write leaves a failure row and no data', async () => {
    const made = want(await srv.post('/api/v1/nodes', { level: 'building', name: 'audited-node', parent_id: Z.A2.court }), 201, 'node');
    const rows = want(await auditor.get(`/api/v1/audit?object_type=nodes&object_id=${made.id}`), 200, 'audit').items;
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0].action, 'POST /api/v1/nodes');
    assert.equal(rows[0].result, 'success');
    assert.equal(rows[0].login, 'admin');

    const refused = await srv.post('/api/v1/nodes', { level: 'castle', name: 'never-made', parent_id: Z.A2.court });
    assert.equal(refused.status, 400);
    assert.ok(!(await srv.get('/api/v1/nodes?limit=500')).body.items.some((n) => n.name === 'never-made'));
    const failures = want(await auditor.get('/api/v1/audit?action=POST%20/api/v1/nodes&result=failure&limit=5'), 200, 'audit').items;
    assert.ok(failures.length && failures[0].login === 'admin', JSON.stringify(failures));
    assert.equal(failures[0].detail, errorOf(refused).message);

    // A refusal by permission is recorded as denied.
    await A.grid_member.client.patch(`/api/v1/nodes/${Z.B.bldg}`, { name: 'x' });
    const denied = want(await auditor.get(`/api/v1/audit?result=denied&object_type=nodes&object_id=${Z.B.bldg}`), 200, 'audit').items;
    assert.ok(denied.some((x) => x.login === 'm-grid-member'), JSON.stringify(denied));
  });

  let truncation = null;	// { tail: a copy of the database, n: its rows }
  const copies = [];	// PostgreSQL databases copied here, dropped at the end

  // A copy of the stopped server's database: sqlite3's .backup of the file, or on PostgreSQL a
  // database made with the original as its template.  Returns its path or DSN.
  const copyOf = (db, suffix) => {
    if (!PG) {
      sqlite(db, `.backup '${db}.${suffix}'`);
      return `${db}.${suffix}`;
    }
    const name = /^postgresql:\/\/\/([^?]+)/.exec(db)[1];
    const copy = db.replace(`:///${name}?`, `:///${name}_${suffix}?`);
    sqlite(db.replace(`:///${name}?`, ':///postgres?'), `CREATE DATABASE ${name}_${suffix} TEMPLATE ${name};`);
    copies.push(copy);
    return copy;
  };
  // The statements that lift the append-only guard (schema 003_accounts.sql), then the SQL given.
  const unguarded = (sql) => (PG
    ? 'DROP TRIGGER audit_log_no_update ON audit_log; DROP TRIGGER audit_log_no_truncate ON audit_log; '
    : 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ') + sql;
  after(() => { for (const c of copies) pgDropDb(c); });

  test('the log is append-only; `yuanluo audit verify` finds an edited or a deleted row', { skip: SKIP_SQL }, async () => {
    // Stops the main server: this test comes last.
    assert.equal(await srv.stop({ keep: true }), 0);
    const verify = (db) => cli(['audit', 'verify', '--db', db, '--key-file', srv.key]);
    const ok = verify(srv.db);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /intact/);
    const n = Number(sqlite(srv.db, 'SELECT max(id) FROM audit_log;').trim());
    assert.ok(n > 100, `${n} rows`);
    // The triggers refuse changes.
    assert.throws(() => sqlite(srv.db, 'UPDATE audit_log SET detail = \'x\' WHERE id = 5;'), /append-only/);
    assert.throws(() => sqlite(srv.db, 'DELETE FROM audit_log WHERE id = 5;'), /append-only/);
    // Without them, an edit and a deletion (on a copy) are found.
    const copy = copyOf(srv.db, 'copy');
    const tail = copyOf(srv.db, 'tail');
    const edit = Math.floor(n / 2);
    sqlite(srv.db, unguarded(`UPDATE audit_log SET detail = 'nothing happened' WHERE id = ${edit};`));
    const edited = verify(srv.db);
    assert.notEqual(edited.status, 0, edited.stdout);
    assert.match(edited.stderr, new RegExp(`row ${edit}\\b`));
    const del = Math.floor(n / 3);
    sqlite(copy, unguarded(`DELETE FROM audit_log WHERE id = ${del};`));
    const deleted = verify(copy);
    assert.notEqual(deleted.status, 0, deleted.stdout);
    assert.match(deleted.stderr, new RegExp(`row (${del}|${del + 1})\\b`));
    // The API's check says the same once the server runs on the edited database.
    const again = await startServer({ reuse: srv });
    try {
      const aud = await again.loginAs('m-auditor', PW);
      const v = want(await aud.get('/api/v1/audit/verify'), 200, 'verify');
      assert.equal(v.intact, false);
      assert.equal(v.first_bad_id, edit);
    } finally {
      await again.stop({ keep: true });
    }
    truncation = { tail, n };
  });

  test('`yuanluo audit verify --anchor` finds the newest rows deleted', { skip: SKIP_SQL }, () => {
    assert.ok(truncation, 'the copy made by the test before');
    const { tail, n } = truncation;
    // The chain alone cannot see rows cut from its end: its head is kept outside the database.
    const anchor = PG ? `${srv.dir}/tail.anchor` : `${tail}.anchor`;
    const first = cli(['audit', 'verify', '--anchor', anchor, '--db', tail, '--key-file', srv.key]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(readFileSync(anchor, 'utf8'), new RegExp(`^${n} [0-9a-f]{64}\\n$`));
    // Covering one's tracks right after acting: the rows deleted are the newest.
    sqlite(tail, unguarded(`DELETE FROM audit_log WHERE id > ${n - 3};`));
    const r = cli(['audit', 'verify', '--anchor', anchor, '--db', tail, '--key-file', srv.key]);
    assert.notEqual(r.status, 0,
      `yuanluo audit verify after deleting the 3 newest of ${n} rows: exit ${r.status}, ${r.stdout.trim()}`);
    assert.match(r.stderr, new RegExp(`row ${n}\\b.*deleted from the end`));
  });
});
