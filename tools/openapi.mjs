// openapi.mjs - writes docs/openapi.json, the OpenAPI 3.1 description of the whole API, from the
// route table (`yuanluo routes`: every route, its permission and summary) and the schemas below.
// Run after adding or changing a route:  node tools/openapi.mjs [path/to/yuanluo]
// tests/api/openapi.test.mjs fails when a route is missing here or described but not served, and
// runs dredd against a server to check that answers match the schemas.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.argv[2] || resolve(ROOT, 'yuanluo');
const r = spawnSync(bin, ['routes'], { encoding: 'utf8' });
if (r.status !== 0) throw new Error(`${bin} routes failed: ${r.stderr}`);
const routes = JSON.parse(r.stdout);

const JSON_T = 'application/json; charset=utf-8';
const XML_T = 'text/xml; charset=utf-8';
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const nul = (t) => ({ type: [t, 'null'] });
// A work order's public number (docs/ARCHITECTURE.md, "Order numbers"), also Open311's service_request_id:
// one schema, OrderNumber, referred to wherever a number is.
const ORDER_NUMBER = { type: 'string', pattern: '^YL[A-Z]{0,6}\\d{13,}$', description: 'YL, the deployment\'s prefix'
  + ' (0 to 6 capital letters), the local date of receipt (YYYYMMDD) and that day\'s sequence in at least 5 digits'
  + ' (more once a day passes 99,999): YL2026112900001, YLMS2026112900001, YL20261129100000' };
const S = { type: 'string' };
const I = { type: 'integer' };
const N = { type: 'number' };
const BOOL = { type: 'boolean' };
const arr = (items) => ({ type: 'array', items });
const obj = (properties, required = Object.keys(properties)) => ({ type: 'object', required, properties });
const page = (item) => obj({ items: arr(item), total: I, limit: I, offset: I });
const items = (item) => obj({ items: arr(item) }, ['items']);

const NUMBER = ref('OrderNumber');
const schemas = {
  OrderNumber: ORDER_NUMBER,
  PressureNode: obj({ id: I, name: S, level: S, open: I, overdue: I, own_open: I, children: arr(ref('PressureNode')) }),
  Error: obj({ error: obj({ code: S, message: S, field: nul('string') }) }),
  Healthz: obj({ status: S, schema_version: I, group_commit: { type: 'object' } }, ['status']),
  Me: obj({ user_id: nul('integer'), login: S, role: S, scope_node_id: nul('integer'), must_change_password: BOOL,
    permissions: arr(S), csrf_token: S }, ['login', 'role', 'permissions']),
  User: obj({ id: I, login: S, display_name: nul('string'), person_id: nul('integer'), role: S,
    scope_node_id: nul('integer'), must_change_password: BOOL, disabled: BOOL, created_at: S, updated_at: S },
  ['id', 'login', 'role', 'scope_node_id', 'disabled']),
  AccessRole: obj({ code: S, name: S, needs_scope: BOOL, permissions: arr(S) }, ['code', 'name', 'permissions']),
  Token: obj({ id: I, name: S, permissions: { type: 'string', description: 'comma-separated' }, scope_node_id: nul('integer') },
    ['id', 'name']),
  Node: obj({ id: I, parent_id: nul('integer'), subdistrict_id: nul('integer'),
    level: { enum: ['subdistrict', 'community', 'courtyard', 'building', 'unit', 'household'] }, kind: nul('string'),
    name: S, code: S, address: nul('string'), lat: nul('number'), lng: nul('number'), child_count: I,
    created_at: S, updated_at: S }, ['id', 'parent_id', 'level', 'name', 'code']),
  // children: absent below the depth asked for (depth=N)
  TreeNode: { allOf: [ref('Node'), obj({ children: arr(ref('TreeNode')) }, [])] },
  NodeHistory: obj({ id: I, at: S, action: { enum: ['create', 'rename', 'move', 'update'] } }),
  PartyOrg: obj({ id: I, node_id: I, subdistrict_id: I, kind: S, name: S }, ['id', 'node_id', 'kind', 'name']),
  Grid: obj({ id: I, community_id: I, subdistrict_id: I, code: S, name: S, node_ids: arr(I) }),
  Person: obj({ id: I, subdistrict_id: I, name: S, phone: nul('string'), home_node_id: nul('integer'),
    tags: arr(S), party_member: BOOL, id_number: nul('string') }, ['id', 'name', 'home_node_id']),
  Role: obj({ id: I, code: S, name: S, levels: S, active: BOOL }, ['id', 'code', 'name']),
  RoleSet: obj({ id: I, code: S, name: S, role_ids: arr(I) }),
  Assignment: obj({ id: I, person_id: I, role_id: I, role_code: S, node_id: I, starts_on: S, ends_on: nul('string') }),
  CareLink: obj({ id: I, central_household_id: I, household_id: I, starts_on: S, ends_on: nul('string') }),
  WorkOrder: obj({ id: I, number: NUMBER, source: S, type: S, category_id: I,
    urgency: S, node_id: I, state: { enum: ['received', 'accepted', 'answered', 'dispatched', 'return_requested',
      'in_progress', 'replied', 'reviewed', 'dissatisfied', 'closed'] }, handler_node_id: nul('integer'),
    received_at: S, provisional: {"type": "array", "items": {"enum": ["sign_deadline", "return_deadline", "deadline"]}, "description": "the deadlines counted on a provisional calendar (a year not loaded): counted again when that year's official calendar is loaded"},
    category_external: {"type": ["string", "null"], "description": "the 12345 hotline's category path as its file gave it (parts trimmed, joined by >), when the hotline filed the order"} }, ['id', 'number', 'source', 'type', 'state', 'node_id']),
  WorkOrderPage: obj({ items: arr(ref('WorkOrder')), next: nul('string'), next_before_id: nul('integer') }, ['items']),
  TaskList: obj({ items: arr(ref('WorkOrder')), count: I }),
  Task: obj({
    kind: S, id: I, time_node_id: nul('integer'), title: S, list: S, deadline: nul('string'),
    card: { enum: ['none', 'yellow', 'red'] }, provisional: BOOL, node_id: nul('integer'),
  }),
  Category: obj({ id: I, parent_id: nul('integer'), code: S, name: S, route_level: nul('string'), active: BOOL,
    children: arr(ref('Category')) }),
  CalendarYear: obj({ year: I, source: S, holidays: I, workdays: I, working_days: I, loaded_at: {"type": ["string", "null"], "description": "UTC; null for a provisional year (not loaded)"},
    provisional: {"type": "boolean", "description": "true: the year is not loaded; its days are the national regulation's (weekends and statutory holidays with 补假, no swapped working days) and deadlines over it are provisional until the official year is loaded"} },
    ['year', 'holidays', 'workdays']),
  Stats: obj({ node: { type: ['object', 'null'] }, from: S, to: S, counts: { type: 'object' } },
    ['from', 'to', 'counts']),
  Ranking: obj({ from: S, to: S, items: arr(obj({ node_id: I, name: S, level: S, received: I, completed: I }, ['node_id'])) },
    ['items']),
  Webhook: obj({ id: I, url: { type: 'string', pattern: '^[hH][tT][tT][pP][sS]?://' }, events: arr({ enum: ['order.created',
    'order.state_changed', 'card.issued', 'order.closed'] }), active: BOOL, created_at: S, updated_at: S,
  deliveries: obj({ pending: I, failed: I, delivered: I }), secret: { type: 'string', description: 'only when generated, once' } },
  ['id', 'url', 'events', 'active', 'deliveries']),
  Delivery: obj({ id: I, subscriber_id: I, event: S, order_id: I, state: { enum: ['pending', 'delivered', 'failed'] },
    attempts: I, last_status: nul('integer'), last_error: nul('string'), created_at: S, next_at: nul('string'),
    delivered_at: nul('string'), payload: { type: 'object' } }),
  Deliveries: obj({ items: arr(ref('Delivery')), backlog: obj({ pending: I, failed: I, delivered: I,
    oldest_pending_at: nul('string') }), limit: I, offset: I }),
  // Key projects (issue 14): money is 万元 as fixed-point text ("50.67"), also shown in 亿元.
  Project: obj({ id: I, code: S, name: S, node_id: I, subdistrict_id: I, owner_name: nul('string'),
    category: nul('string'), industry: nul('string'),
    stage: { enum: ['planning', 'signed', 'to_start', 'building', 'completed'] }, build_kind: { enum: ['new', 'continued', null] },
    stage_on: S, investment_total: S, investment_total_yi: S, plan_year: nul('integer'), investment_plan: S,
    investment_plan_yi: S, investment_completed: S, investment_completed_yi: S, lead_user_id: nul('integer'),
    lead_name: nul('string'), work_plan: nul('string'), created_at: S, updated_at: S,
    stages: arr(obj({ stage: S, build_kind: nul('string'), on: S, reason: nul('string'), by_user_id: nul('integer'), at: S })),
    members: arr(obj({ id: I, user_id: I, login: S, display_name: nul('string'), duty: S })) },
  ['id', 'code', 'name', 'node_id', 'stage', 'stage_on', 'investment_total', 'investment_plan']),
  ProjectTask: obj({ id: I, project_id: I, content: S, owner_user_id: I, assigned_on: S, due_on: S,
    status: { enum: ['open', 'done'] }, evidence: nul('string'), done_at: nul('string'), done_by: nul('integer'),
    deadline: nul('string'), card: { enum: ['none', 'yellow', 'red'] } }),
  ProjectProblem: obj({ id: I, project_id: I, kind: { enum: ['procedures', 'land', 'logistics', 'labour', 'funding', 'other'] },
    description: S, raised_on: S, raised_where: nul('string'), raised_by: nul('integer'),
    source: { enum: ['meeting', 'visit', 'other'] }, unit: nul('string'), owner_user_id: nul('integer'), due_on: nul('string'),
    status: { enum: ['open', 'in_progress', 'closed'] }, evidence: nul('string'), closed_at: nul('string'),
    closed_by: nul('integer'), deadline: nul('string'), card: { enum: ['none', 'yellow', 'red'] }, meeting_id: nul('integer') }),
  ProjectFigures: obj({ year: I, projects: I, meetings_held: I, investment_total: S, investment_total_yi: S,
    investment_plan: S, investment_plan_yi: S, investment_completed: S, investment_completed_yi: S,
    by_stage: arr(obj({ stage: S, projects: I, this_year: I, investment_total: S, investment_total_yi: S,
      investment_this_year_yi: S })),
    problems: obj({ raised: I, closed: I, open: I, overdue_now: I, median_days_to_close: nul('number') }),
    tasks: obj({ due: I, done: I, on_time: I, on_time_percent: nul('number') }) }),
  // node_id: the subdistrict the meeting belongs to.
  ProjectMeeting: obj({ id: I, node_id: I, held_on: S, place: nul('string'), chair_user_id: nul('integer'),
    attendees: nul('string'), minutes: nul('string'), created_at: S, updated_at: S,
    sites: arr(obj({ seq: I, project_id: I, code: S, name: S, stage: S })),
    problems_raised: arr(ref('ProjectProblem')), open_problems: arr(ref('ProjectProblem')),
    counts: obj({ raised: I, closed: I, open_for_review: I }) }, ['id', 'node_id', 'held_on', 'sites']),
  ProjectInvestment: obj({ items: arr(obj({ month: S, amount: S, amount_yi: S })), to_date: S, to_date_yi: S }),
  ProjectDuty: obj({ id: I, project_id: I, user_id: I, duty: S, created_at: S }, ['id', 'project_id', 'user_id', 'duty']),
  // Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): codes and ids are strings.
  O311Errors: arr(obj({ code: I, description: S })),
  O311Discovery: obj({ changeset: S, contact: S, key_service: S, endpoints: arr(obj({ specification: S, url: S,
    changeset: S, type: S, formats: arr(S) })) }),
  O311Service: obj({ service_code: S, service_name: S, description: S, metadata: BOOL,
    type: { enum: ['realtime', 'batch', 'blackbox'] }, keywords: S, group: S }),
  O311Definition: obj({ service_code: S, attributes: arr(obj({ variable: BOOL, code: S, datatype: S, required: BOOL,
    datatype_description: S, order: I, description: S, values: arr(obj({ key: S, name: S })) })) }),
  O311Request: obj({ service_request_id: NUMBER, status: { enum: ['open', 'closed'] }, status_notes: S, service_name: S,
    service_code: S, description: S, agency_responsible: S, service_notice: S, requested_datetime: S,
    updated_datetime: S, expected_datetime: S, address: S, address_id: S, zipcode: S, lat: N, long: N, media_url: S },
  ['service_request_id', 'status', 'service_code', 'requested_datetime', 'updated_datetime']),
  Enterprise: obj({ id: I, subdistrict_id: I, node_id: I, credit_code: { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' },
    name: S, legal_rep: nul('string'), industry_code: nul('string'), industry_name: nul('string'), address: nul('string'),
    size: { enum: ['large', 'medium', 'small', 'micro'] }, above_scale: BOOL,
    above_scale_since: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}$' },
    status: { enum: ['operating', 'suspended', 'closed', 'moved_out'] } },
  ['id', 'node_id', 'credit_code', 'name', 'size', 'above_scale', 'above_scale_since', 'status']),
  EnterpriseCadre: obj({ id: I, role: { enum: ['leader', 'officer'] }, user_id: I, login: S, starts_on: S,
    ends_on: nul('string') }),
  EnterpriseDetail: { allOf: [ref('Enterprise'), obj({
    contacts: arr(obj({ id: I, name: S, title: nul('string'), phone: nul('string') })),
    cadres: arr(ref('EnterpriseCadre')),
    status_history: arr(obj({ status: S, since: S, reason: nul('string'), user_id: nul('integer'), at: S })),
    honours: arr(ref('EnterpriseHonour')) })] },
  EnterpriseHonour: obj({ id: I, enterprise_id: I, enterprise_name: S, node_id: I,
    kind: { enum: ['specialised', 'little_giant', 'gazelle', 'high_tech', 'other'] },
    level: { enum: ['national', 'provincial', 'city', 'district'] }, title: nul('string'), year: I,
    expires_on: nul('string') }),
  EnterpriseVisit: obj({ id: I, enterprise_id: I, enterprise_name: S, node_id: I, visited_on: S, user_id: I, login: S,
    purpose: S, policies: nul('string'), follow_up: nul('string') }),
  EnterpriseEvent: obj({ id: I, node_id: I, held_on: S, kind: { enum: ['finance', 'legal', 'policy', 'other'] }, title: S,
    partner: nul('string'), attendee_count: I, enterprise_ids: arr(I) }, ['id', 'node_id', 'held_on', 'kind', 'title',
    'attendee_count']),
  PolicyHandout: obj({ id: I, node_id: I, enterprise_id: nul('integer'), event_id: nul('integer'), title: S, copies: I,
    handed_on: S }),
  EnterpriseProblem: obj({ id: I, enterprise_id: I, enterprise_name: S, node_id: I,
    category: { enum: ['financing', 'land', 'labour', 'approvals', 'utilities', 'logistics', 'other'] },
    description: S, unit_node_id: I, owner_user_id: nul('integer'), raised_on: S, state: { enum: ['open', 'closed'] },
    closed_at: nul('string'), evidence: nul('string'), satisfaction: nul('string'), time_node_id: nul('integer'),
    deadline: nul('string'), card: nul('string'), answering_node_id: nul('integer') },
  ['id', 'enterprise_id', 'node_id', 'category', 'state', 'unit_node_id', 'raised_on']),
  IndicatorMonth: obj({ month: S, revision: I, output: nul('string'), sales: nul('string'), taxes: nul('string'),
    investment: nul('string'), energy: nul('string'), growth: { type: 'object', description: 'per measure: mom and yoy, '
      + 'percent as text ("10.1") or null' } }, ['month', 'revision', 'output', 'growth']),
  Indicators: obj({ enterprise_id: I, items: arr(ref('IndicatorMonth')), corrections: arr(obj({ month: S, revision: I,
    reason: S, at: S }, ['month', 'revision', 'reason'])) }),
  EconomyReport: obj({ node_id: I, month: S, prev_month: S, last_year_month: S, reporting: I,
    totals: { type: 'object', additionalProperties: obj({ value: nul('string'), prev: nul('string'), last_year: nul('string'),
      mom: nul('string'), yoy: nul('string') }) },
    output_split: obj({ leaders: arr({ type: 'object' }), leaders_output: S, leaders_increment: S, rest_output: S,
      rest_increment: S }),
    contributors: arr({ type: 'object' }), growers: arr({ type: 'object' }), new_above_scale: I,
    problems: obj({ raised: I, closed: I }), service: obj({ visits: I, events: I, handout_copies: I }) }),
  O311Created: obj({ service_request_id: NUMBER, token: S, service_notice: S, account_id: S }),
  O311Token: obj({ service_request_id: NUMBER, token: S }),
};

// What a GET answers (by route key); lists default to a page of objects with an id.
const GET_SCHEMA = {
  'GET /healthz': ref('Healthz'),
  'GET /api/openapi.json': { type: 'object', required: ['openapi', 'paths'] },
  'GET /api/v1/auth/me': ref('Me'),
  'GET /api/v1/users': page(ref('User')), 'GET /api/v1/users/{id}': ref('User'),
  'GET /api/v1/access-roles': items(ref('AccessRole')), 'GET /api/v1/tokens': items(ref('Token')),
  'GET /api/v1/tree': items(ref('TreeNode')), 'GET /api/v1/nodes': page(ref('Node')),
  'GET /api/v1/nodes/{id}': ref('Node'), 'GET /api/v1/nodes/{id}/tree': ref('TreeNode'),
  'GET /api/v1/nodes/{id}/history': items(ref('NodeHistory')),
  'GET /api/v1/party-orgs': page(ref('PartyOrg')), 'GET /api/v1/party-orgs/{id}': ref('PartyOrg'),
  'GET /api/v1/grids': page(ref('Grid')), 'GET /api/v1/grids/{id}': ref('Grid'),
  'GET /api/v1/persons': page(ref('Person')), 'GET /api/v1/persons/{id}': ref('Person'),
  'GET /api/v1/roles': page(ref('Role')), 'GET /api/v1/roles/{id}': ref('Role'),
  'GET /api/v1/role-sets': page(ref('RoleSet')), 'GET /api/v1/role-sets/{id}': ref('RoleSet'),
  'GET /api/v1/assignments': page(ref('Assignment')), 'GET /api/v1/assignments/{id}': ref('Assignment'),
  'GET /api/v1/care-links': page(ref('CareLink')), 'GET /api/v1/care-links/{id}': ref('CareLink'),
  'GET /api/v1/work-orders': ref('WorkOrderPage'), 'GET /api/v1/work-orders/{id}': ref('WorkOrder'),
  'GET /api/v1/work-orders/mine': { type: 'object', additionalProperties: ref('TaskList') },
  'GET /api/v1/tasks': obj({ items: arr(ref('Task')), count: I }),
  'GET /api/v1/work-orders/{id}/duplicates': obj({ days: I, items: arr(obj({ id: I, number: NUMBER,
    state: S, received_at: S, similarity: N, score: N,
    reasons: arr({ enum: ['same_caller', 'same_place', 'same_courtyard', 'similar_text'] }) })) }),
  'GET /api/v1/insight/pressure': obj({ kind: S, tree: ref('PressureNode') }),
  'GET /api/v1/insight/hotspots': obj({ node_id: I, from: S, to: S, orders: I,
    buildings: arr(obj({ node_id: I, name: nul('string'), level: nul('string'), orders: I, category_id: nul('integer'),
      category_orders: I })),
    repeat_callers: obj({ callers: I, repeating: I, orders: I, top: arr(obj({ orders: I, numbers: arr(NUMBER) })) }) }),
  'GET /api/v1/suggestions': obj({
    categories: arr(obj({ category_id: I, name: S, path: S, confidence: N })),
    handlers: arr(obj({ node_id: I, name: nul('string'), level: nul('string'), orders: I, share: N,
      basis: { enum: ['courtyard', 'community', 'subdistrict'] } })),
    rule: { type: ['object', 'null'] },
    model: obj({ orders: I, trained_at: nul('string') }) }),
  'GET /api/v1/wo-categories': items(ref('Category')),
  'GET /api/v1/calendar': obj({ items: arr(ref('CalendarYear')), total: I, limit: I, offset: I,
    awaiting: {"type": ["integer", "null"], "description": "the year an administrator should load now: the current year while it is not loaded, and from 1 November next year while it is not; null: none"} }),
  // The calendar's arithmetic says when a day it counted lies in a year not loaded.
  'GET /api/v1/calendar/deadline': {"type": "object", "properties": {"provisional": {"type": "boolean", "description": "a day counted lies in a year not loaded (the provisional calendar)"}}},
  'GET /api/v1/calendar/working-days': {"type": "object", "properties": {"provisional": {"type": "boolean", "description": "a day counted lies in a year not loaded (the provisional calendar)"}}},
  'GET /api/v1/calendar/{year}': { allOf: [ref('CalendarYear'), obj({ days: arr(obj({ date: S, kind: S })) })] },
  'GET /api/v1/stats': ref('Stats'), 'GET /api/v1/stats/ranking': ref('Ranking'),
  'GET /api/v1/webhooks': page(ref('Webhook')), 'GET /api/v1/webhooks/{id}': ref('Webhook'),
  'GET /api/v1/webhooks/deliveries': ref('Deliveries'),
  'GET /api/v1/projects': page(ref('Project')), 'GET /api/v1/projects/{id}': ref('Project'),
  'GET /api/v1/projects/{id}/tasks': page(ref('ProjectTask')), 'GET /api/v1/projects/{id}/problems': page(ref('ProjectProblem')),
  'GET /api/v1/projects/{id}/duties': page(ref('ProjectDuty')),
  'GET /api/v1/projects/{id}/investment': ref('ProjectInvestment'),
  'GET /api/v1/project-figures': ref('ProjectFigures'),
  'GET /api/v1/project-meetings': page(ref('ProjectMeeting')), 'GET /api/v1/project-meetings/{id}': ref('ProjectMeeting'),
  'GET /api/v1/enterprises': page(ref('Enterprise')), 'GET /api/v1/enterprises/{id}': ref('EnterpriseDetail'),
  'GET /api/v1/enterprises/{id}/cadres': items(ref('EnterpriseCadre')),
  'GET /api/v1/enterprise-problems': page(ref('EnterpriseProblem')),
  'GET /api/v1/enterprise-honours': page(ref('EnterpriseHonour')),
  'GET /api/v1/enterprise-visits': page(ref('EnterpriseVisit')), 'GET /api/v1/enterprise-events': page(ref('EnterpriseEvent')),
  'GET /api/v1/enterprise-events/{id}': ref('EnterpriseEvent'),
  'GET /api/v1/policy-handouts': obj({ items: arr(ref('PolicyHandout')), total: I, limit: I, offset: I, copies: I }),
  'GET /api/v1/enterprises/{id}/indicators': ref('Indicators'), 'GET /api/v1/economy/report': ref('EconomyReport'),
  'GET /api/v1/enterprise-problems/{id}': { allOf: [ref('EnterpriseProblem'),
    obj({ notes: arr(obj({ id: I, at: S, user_id: nul('integer'), note: S })) })] },
};
// The work-order configuration (api_wo_config.c).
const LEVEL3 = { enum: ['courtyard', 'community', 'subdistrict'] };
Object.assign(schemas, {
  RoutingRule: obj({ id: I, category_id: nul('integer'), type: nul('string'), route_level: LEVEL3, note: nul('string') }),
  TimeLimit: obj({ type: S, urgency: S, reply_days: I, sign_days: I, return_days: I, extension_max_days: I, reopen_days: I }),
  SweepLevel: obj({ level: { enum: ['courtyard', 'community'] }, escalate: BOOL, after_days: I }),
  CategoryMap: obj({ items: arr(obj({ path: S, category_id: I, orders: I })),
    unmapped: arr(obj({ path: S, category_id: I, orders: I, by: { enum: ['parent', 'fallback'] } })),
    fallback_category_id: nul('integer') }),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/wo-routing-rules': items(ref('RoutingRule')), 'GET /api/v1/wo-time-limits': items(ref('TimeLimit')),
  'GET /api/v1/wo-sweep-policy': items(ref('SweepLevel')), 'GET /api/v1/wo-category-map': ref('CategoryMap'),
});
Object.assign(schemas, {
  ImportJob: obj({ id: I, kind: { enum: ['hotline', 'nodes', 'persons'] }, state: { enum: ['queued', 'running', 'done', 'failed'] },
    dry_run: BOOL, all_or_nothing: BOOL, bytes: I, rows_total: I, rows_checked: I, rows_done: I,
    progress: { type: 'number', minimum: 0, maximum: 1 }, login: S, created_at: nul('string'), started_at: nul('string'),
    finished_at: nul('string'), result: { type: ['object', 'null'], description: 'when it ended: the import\'s answer (ok, rows,'
      + ' created, updated, unchanged, refused, bad_rows, problems [{line, column, reason}], more; a hotline file adds placed,'
      + ' waiting, unmatched, unmapped)' } }, ['id', 'kind', 'state', 'progress']),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/import-jobs': items(ref('ImportJob')), 'GET /api/v1/import-jobs/{id}': ref('ImportJob'),
});
const O311_SCHEMA = {
  discovery: ref('O311Discovery'), services: arr(ref('O311Service')), 'services/{service_code}': ref('O311Definition'),
  requests: arr(ref('O311Request')), 'requests/{service_request_id}': arr(ref('O311Request')),
  'tokens/{token_id}': arr(ref('O311Token')),
};
// Bodies of writes: the fields each takes (the server refuses unknown ones with 400).
const BODY = {
  'POST /api/v1/auth/login': obj({ login: S, password: S }),
  'POST /api/v1/auth/password': obj({ old_password: S, password: S }),
  'POST /api/v1/work-orders': obj({ source: { enum: ['resident', 'grid', 'mobile_grid', 'phone', 'walk_in', 'hotline'] },
    type: { enum: ['consultation', 'help', 'complaint', 'report', 'suggestion'] }, category_id: I, category: S,
    urgency: { enum: ['normal', 'urgent'] }, node_id: I, address: nul('string'), lat: nul('number'), lng: nul('number'),
    caller_name: nul('string'), caller_phone: nul('string'), confidential: BOOL, text: S, photo_ids: nul('array'),
    idempotency_key: S, external_no: nul('string'), received_at: S, hotline_days: I }, ['source', 'type', 'node_id', 'text']),
  'POST /api/v1/work-orders/{id}/actions': obj({ action: S, opinion: nul('string'), node_id: nul('integer'),
    days: nul('integer'), satisfaction: nul('string'), resolved: nul('boolean'), photo_ids: nul('array') }, ['action']),
  'POST /api/v1/webhooks': obj({ url: S, secret: { type: 'string', minLength: 16 }, events: arr(S), active: BOOL }, ['url']),
  'POST /api/v1/enterprises': obj({ credit_code: S, name: S, legal_rep: nul('string'), industry_code: nul('string'),
    industry_name: nul('string'), address: nul('string'), size: { enum: ['large', 'medium', 'small', 'micro'] }, node_id: I,
    above_scale: BOOL, above_scale_since: nul('string'), status_since: S }, ['credit_code', 'name', 'node_id']),
  'PATCH /api/v1/enterprises/{id}': obj({ credit_code: S, name: S, legal_rep: nul('string'), industry_code: nul('string'),
    industry_name: nul('string'), address: nul('string'), size: S, node_id: I, above_scale: BOOL,
    above_scale_since: nul('string') }, []),
  'POST /api/v1/enterprises/{id}/status': obj({ status: { enum: ['operating', 'suspended', 'closed', 'moved_out'] },
    since: S, reason: nul('string') }, ['status']),
  'POST /api/v1/enterprises/{id}/contacts': obj({ name: S, title: nul('string'), phone: nul('string') }, ['name']),
  'POST /api/v1/enterprises/{id}/reveal': obj({ fields: arr({ enum: ['phone'] }) }),
  'POST /api/v1/enterprises/{id}/cadres': obj({ role: { enum: ['leader', 'officer'] }, user_id: I, starts_on: S },
    ['role', 'user_id']),
  'POST /api/v1/enterprises/{id}/problems': obj({ category: S, description: S, unit_node_id: I,
    owner_user_id: nul('integer'), raised_on: S, days: I, day_rule: { enum: ['working', 'calendar'] } },
  ['category', 'description', 'unit_node_id', 'days']),
  'POST /api/v1/enterprise-problems/{id}/notes': obj({ note: S }),
  'POST /api/v1/enterprises/{id}/visits': obj({ visited_on: S, user_id: I, purpose: S, policies: nul('string'),
    follow_up: nul('string') }, ['purpose']),
  'POST /api/v1/enterprise-events': obj({ node_id: I, held_on: S, kind: { enum: ['finance', 'legal', 'policy', 'other'] },
    title: S, partner: nul('string'), enterprise_ids: arr(I) }, ['node_id', 'held_on', 'kind', 'title']),
  'POST /api/v1/policy-handouts': obj({ node_id: nul('integer'), enterprise_id: nul('integer'), event_id: nul('integer'),
    title: S, copies: I, handed_on: S }, ['title', 'copies']),
  'POST /api/v1/enterprises/{id}/honours': obj({ kind: { enum: ['specialised', 'little_giant', 'gazelle', 'high_tech', 'other'] },
    level: { enum: ['national', 'provincial', 'city', 'district'] }, title: nul('string'), year: I,
    expires_on: nul('string') }, ['kind', 'level', 'year']),
  'POST /api/v1/enterprises/{id}/indicators': obj({ month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
    output: nul('string'), sales: nul('string'), taxes: nul('string'), investment: nul('string'), energy: nul('string'),
    reason: nul('string') }, ['month']),
  'POST /api/v1/enterprise-problems/{id}/close': obj({ evidence: S,
    satisfaction: { enum: ['satisfied', 'basically_satisfied', 'dissatisfied'] } }),
  'PATCH /api/v1/webhooks/{id}': obj({ url: S, secret: { type: 'string', minLength: 16 }, events: arr(S), active: BOOL }, []),
  'POST /api/v1/projects': obj({ code: S, name: S, node_id: I, owner_name: nul('string'), category: nul('string'),
    industry: nul('string'), stage: S, build_kind: S, stage_on: S, investment_total: S, plan_year: nul('integer'),
    investment_plan: S, lead_user_id: nul('integer'), work_plan: nul('string') }, ['code', 'name', 'node_id', 'stage_on']),
  'PATCH /api/v1/projects/{id}': obj({ name: S, owner_name: nul('string'), category: nul('string'), industry: nul('string'),
    investment_total: S, plan_year: nul('integer'), investment_plan: S, lead_user_id: nul('integer'),
    work_plan: nul('string') }, []),
  'POST /api/v1/projects/{id}/stage': obj({ stage: S, build_kind: S, on: S, reason: S }, ['stage', 'on']),
  'POST /api/v1/projects/{id}/members': obj({ user_id: I, duty: S }),
  'POST /api/v1/projects/{id}/tasks': obj({ content: S, owner_user_id: I, assigned_on: S, due_on: S },
    ['content', 'owner_user_id', 'due_on']),
  'PATCH /api/v1/project-tasks/{id}': obj({ status: { enum: ['done'] }, evidence: S }),
  'POST /api/v1/projects/{id}/problems': obj({ kind: S, description: S, raised_on: S, raised_where: S, source: S, unit: S,
    owner_user_id: I, due_on: S }, ['kind', 'description']),
  'POST /api/v1/project-problems/{id}/actions': obj({ action: { enum: ['assign', 'start', 'close'] }, owner_user_id: I,
    due_on: S, unit: S, evidence: S }, ['action']),
  'POST /api/v1/projects/{id}/duties': obj({ user_id: I, duty: S }),
  'POST /api/v1/projects/{id}/investment': obj({ month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, amount: S }),
  'POST /api/v1/project-meetings': obj({ held_on: S, place: S, chair_user_id: I, attendees: S, minutes: S,
    project_ids: arr(I) }, ['project_ids']),
  'PATCH /api/v1/project-meetings/{id}': obj({ place: S, attendees: S, minutes: S, project_ids: arr(I) }, []),
  'POST /api/v1/project-meetings/{id}/problems': obj({ project_id: I, kind: S, description: S, unit: S, owner_user_id: I,
    due_on: S }, ['project_id', 'kind', 'description']),
};
Object.assign(BODY, {
  'POST /api/v1/wo-categories': obj({ code: S, name: S, parent_id: nul('integer'), route_level: nul('string'), active: BOOL,
    sort: I }, ['code', 'name']),
  'PATCH /api/v1/wo-categories/{id}': obj({ name: S, route_level: nul('string'), active: BOOL, sort: I }, []),
  'POST /api/v1/wo-routing-rules': obj({ category_id: nul('integer'), type: nul('string'), route_level: LEVEL3,
    note: nul('string') }, ['route_level']),
  'PUT /api/v1/wo-time-limits': ref('TimeLimit'),
  'PUT /api/v1/wo-sweep-policy': ref('SweepLevel'),
  'PUT /api/v1/wo-category-map': obj({ path: S, category_id: I }),
  'PUT /api/v1/wo-category-map/fallback': obj({ category_id: I }),
  'POST /api/v1/public/status': obj({ number: S, phone_last4: { type: 'string', pattern: '^[0-9]{4}$' } }),
  'POST /api/v1/public/rating': obj({ number: S, phone_last4: { type: 'string', pattern: '^[0-9]{4}$' },
    satisfaction: { enum: ['satisfied', 'basically_satisfied', 'dissatisfied'] } }),
});
// Volunteers, duty rosters and patrols (issue 16): instants as +08:00 text, days YYYY-MM-DD.
const CARD = { enum: ['none', 'yellow', 'red'] };
const VKIND = { enum: ['patrol', 'service', 'culture', 'mediation', 'emergency'] };
const TIME = nul('string');
Object.assign(schemas, {
  VolunteerTeam: obj({ id: I, node_id: I, subdistrict_id: I, name: S, kind: VKIND, leader_person_id: nul('integer'),
    leader_name: nul('string'), weekly_limit_minutes: nul('integer'), cutoff_hours: I, description: nul('string'), active: BOOL,
    members: I, created_at: S, updated_at: S }, ['id', 'node_id', 'name', 'kind', 'active', 'members']),
  VolunteerMember: obj({ id: I, team_id: I, person_id: I, name: S, party_member: BOOL, home_node_id: nul('integer'),
    joined_on: S, left_on: nul('string') }),
  VolunteerShiftType: obj({ id: I, team_id: I, name: S, minutes: I, people: I, party_members: I, points_per_hour: I,
    place: nul('string'), active: BOOL }),
  VolunteerPlace: obj({ id: I, shift_id: I, person_id: I, name: S, party_member: BOOL, how: { enum: ['signup', 'assigned', 'swap'] },
    state: { enum: ['active', 'given_up', 'swapped', 'withdrawn'] }, attendance: { enum: ['present', 'late', 'no_show', null] },
    check_in_at: TIME, check_out_at: TIME, minutes: nul('integer'), confirmed: BOOL }),
  VolunteerShift: obj({ id: I, team_id: I, team_name: S, team_kind: VKIND, type_id: I, type_name: S, series_id: nul('integer'),
    node_id: I, day: S, starts_at: S, ends_at: S, place: nul('string'), note: nul('string'), people: I, party_members: I,
    filled: I, points_per_hour: I, state: { enum: ['open', 'cancelled', 'closed'] }, staff_card: CARD, staff_due: TIME,
    closed_at: TIME, on: arr(ref('VolunteerPlace')), places: arr(ref('VolunteerPlace')), my_part: S,
    my_person_id: nul('integer') }, ['id', 'team_id', 'node_id', 'day', 'starts_at', 'ends_at', 'people', 'filled', 'state']),
  VolunteerLedger: obj({ person_id: I, name: S, points: I, minutes: I, total: I, limit: I, offset: I,
    items: arr(obj({ id: I, seq: I, kind: { enum: ['shift', 'confirm', 'adjust', 'redeem'] }, on_day: S, minutes: I, points: I,
      balance: { type: 'integer', minimum: 0 }, served_minutes: I, team_id: nul('integer'), assignment_id: nul('integer'),
      redemption_id: nul('integer'), reason: nul('string'), by_user_id: nul('integer'), at: S })) }),
  VolunteerShopItem: obj({ id: I, node_id: I, subdistrict_id: I, name: S, points: I, stock: I, active: BOOL }),
  VolunteerRedemption: obj({ id: I, item_id: I, item_name: S, node_id: I, person_id: I, person_name: S, quantity: I, points: I,
    by_user_id: nul('integer'), at: S }),
  VolunteerPatrol: obj({ id: I, team_id: I, team_name: S, node_id: I, shift_id: nul('integer'), route: S, seen: nul('string'),
    started_at: S, ended_at: S, by_user_id: nul('integer'), people: arr(obj({ person_id: I, name: S })),
    incidents: arr(obj({ id: I, node_id: I, description: S, upload_id: nul('integer'), work_order_id: nul('integer'),
      work_order_number: { anyOf: [NUMBER, { type: 'null' }] }, work_order_state: nul('string') })) }),
  VolunteerMe: obj({ person: { type: ['object', 'null'] }, teams: arr(ref('VolunteerTeam')), shifts: arr(ref('VolunteerShift')),
    past: arr(ref('VolunteerShift')), open: arr(ref('VolunteerShift')), carded: arr(ref('VolunteerShift')),
    balance: obj({ points: I, minutes: I }) }),
  VolunteerFigures: obj({ from: S, to: S,
    shifts: obj({ closed: I, places_needed: I, places_taken: I, fill_percent: nul('number') }),
    attendance: obj({ places: I, present: I, late: I, no_show: I, no_show_percent: nul('number') }),
    served: obj({ minutes: I, points: I, redeemed: I, volunteers: I }),
    patrols: obj({ patrols: I, incidents: I, work_orders: I, work_orders_closed: I }),
    teams: arr(obj({ team_id: I, name: S, kind: S, minutes: I, points: I, shifts: I, fill_percent: nul('number') })),
    months: arr(obj({ month: S, minutes: I, points: I, volunteers: I })),
    persons: arr(obj({ person_id: I, name: S, minutes: I, points: I })),
    courtyards: arr(obj({ node_id: I, name: S, volunteers: I, residents: I, share_percent: nul('number') })) }),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/volunteer-teams': page(ref('VolunteerTeam')),
  'GET /api/v1/volunteer-teams/{id}': { allOf: [ref('VolunteerTeam'), obj({ member_list: arr(ref('VolunteerMember')),
    shift_types: arr(ref('VolunteerShiftType')), my_part: { enum: ['none', 'member', 'leader', 'staff'] } })] },
  'GET /api/v1/volunteer-shifts': page(ref('VolunteerShift')), 'GET /api/v1/volunteer-shifts/{id}': ref('VolunteerShift'),
  'GET /api/v1/volunteer-me': ref('VolunteerMe'),
  'GET /api/v1/volunteers/{id}/ledger': ref('VolunteerLedger'),
  'GET /api/v1/volunteer-shop-items': page(ref('VolunteerShopItem')),
  'GET /api/v1/volunteer-redemptions': page(ref('VolunteerRedemption')),
  'GET /api/v1/volunteer-patrols': page(ref('VolunteerPatrol')), 'GET /api/v1/volunteer-patrols/{id}': ref('VolunteerPatrol'),
  'GET /api/v1/volunteer-figures': ref('VolunteerFigures'),
});
const LOCAL_TIME = { type: 'string', description: 'YYYY-MM-DD HH:MM (Asia/Shanghai), or ISO 8601 with a zone' };
Object.assign(BODY, {
  'POST /api/v1/volunteer-teams': obj({ name: S, kind: VKIND, node_id: I, leader_person_id: nul('integer'),
    weekly_limit_minutes: nul('integer'), cutoff_hours: I, description: nul('string') }, ['name', 'kind', 'node_id']),
  'PATCH /api/v1/volunteer-teams/{id}': obj({ name: S, kind: VKIND, leader_person_id: nul('integer'),
    weekly_limit_minutes: nul('integer'), cutoff_hours: I, description: nul('string'), active: BOOL }, []),
  'POST /api/v1/volunteer-teams/{id}/members': obj({ person_id: I, joined_on: S }, ['person_id']),
  'PATCH /api/v1/volunteer-members/{id}': obj({ left_on: S }),
  'POST /api/v1/volunteer-teams/{id}/shift-types': obj({ name: S, minutes: I, people: I, party_members: I, points_per_hour: I,
    place: nul('string') }, ['name', 'minutes']),
  'PATCH /api/v1/volunteer-shift-types/{id}': obj({ name: S, minutes: I, people: I, party_members: I, points_per_hour: I,
    place: nul('string'), active: BOOL }, []),
  'POST /api/v1/volunteer-teams/{id}/shifts': obj({ type_id: I, starts_at: LOCAL_TIME, ends_at: LOCAL_TIME, place: nul('string'),
    note: nul('string'), people: I, party_members: I }, ['type_id', 'starts_at']),
  'POST /api/v1/volunteer-teams/{id}/shift-series': obj({ type_id: I, from_on: S, until_on: S,
    weekdays: { type: 'string', pattern: '^[1-7]{1,7}$', description: 'ISO weekdays, 1 Monday: "1234567" every day' },
    start: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, end: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, place: S,
    people: I, party_members: I }, ['type_id', 'from_on', 'until_on', 'start', 'end']),
  'PATCH /api/v1/volunteer-shifts/{id}': obj({ place: nul('string'), note: nul('string'), people: I, party_members: I,
    state: { enum: ['cancelled'] } }, []),
  'POST /api/v1/volunteer-shifts/{id}/signups': obj({ person_id: I }, []),
  'POST /api/v1/volunteer-shifts/{id}/actions': obj({ action: { enum: ['give_up', 'swap', 'check_in', 'check_out', 'confirm'] },
    person_id: I, to_person_id: I, at: LOCAL_TIME, minutes: I, reason: S }, ['action']),
  'POST /api/v1/volunteer-me/ical-token': obj({}, []),
  'POST /api/v1/volunteers/{id}/adjustments': obj({ points: I, minutes: I, reason: S }, ['reason']),
  'POST /api/v1/volunteer-shop-items': obj({ name: S, node_id: I, points: I, stock: I }, ['name', 'node_id', 'points']),
  'PATCH /api/v1/volunteer-shop-items/{id}': obj({ name: S, points: I, stock: I, active: BOOL }, []),
  'POST /api/v1/volunteer-shop-items/{id}/redeem': obj({ person_id: I, quantity: I }, []),
  'POST /api/v1/volunteer-teams/{id}/patrols': obj({ route: S, started_at: LOCAL_TIME, ended_at: LOCAL_TIME, seen: S, shift_id: I,
    person_ids: arr(I) }, ['route', 'started_at', 'ended_at', 'person_ids']),
  'POST /api/v1/volunteer-patrols/{id}/incidents': obj({ description: S, node_id: I, upload_id: I }, ['description', 'node_id']),
  'POST /api/v1/volunteer-patrol-incidents/{id}/work-order': obj({ category_id: I,
    type: { enum: ['consultation', 'help', 'complaint', 'report', 'suggestion'] }, urgency: { enum: ['normal', 'urgent'] } }, []),
});
const O311_FORM = obj({ api_key: S, service_code: S, lat: N, long: N, address_string: S, address_id: S, email: S,
  device_id: S, account_id: S, first_name: S, last_name: S, phone: S, description: S, media_url: S,
  'attribute[type]': S, 'attribute[urgency]': S, 'attribute[confidential]': { enum: ['true', 'false'] } }, ['service_code']);
// Longer words on an operation than its route table's summary.
const DESCRIPTION = {
  'GET /api/v1/calendar/{year}': "A year's special days.  A year not loaded answers its provisional calendar (provisional: true, source \"provisional\").",
  'PUT /api/v1/calendar/{year}': "Replaces the year's calendar.  Every open order's deadline that was counted on the provisional calendar is counted again on the new one in the same transaction (an event on the order, a line in the audit log); a card the new deadline no longer justifies is withdrawn.  With dry_run=true nothing changes and the answer lists what would.",
};
// Query parameters with a type and words of their own.
const EXTRA_PARAMS = {
  'PUT /api/v1/calendar/{year}': [{"name": "dry_run", "in": "query", "required": false, "schema": {"type": "boolean"}, "description": "true: list what the load would recount, change nothing"}],
};
// Query parameters worth naming (every list also takes what its module documents).
const PAGING = ['limit', 'offset'].map((name) => ({ name, in: 'query', required: false, schema: I }));
const QUERY = {
  'GET /api/v1/nodes': ['under', 'level', 'q'], 'GET /api/v1/persons': ['under', 'q'],
  'GET /api/v1/work-orders': ['state', 'under_id', 'category_id', 'source', 'type', 'urgency', 'from', 'to', 'overdue',
    'card', 'handler_node_id', 'q', 'sort', 'after', 'limit'],
  'GET /api/v1/webhooks/deliveries': ['state', 'subscriber_id', 'limit', 'offset'],
  'GET /api/v1/stats': ['node', 'from', 'to'], 'GET /api/v1/stats/ranking': ['node', 'from', 'to'],
  'GET /api/v1/coverage': ['node'], 'GET /api/v1/suggestions': ['text', 'node_id', 'type'],
  'GET /api/v1/work-orders/{id}/duplicates': ['days'], 'GET /api/v1/insight/hotspots': ['node', 'from', 'to'],
  'GET /api/v1/insight/pressure': ['node', 'kind'],
  'GET /api/v1/projects': ['under', 'stage'], 'GET /api/v1/project-meetings': ['subdistrict'],
  'GET /api/v1/project-figures': ['year', 'under'],
  'GET /api/v1/enterprises': ['under', 'q', 'status', 'above_scale', 'above_scale_from', 'above_scale_to', 'cadre_user_id',
    'without_cadre'],
  'GET /api/v1/enterprises/{id}/cadres': ['on'],
  'GET /api/v1/enterprise-problems': ['under', 'enterprise_id', 'state'],
  'GET /api/v1/enterprise-honours': ['under', 'enterprise_id', 'kind', 'level', 'year', 'valid_on'],
  'GET /api/v1/enterprise-visits': ['under', 'enterprise_id', 'user_id', 'from', 'to'],
  'GET /api/v1/enterprise-events': ['under', 'enterprise_id', 'kind', 'from', 'to'],
  'GET /api/v1/policy-handouts': ['under', 'enterprise_id', 'from', 'to'],
  'GET /api/v1/enterprises/{id}/indicators': ['from', 'to'], 'GET /api/v1/economy/report': ['month', 'node'],
  'GET /api/v1/calendar/deadline': ['received_at', 'days'], 'GET /api/v1/calendar/working-days': ['date', 'from', 'to'],
  'DELETE /api/v1/wo-time-limits': ['type', 'urgency', 'dry_run'],
  'GET /api/v1/export/stats.csv': ['node', 'from', 'to', 'table'], 'GET /api/v1/export/stats.xlsx': ['node', 'from', 'to'],
  'GET /api/v1/export/work-orders.csv': ['state', 'under', 'category_id', 'source', 'type', 'urgency', 'from', 'to', 'overdue',
    'card', 'handler_node_id', 'q', 'events', 'unmasked'],
  'GET /api/v1/export/work-orders.xlsx': ['state', 'under', 'category_id', 'source', 'type', 'urgency', 'from', 'to', 'overdue',
    'card', 'handler_node_id', 'q', 'events', 'unmasked'],
  'POST /api/v1/wo-categories': ['dry_run'], 'PATCH /api/v1/wo-categories/{id}': ['dry_run'],
  'POST /api/v1/wo-routing-rules': ['dry_run'], 'DELETE /api/v1/wo-routing-rules/{id}': ['dry_run'],
  'PUT /api/v1/wo-time-limits': ['dry_run'], 'PUT /api/v1/wo-sweep-policy': ['dry_run'],
  'PUT /api/v1/wo-category-map': ['dry_run'],
  'POST /api/v1/import-jobs/hotline': ['dry_run', 'all_or_nothing'], 'POST /api/v1/import-jobs/nodes': ['dry_run'],
  'POST /api/v1/import-jobs/persons': ['dry_run'], 'GET /api/v1/import-jobs': ['limit'],
  'GET /open311/v2/requests': ['service_request_id', 'service_code', 'start_date', 'end_date', 'status'],
  'GET /api/v1/volunteer-teams': ['under', 'kind', 'all'],
  'GET /api/v1/volunteer-shifts': ['under', 'team_id', 'from', 'to', 'state', 'short', 'mine'],
  'GET /api/v1/volunteer-shop-items': ['under', 'all'], 'GET /api/v1/volunteer-redemptions': ['under', 'person_id'],
  'GET /api/v1/volunteer-patrols': ['under', 'team_id'], 'GET /api/v1/volunteer-figures': ['under', 'from', 'to'],
  'GET /api/v1/volunteers/{id}/ledger': ['limit', 'offset'],
};
// Co-building (双报到, issue 18; api_cobuild.c): units, the three lists and claims.  Hours travel as text
// with one decimal ("6.5"); a contact's phone is masked but in the audited reveal.
Object.assign(schemas, {
  CobuildUnit: obj({ id: I, node_id: I, subdistrict_id: I, name: S,
    kind: { enum: ['government', 'institution', 'enterprise', 'bank', 'school', 'hospital', 'social_org', 'other'] },
    credit_code: { type: ['string', 'null'], pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }, party_org_name: nul('string'),
    contact_name: nul('string'), contact_phone: nul('string'), reported_on: S, members: I, created_at: S, updated_at: S,
    in_service_members: arr(obj({ id: I, person_id: I, name: S, reported_on: S, member_org_id: nul('integer'),
      member_org_name: nul('string'), living_org_id: nul('integer') })) },
  ['id', 'node_id', 'name', 'kind', 'credit_code', 'contact_phone', 'reported_on', 'members']),
  CobuildNeed: obj({ id: I, node_id: I, subdistrict_id: I, title: S, detail: nul('string'),
    kind: { enum: ['facility', 'care', 'health', 'legal', 'education', 'culture', 'environment', 'finance', 'employment', 'other'] },
    urgency: { enum: ['normal', 'urgent'] }, source: { enum: ['resident', 'grid_member', 'council', 'work_order'] },
    raised_by_person_id: nul('integer'), work_order_id: nul('integer'), raised_by_user_id: nul('integer'), raised_on: S,
    status: { enum: ['open', 'planned', 'met'] }, met_on: nul('string'), project_id: nul('integer'), created_at: S },
  ['id', 'node_id', 'title', 'kind', 'urgency', 'source', 'raised_on', 'status']),
  CobuildResource: obj({ id: I, node_id: I, subdistrict_id: I, unit_id: nul('integer'), person_id: nul('integer'),
    kind: { enum: ['venue', 'professional', 'legal', 'medical', 'funding', 'volunteer', 'training', 'other'] }, title: S,
    detail: nul('string'), offered_by: nul('string'), created_at: S }, ['id', 'node_id', 'kind', 'title']),
  CobuildClaim: obj({ id: I, project_id: I, node_id: I, project_title: S, unit_id: nul('integer'), person_id: nul('integer'),
    claimant: nul('string'), status: { enum: ['claimed', 'reported', 'rated'] }, claimed_on: S, due_on: S,
    deadline: nul('string'), card: CARD, report: nul('string'), evidence: nul('string'), served_on: nul('string'),
    hours: nul('string'), reported_at: nul('string'), on_time: nul('boolean'), community_score: nul('integer'),
    resident_ratings: I, resident_score: nul('number'), created_at: S,
    ratings: arr(obj({ id: I, rater: { enum: ['community', 'resident'] }, person_id: nul('integer'), score: I,
      comment: nul('string'), created_at: S })) },
  ['id', 'project_id', 'node_id', 'status', 'claimed_on', 'due_on', 'card']),
  CobuildProject: obj({ id: I, node_id: I, subdistrict_id: I, title: S, detail: nul('string'), claim_by: S,
    status: { enum: ['open', 'claimed', 'reported', 'rated'] }, need_ids: arr(I), resource_ids: arr(I), card: CARD,
    claim_deadline: nul('string'), created_by: nul('integer'), created_at: S,
    needs: arr(ref('CobuildNeed')), resources: arr(ref('CobuildResource')),
    claim: { oneOf: [ref('CobuildClaim'), { type: 'null' }] } },
  ['id', 'node_id', 'title', 'claim_by', 'status', 'need_ids', 'card']),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/cobuild-units': page(ref('CobuildUnit')), 'GET /api/v1/cobuild-units/{id}': ref('CobuildUnit'),
  'GET /api/v1/cobuild-needs': page(ref('CobuildNeed')), 'GET /api/v1/cobuild-needs/{id}': ref('CobuildNeed'),
  'GET /api/v1/cobuild-resources': page(ref('CobuildResource')), 'GET /api/v1/cobuild-resources/{id}': ref('CobuildResource'),
  'GET /api/v1/cobuild-projects': page(ref('CobuildProject')), 'GET /api/v1/cobuild-projects/{id}': ref('CobuildProject'),
  'GET /api/v1/cobuild-claims': page(ref('CobuildClaim')), 'GET /api/v1/cobuild-claims/{id}': ref('CobuildClaim'),
});
const COBUILD_UNIT_BODY = { name: S, kind: S, credit_code: nul('string'), party_org_name: nul('string'),
  contact_name: nul('string'), contact_phone: nul('string'), reported_on: S };
Object.assign(BODY, {
  'POST /api/v1/cobuild-units': obj({ ...COBUILD_UNIT_BODY, node_id: I }, ['name', 'kind', 'node_id', 'reported_on']),
  'PATCH /api/v1/cobuild-units/{id}': obj(COBUILD_UNIT_BODY, []),
  'POST /api/v1/cobuild-units/{id}/members': obj({ person_id: I, reported_on: S }, ['person_id']),
  'POST /api/v1/cobuild-units/{id}/accounts': obj({ user_id: I }),
  'POST /api/v1/cobuild-units/{id}/reveal': obj({ fields: arr({ enum: ['contact_phone'] }) }),
  'POST /api/v1/cobuild-needs': obj({ node_id: I, title: S, detail: nul('string'), kind: S, urgency: S, source: S,
    raised_by_person_id: nul('integer'), work_order_id: nul('integer'), raised_on: S }, ['node_id', 'title', 'kind', 'source']),
  'POST /api/v1/cobuild-resources': obj({ node_id: I, unit_id: nul('integer'), person_id: nul('integer'), kind: S, title: S,
    detail: nul('string') }, ['node_id', 'kind', 'title']),
  'POST /api/v1/cobuild-projects': obj({ node_id: I, title: S, detail: nul('string'), claim_by: S, need_ids: arr(I),
    resource_ids: arr(I) }, ['node_id', 'title', 'need_ids']),
  'POST /api/v1/cobuild-projects/{id}/claim': obj({ unit_id: nul('integer'), person_id: nul('integer'), claimed_on: S,
    due_on: S }, ['due_on']),
  'POST /api/v1/cobuild-claims/{id}/report': obj({ report: nul('string'), evidence: S, served_on: S,
    hours: { type: 'string', pattern: '^\\d+(\\.\\d)?$' } }, ['evidence', 'served_on', 'hours']),
  'POST /api/v1/cobuild-claims/{id}/ratings': obj({ rater: { enum: ['community', 'resident'] }, person_id: nul('integer'),
    score: { type: 'integer', minimum: 1, maximum: 5 }, comment: nul('string') }, ['rater', 'score']),
});
Object.assign(schemas, {
  CobuildAgreement: obj({ id: I, node_id: I, subdistrict_id: I, unit_id: I, unit_name: S, title: S, starts_on: S, ends_on: S,
    signed_on: S, document_ref: nul('string'), created_at: S,
    commitments: arr(obj({ id: I, kind: { enum: ['hours', 'money', 'service'] }, description: S, per_year: S })) }),
  CobuildReview: obj({ agreement_id: I, unit_id: I, unit_name: S, year: I, items: arr(obj({ commitment_id: I,
    kind: { enum: ['hours', 'money', 'service'] }, promised: S, delivered: nul('string'), percent: nul('integer') })) }),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/cobuild-agreements': page(ref('CobuildAgreement')), 'GET /api/v1/cobuild-agreements/{id}': ref('CobuildAgreement'),
  'GET /api/v1/cobuild-agreements/{id}/review': ref('CobuildReview'),
});
Object.assign(BODY, {
  'POST /api/v1/cobuild-agreements': obj({ unit_id: I, title: S, starts_on: S, ends_on: S, signed_on: S,
    document_ref: nul('string') }, ['unit_id', 'title', 'starts_on', 'ends_on', 'signed_on']),
  'POST /api/v1/cobuild-agreements/{id}/commitments': obj({ kind: { enum: ['hours', 'money', 'service'] }, description: S,
    per_year: S }),
  'POST /api/v1/cobuild-commitments/{id}/deliveries': obj({ year: I, delivered: S, note: nul('string') }, ['year', 'delivered']),
});
const PARTY_STATUS = { enum: ['formal', 'probationary', 'candidate', 'activist'] };
Object.assign(schemas, {
  PartyMember: obj({ id: I, person_id: I, org_id: I, node_id: I, subdistrict_id: I, name: S, org_name: S, status: PARTY_STATUS,
    status_since: S, pledge: nul('string'), hours_this_year: S, records_this_year: I, points_this_year: I, reported: BOOL,
    hours_this_quarter: S, served_nobody: BOOL,
    history: arr(obj({ action: { enum: ['enrol', 'status', 'transfer'] }, status: nul('string'), from_org_id: nul('integer'),
      to_org_id: nul('integer'), on: S, reason: nul('string') })),
    service: arr(obj({ id: I, served_on: S, hours: S, what: S, for_whom: nul('string') })) },
  ['id', 'person_id', 'org_id', 'node_id', 'name', 'status', 'status_since', 'points_this_year']),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/party-members': page(ref('PartyMember')), 'GET /api/v1/party-members/{id}': ref('PartyMember'),
  'GET /api/v1/party-branch-view': obj({ quarter: S, members: I, reported: I, hours: S, served_nobody: I,
    items: arr(ref('PartyMember')) }),
});
Object.assign(BODY, {
  'POST /api/v1/party-members': obj({ person_id: I, org_id: I, status: PARTY_STATUS, since: S, pledge: nul('string') },
    ['person_id', 'org_id', 'status', 'since']),
  'POST /api/v1/party-members/{id}/status': obj({ status: PARTY_STATUS, since: S, reason: nul('string') }, ['status', 'since']),
  'POST /api/v1/party-members/{id}/transfers': obj({ to_org_id: I, on: S, reason: S }),
  'POST /api/v1/party-members/{id}/service': obj({ served_on: S, hours: S, what: S, for_whom: nul('string') },
    ['served_on', 'hours', 'what']),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/cobuild-figures': obj({ year: I, units_per_community: arr(obj({ node_id: I, name: S, units: I })),
    ranking: arr(obj({ rank: I, unit_id: I, name: S, claims: I, reported: I, on_time: I, hours: S, community_rating: nul('number') })),
    needs: obj({ raised: I, met: I, average_days_to_meet: nul('number') }), hours: obj({ units: S, party_members: S }) }),
});
Object.assign(QUERY, {
  'GET /api/v1/cobuild-units': ['under'], 'GET /api/v1/cobuild-needs': ['under', 'status'],
  'GET /api/v1/cobuild-resources': ['under'], 'GET /api/v1/cobuild-projects': ['under', 'status'],
  'GET /api/v1/cobuild-claims': ['under'],
  'GET /api/v1/cobuild-agreements': ['under', 'unit_id'], 'GET /api/v1/cobuild-agreements/{id}/review': ['year'],
  'GET /api/v1/party-members': ['under', 'status'], 'GET /api/v1/party-branch-view': ['under', 'quarter'],
  'GET /api/v1/cobuild-figures': ['under', 'year'],
});
// Courtyard councils, notices and the public board (issue 17, api_council.c).
const SEAT = { enum: ['resident_rep', 'party_member', 'building_head', 'property', 'owners_committee', 'grid_member'] };
const COUNTS = obj({ yes: I, no: I, abstain: I, eligible: I });
Object.assign(schemas, {
  Council: obj({ id: I, node_id: I, subdistrict_id: I, name: S, term_start: S, term_end: S, quorum_percent: I,
    pass_rule: { enum: ['simple', 'majority', 'two_thirds'] }, convenor_user_id: nul('integer'), members: I, created_at: S,
    updated_at: S }),
  CouncilMember: obj({ id: I, name: S, seat: SEAT, person_id: nul('integer'), user_id: nul('integer'),
    phone: { type: ['string', 'null'], description: 'masked: 138****1234' }, joined_on: S, left_on: nul('string') }),
  CouncilMeeting: obj({ id: I, council_id: I, node_id: I, held_on: S, place: nul('string'), status: { enum: ['planned', 'closed'] },
    minutes: nul('string'), closed_at: nul('string'), agenda: arr(S),
    attendance: arr(obj({ member_id: I, status: { enum: ['present', 'absent', 'proxy'] }, proxy_member_id: nul('integer') })),
    quorum: obj({ members: I, present: I, needed: I, met: BOOL }) }),
  CouncilResolution: obj({ id: I, council_id: I, proposal_id: I, node_id: I, content: S, owner_user_id: I, assigned_on: S,
    due_on: S, status: { enum: ['open', 'done'] }, evidence: nul('string'), done_at: nul('string'),
    work_order_id: nul('integer'), deadline: nul('string'), card: { enum: ['none', 'yellow', 'red'] } }),
  CouncilProposal: obj({ id: I, council_id: I, node_id: I, title: S, body: nul('string'),
    source: { enum: ['resident', 'member', 'staff'] }, proposer_name: nul('string'), proposer_member_id: nul('integer'),
    status: { enum: ['open', 'voting', 'passed', 'rejected', 'no_quorum', 'withdrawn'] }, meeting_id: nul('integer'),
    vote_closes_on: nul('string'), supports: I, votes: I, result: { oneOf: [COUNTS, { type: 'null' }] },
    decided_at: nul('string'), created_at: S }, ['id', 'council_id', 'node_id', 'title', 'status', 'supports', 'votes', 'result']),
  Notice: obj({ id: I, node_id: I, node_name: nul('string'), title: S, body: S,
    category: { enum: ['council_result', 'roster', 'party_members', 'policy', 'convention', 'other'] }, starts_on: S, ends_on: S,
    status: { enum: ['draft', 'published', 'withdrawn'] }, published_at: nul('string'), created_at: S }),
  PublicBoard: obj({ node_id: I, name: S, today: S,
    notices: arr(obj({ title: S, body: S, category: S, starts_on: S, ends_on: S, from: nul('string') })),
    councils: arr(obj({ name: S, term_start: S, term_end: S, members: arr(obj({ name: S, seat: SEAT })),
      results: arr(obj({ title: S, status: S, yes: I, no: I, abstain: I, eligible: I, decided_at: nul('string') })) })) }),
  CouncilFigures: obj({ year: I, meetings: obj({ held: I, quorate: I, quorum_percent: nul('number') }),
    proposals: obj({ raised: I, passed: I, rejected: I, no_quorum: I }),
    resolutions: obj({ due: I, done: I, on_time: I, on_time_percent: nul('number') }), notices: obj({ published: I }) }),
});
Object.assign(GET_SCHEMA, {
  'GET /api/v1/councils': page(ref('Council')),
  'GET /api/v1/councils/{id}': { allOf: [ref('Council'), obj({ member_list: arr(ref('CouncilMember')),
    parties: arr(obj({ id: I, kind: { enum: ['property', 'owners_committee'] }, name: S, contact_name: nul('string'),
      contact_phone: nul('string') })) })] },
  'GET /api/v1/councils/{id}/meetings': page(ref('CouncilMeeting')),
  'GET /api/v1/council-meetings/{id}': ref('CouncilMeeting'),
  'GET /api/v1/councils/{id}/proposals': page(ref('CouncilProposal')),
  'GET /api/v1/council-proposals/{id}': { allOf: [ref('CouncilProposal'), obj({ resolutions: arr(ref('CouncilResolution')) })] },
  'GET /api/v1/council-resolutions': page(ref('CouncilResolution')),
  'GET /api/v1/council-resolutions/{id}': ref('CouncilResolution'),
  'GET /api/v1/council-figures': ref('CouncilFigures'),
  'GET /api/v1/notices': page(ref('Notice')), 'GET /api/v1/notices/{id}': ref('Notice'),
  'GET /api/v1/public/boards/{id}': ref('PublicBoard'),
});
Object.assign(BODY, {
  'POST /api/v1/councils': obj({ node_id: I, name: S, term_start: S, term_end: S, quorum_percent: I, pass_rule: S,
    convenor_user_id: nul('integer') }, ['node_id', 'name', 'term_start', 'term_end']),
  'PATCH /api/v1/councils/{id}': obj({ name: S, term_start: S, term_end: S, quorum_percent: I, pass_rule: S,
    convenor_user_id: nul('integer') }, []),
  'POST /api/v1/councils/{id}/members': obj({ name: S, seat: SEAT, phone: nul('string'), joined_on: S,
    person_id: nul('integer'), user_id: nul('integer') }, ['name', 'seat', 'joined_on']),
  'POST /api/v1/councils/{id}/departures': obj({ member_id: I, left_on: S }),
  'POST /api/v1/courtyard-parties': obj({ node_id: I, kind: { enum: ['property', 'owners_committee'] }, name: S,
    contact_name: nul('string'), contact_phone: nul('string') }, ['node_id', 'kind', 'name']),
  'POST /api/v1/councils/{id}/meetings': obj({ held_on: S, place: nul('string'), agenda: arr(S) }, ['held_on']),
  'POST /api/v1/council-meetings/{id}/attendance': obj({ present: arr(I), absent: arr(I), proxy: arr(I),
    proxy_holders: arr(I) }, []),
  'POST /api/v1/council-meetings/{id}/close': obj({ minutes: S }),
  'POST /api/v1/councils/{id}/proposals': obj({ title: S, body: nul('string'), source: { enum: ['resident', 'member', 'staff'] },
    proposer_name: nul('string'), proposer_member_id: nul('integer') }, ['title']),
  'POST /api/v1/council-proposals/{id}/supports': obj({ member_id: I, name: S }, []),
  'POST /api/v1/council-proposals/{id}/vote': obj({ meeting_id: I, closes_on: S }, []),
  'POST /api/v1/council-proposals/{id}/votes': obj({ member_id: I, choice: { enum: ['yes', 'no', 'abstain'] } }, ['choice']),
  'POST /api/v1/council-proposals/{id}/result': obj({ yes: I, no: I, abstain: I }, []),
  'POST /api/v1/council-proposals/{id}/resolutions': obj({ content: S, owner_user_id: I, assigned_on: S, due_on: S },
    ['content', 'owner_user_id', 'due_on']),
  'POST /api/v1/council-resolutions/{id}/done': obj({ evidence: S }),
  'POST /api/v1/council-resolutions/{id}/work-order': obj({ category_id: I,
    type: { enum: ['consultation', 'help', 'complaint', 'report', 'suggestion'] }, text: S }, ['category_id']),
  'POST /api/v1/notices': obj({ node_id: I, title: S, body: S, category: S, starts_on: S, ends_on: S, publish: BOOL },
    ['node_id', 'title', 'body', 'category', 'starts_on', 'ends_on']),
});
const PARTY_ROLE = { enum: ['applicant', 'respondent', 'other'] };
Object.assign(schemas, {
  MediationCase: obj({ id: I, node_id: I, kind: { enum: ['neighbours', 'family', 'property', 'rent', 'debt', 'other'] },
    status: { enum: ['open', 'settled', 'referred', 'withdrawn'] }, mediator_user_id: nul('integer'), mediator_name: nul('string'),
    opened_on: S, closed_on: nul('string'), settled_level: { enum: ['courtyard', 'community', 'above', null] },
    referred_to: nul('string'), work_order_id: nul('integer'),
    parties: arr(obj({ name: { type: 'string', description: 'masked in lists: 王**' }, role: PARTY_ROLE }, ['name', 'role'])) }),
  RedWhiteFiling: obj({ id: I, node_id: I, kind: { enum: ['wedding', 'funeral'] }, held_on: S, family_name: S, tables: I,
    frugal_pledge: BOOL }),
});
schemas.CouncilFigures.properties.mediation = obj({ opened: I, settled_courtyard: I, settled_community: I, settled_above: I,
  referred: I, withdrawn: I, within_community_percent: nul('number') });
schemas.CouncilFigures.properties.red_white = obj({ weddings: I, funerals: I, frugal_pledges: I });
schemas.CouncilFigures.required.push('mediation', 'red_white');
Object.assign(GET_SCHEMA, {
  'GET /api/v1/mediation-cases': page(ref('MediationCase')),
  'GET /api/v1/mediation-cases/{id}': { allOf: [ref('MediationCase'), obj({ summary: nul('string'), agreement: nul('string'),
    parties: arr(obj({ id: I, name: S, role: PARTY_ROLE, person_id: nul('integer'), phone: nul('string') })),
    sessions: arr(obj({ id: I, held_on: S, notes: nul('string'), by_user_id: nul('integer') })) })] },
  'GET /api/v1/red-white-filings': page(ref('RedWhiteFiling')),
});
Object.assign(BODY, {
  'POST /api/v1/mediation-cases': obj({ node_id: I, kind: S, summary: S, mediator_user_id: nul('integer'),
    mediator_name: nul('string'), opened_on: S, work_order_id: I }, []),
  'POST /api/v1/mediation-cases/{id}/parties': obj({ name: S, role: PARTY_ROLE, person_id: nul('integer'), phone: nul('string') },
    ['name', 'role']),
  'POST /api/v1/mediation-cases/{id}/sessions': obj({ held_on: S, notes: S }),
  'POST /api/v1/mediation-cases/{id}/close': obj({ outcome: { enum: ['settled', 'referred', 'withdrawn'] },
    level: { enum: ['courtyard', 'community', 'above'] }, agreement: S, referred_to: S, closed_on: S }, ['outcome']),
  'POST /api/v1/red-white-filings': obj({ node_id: I, kind: { enum: ['wedding', 'funeral'] }, held_on: S, family_name: S,
    tables: I, frugal_pledge: BOOL }),
});
Object.assign(QUERY, {
  'GET /api/v1/mediation-cases': ['under'], 'GET /api/v1/red-white-filings': ['under'],
  'GET /api/v1/councils': ['under'], 'GET /api/v1/notices': ['under'], 'GET /api/v1/council-figures': ['year', 'under'],
  'GET /api/v1/council-resolutions': ['proposal_id', 'work_order_id'],
});
// Council writes that change an object rather than create one answer 200.
const COUNCIL_200 = /^POST \/api\/v1\/(council-meetings\/\{id\}\/attendance|councils\/\{id\}\/departures|council-proposals\/\{id\}\/(vote|result|withdraw)|council-resolutions\/\{id\}\/done|notices\/\{id\}\/(publish|withdraw))$/;
// Path parameter examples: objects of the Mingshui demo (`yuanluo demo`), for contract tests.
const EXAMPLE = { id: 1, year: 2026, service_code: 'env.clean', service_request_id: 'YL2026112900001',
  token_id: '00000000000000000000000000000000', token: 'a'.repeat(43) };

const err = (description) => ({ description, content: { [JSON_T]: { schema: ref('Error') } } });
const o311err = (fmt, description) => ({ description, content: fmt === 'xml'
  ? { [XML_T]: { schema: { type: 'string', description: '<errors><error><code/><description/></error></errors>' } } }
  : { [JSON_T]: { schema: ref('O311Errors') } } });

function successOf(route) {
  const k = `${route.method} ${route.pattern}`;
  if (route.method === 'GET') return 200;
  if (COUNCIL_200.test(k)) return 200;
  if (route.method === 'POST' && /\/(login|logout|password|reveal|actions|reset-password|retry|close)$/.test(route.pattern)) return 200;
  if (route.pattern.startsWith('/api/v1/import/') || route.pattern.startsWith('/open311/')) return 200;
  if (route.pattern.startsWith('/api/v1/import-jobs/')) return 202;
  if (route.pattern.startsWith('/api/v1/public/')) return 200;
  if (k === 'POST /api/v1/uploads' || route.method === 'POST') return 201;
  return 200;
}

const paths = {};
for (const route of routes) {
  const k = `${route.method} ${route.pattern}`;
  const op = { summary: route.summary, operationId: `${route.method.toLowerCase()}${route.pattern.replace(/[^A-Za-z0-9]+(.)?/g, (m, c) => (c ? c.toUpperCase() : ''))}`,
    'x-permission': route.permission, responses: {} };
  if (route.audit) op['x-audited'] = true;
  if (route.unscoped) op['x-unscoped'] = true;
  const params = [...route.pattern.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true,
    schema: name === 'id' || name === 'year' ? I : name === 'service_request_id' ? NUMBER : S, example: EXAMPLE[name] }));
  const o311 = /^\/open311\/v2\/(.+)\.(xml|json)$/.exec(route.pattern);
  const qk = o311 ? `${route.method} /open311/v2/${o311[1]}` : k;
  for (const q of QUERY[qk] || []) if (!params.some((p) => p.name === q)) params.push({ name: q, in: 'query', required: false, schema: S });
  if (/^GET \/api\/v1\/[\w-]+$/.test(k) && GET_SCHEMA[k]?.properties?.total) {
    for (const p of PAGING) if (!params.some((x) => x.name === p.name)) params.push(p);
  }
  if (params.length) op.parameters = params;
  if (route.permission === 'public') op.security = [];
  else if (route.pattern.startsWith('/open311/')) op.security = [{ apiKey: [] }, { bearer: [] }];
  const ok = successOf(route);
  if (o311) {
    op.tags = ['Open311 GeoReport v2'];
    const [, res, fmt] = o311;
    const schema = route.method === 'POST' ? arr(ref('O311Created')) : O311_SCHEMA[res];
    op.responses[ok] = { description: 'OK', content: fmt === 'xml'
      ? { [XML_T]: { schema: { type: 'string', description: 'the same document as .json in the spec\'s XML' } } }
      : { [JSON_T]: { schema } } };
    if (route.method === 'POST') {
      op.requestBody = { required: true, content: { 'application/x-www-form-urlencoded': { schema: O311_FORM } } };
      op.responses[403] = o311err(fmt, 'missing or invalid api_key, or the key lacks workorder.create');
    }
    if (res === 'requests') op.responses[400] = o311err(fmt, 'a parameter is missing or invalid (the description names it)');
    if (params.some((p) => p.in === 'path')) op.responses[404] = o311err(fmt, 'no such service, request or token');
  } else {
    op.tags = [route.pattern.startsWith('/api/v1/') ? route.pattern.split('/')[3] : 'server'];
    if (k === 'GET /metrics') {
      op.responses[200] = { description: 'Prometheus text format 0.0.4', content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: S } } };
      op.responses[403] = err('the caller\'s address is not in metrics-allow');
    } else if (route.pattern.endsWith('.csv')) {
      op.responses[200] = { description: 'CSV, UTF-8 with a BOM', content: { 'text/csv; charset=utf-8': { schema: S } } };
    } else if (route.pattern.endsWith('.xlsx')) {
      op.responses[200] = { description: 'an XLSX workbook (an office report: title, period, frozen header)', content: {
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } };
    } else if (route.pattern.endsWith('.ics')) {
      op.responses[200] = { description: 'an iCalendar feed (RFC 5545)', content: { 'text/calendar; charset=utf-8': { schema: S } } };
    } else if (k === 'GET /api/v1/uploads/{id}') {
      op.responses[200] = { description: 'the image', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } } } };
    } else {
      const schema = route.method === 'GET' ? (GET_SCHEMA[k] || { type: 'object' })
        : route.pattern.startsWith('/api/v1/import-jobs/') ? ref('ImportJob') : { type: 'object' };
      op.responses[ok] = { description: 'OK', content: { [JSON_T]: { schema } } };
    }
    if (k === 'PUT /api/v1/calendar/{year}') {
      const loaded = { allOf: [ref('CalendarYear'), {"type": "object", "properties": {"changed": {"type": "boolean"}, "dry_run": {"type": "boolean"}, "deadlines_moved": {"type": "integer"}, "recounted": {"type": "array", "items": {"type": "object", "required": ["order_id", "number", "field", "before", "after", "changed", "still_provisional"], "properties": {"order_id": {"type": "integer"}, "number": {"type": "string"}, "field": {"enum": ["sign_deadline", "return_deadline", "deadline"]}, "before": {"type": "string"}, "after": {"type": "string"}, "changed": {"type": "boolean"}, "still_provisional": {"type": "boolean"}, "card_before": {"enum": ["none", "yellow", "red"]}, "card_after": {"enum": ["none", "yellow", "red"]}}}}}}] };
      op.responses[200] = { description: 'OK', content: { [JSON_T]: { schema: loaded } } };
      op.responses[201] = { description: 'loaded for the first time', content: { [JSON_T]: { schema: loaded } } };
    }
    if (route.method !== 'GET' && route.method !== 'DELETE') {
      if (route.pattern.startsWith('/api/v1/import/') || route.pattern.startsWith('/api/v1/import-jobs/')
        || k === 'PUT /api/v1/calendar/{year}') {
        op.requestBody = { required: true, content: { 'text/csv': { schema: S } } };
      } else if (k === 'POST /api/v1/uploads') {
        op.requestBody = { required: true, content: { 'multipart/form-data': { schema: obj({ file: arr({ type: 'string', format: 'binary' }) }) },
          'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/png': { schema: { type: 'string', format: 'binary' } } } };
      } else {
        op.requestBody = { required: true, content: { 'application/json': { schema: BODY[k] || { type: 'object' } } } };
      }
    }
    if (route.permission !== 'public') op.responses[401] = err('not logged in (no session cookie, no bearer token)');
    if (route.permission !== 'public' && (route.permission !== 'login' || route.method !== 'GET')) {
      op.responses[403] = err('the permission is not held, the password must change first, or the CSRF token is missing');
    }
    if (route.method !== 'GET' || params.some((p) => p.in === 'query')) op.responses[400] = err('invalid input: the field and the reason');
    if (params.some((p) => p.in === 'path')) op.responses[404] = err('no such object, or not inside the caller\'s scope');
  }
  if (DESCRIPTION[k]) op.description = DESCRIPTION[k];
  if (EXTRA_PARAMS[k]) op.parameters = [...(op.parameters || []), ...EXTRA_PARAMS[k]];
  (paths[route.pattern] ||= {})[route.method.toLowerCase()] = op;
}

const doc = {
  openapi: '3.1.0',
  info: {
    title: 'Yuanluo API', version: '1',
    description: 'The JSON API under /api/v1 (session cookie with X-CSRF-Token on writes, or Authorization: Bearer '
      + 'with an API token), Open311 GeoReport v2 under /open311/v2 (public reads; writes with api_key), /metrics '
      + 'and /healthz.  Every route, with the permission it needs (x-permission), is in `yuanluo routes`; this file '
      + 'is generated from it by tools/openapi.mjs.  Errors: {"error":{"code","message","field"}}; Open311 errors '
      + 'in that spec\'s form.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'yl_session', description: 'writes also need X-CSRF-Token' },
      bearer: { type: 'http', scheme: 'bearer', description: 'an API token (POST /api/v1/tokens)' },
      apiKey: { type: 'apiKey', in: 'query', name: 'api_key', description: 'Open311: an API token with workorder.create; also as a form field' },
    },
    schemas,
  },
  security: [{ session: [] }, { bearer: [] }],
  paths,
};
writeFileSync(resolve(ROOT, 'docs/openapi.json'), `${JSON.stringify(doc, null, 1)}\n`);
console.log(`docs/openapi.json: ${routes.length} routes in ${Object.keys(paths).length} paths`);
