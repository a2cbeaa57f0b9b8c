// public_status.test.mjs - residents follow their request without an account: POST /api/v1/public/status
// with the order number and the last four digits of the caller's phone shows the stages and the reply and
// nothing personal; POST /api/v1/public/rating is the callback without a phone call (satisfied closes the
// order, dissatisfied sends it back to the reviewers); wrong tries are refused alike and limited (429 with
// Retry-After); every lookup and rating is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf, cli, expectStatus as ok } from './harness.mjs';

const PW = 'Yuanluo-Test-2026!';
let srv;
let anon;
let auditor;
const T = {};


const act = (id, action, extra = {}) => ok(srv.post(`/api/v1/work-orders/${id}/actions`, { action, ...extra }));

// A phone order taken by staff, signed, replied and reviewed: waiting for the callback.
async function answered(text, phone) {
  const o = await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: T.y1,
    text, caller_name: '刘阿姨', caller_phone: phone }), 201);
  await act(o.id, 'sign');
  await act(o.id, 'reply', { opinion: '已联系物业清理楼道，并安排每周检查。' });
  await act(o.id, 'approve_review');
  return o;
}

before(async () => {
  srv = await startServer();
  anon = srv.anonymous();
  T.sub = (await ok(srv.post('/api/v1/nodes', { level: 'subdistrict', name: '明水街道' }), 201)).id;
  T.com = (await ok(srv.post('/api/v1/nodes', { level: 'community', name: '龙泉社区', parent_id: T.sub }), 201)).id;
  T.y1 = (await ok(srv.post('/api/v1/nodes', { level: 'courtyard', name: '君临天下', parent_id: T.com, kind: 'residential' }), 201)).id;
  const made = cli(['user', 'add', 'aud', '--role', 'auditor', '--db', srv.db, '--key-file', srv.key]);
  assert.equal(made.status, 0, made.stderr);
  auditor = await srv.loginAs('aud', /password: (\S+)/.exec(made.stdout)[1], PW);
});

after(async () => { if (srv) await srv.stop(); });

test('the number and the last four digits show the stages and the reply, and nothing personal', async () => {
  const o = await answered('楼道堆满杂物', '13912345678');
  const st = await ok(anon.post('/api/v1/public/status', { number: o.number.toLowerCase(), phone_last4: '5678' }));
  assert.equal(st.number, o.number);
  assert.equal(st.state, 'reviewed');
  assert.equal(st.can_rate, true);
  assert.equal(st.reply, '已联系物业清理楼道，并安排每周检查。');
  assert.deepEqual(st.stages.map((x) => x.stage), ['received', 'accepted', 'dispatched', 'signed', 'replied']);
  const text = JSON.stringify(st);
  for (const secret of ['刘阿姨', '13912345678', '5678', '楼道堆满杂物', '君临天下']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  const wrong = await anon.post('/api/v1/public/status', { number: o.number, phone_last4: '1234' });
  const none = await anon.post('/api/v1/public/status', { number: 'YL2099010100001', phone_last4: '5678' });
  assert.equal(wrong.status, 404);
  assert.equal(none.status, 404);
  assert.equal(errorOf(wrong).message, errorOf(none).message, 'a wrong number and wrong digits answer alike');
  assert.equal(errorOf(await anon.post('/api/v1/public/status', { number: o.number, phone_last4: '56a8' })).field, 'phone_last4');
  assert.equal((await anon.post('/api/v1/public/status', { number: o.number })).status, 400);
  const audit = (await ok(auditor.get('/api/v1/audit?action=status%20lookup&limit=20'))).items;
  assert.ok(audit.some((x) => x.result === 'success'), JSON.stringify(audit.slice(0, 2)));
  assert.ok(audit.some((x) => x.result === 'failure'));
});

test('rating: satisfied closes the order; dissatisfied goes back to the reviewers; only when a rating is due', async () => {
  const good = await answered('路灯不亮', '13800001111');
  const r = await ok(anon.post('/api/v1/public/rating', { number: good.number, phone_last4: '1111', satisfaction: 'satisfied' }));
  assert.deepEqual([r.state, r.satisfaction, r.can_rate], ['closed', 'satisfied', false]);
  const seen = await ok(srv.get(`/api/v1/work-orders/${good.id}`));
  assert.equal(seen.events.at(-1).action, 'callback');
  assert.equal(seen.events.at(-1).opinion, '居民在查询页评价');
  assert.equal((await anon.post('/api/v1/public/rating', { number: good.number, phone_last4: '1111', satisfaction: 'satisfied' })).status, 409);
  const bad = await answered('噪音扰民', '13800002222');
  const d = await ok(anon.post('/api/v1/public/rating', { number: bad.number, phone_last4: '2222', satisfaction: 'dissatisfied' }));
  assert.equal(d.state, 'dissatisfied');
  const mine = await ok(srv.get('/api/v1/work-orders?state=dissatisfied'));
  assert.ok(mine.items.some((x) => x.id === bad.id), 'the reviewers see it to redo or close');
  assert.equal(errorOf(await anon.post('/api/v1/public/rating', { number: bad.number, phone_last4: '2222', satisfaction: 'great' })).field, 'satisfaction');
  assert.ok((await ok(auditor.get('/api/v1/audit?action=rating&limit=20'))).items.some((x) => x.result === 'success'));
});

test('wrong tries are limited: 429 with Retry-After, even for the right pair afterwards', async () => {
  const o = await answered('井盖松动', '13800003333');
  // This address already tried two wrong pairs above: five in all, then no more.
  let tries = 0;
  while ((await anon.post('/api/v1/public/status', { number: o.number, phone_last4: `000${tries}` })).status === 404) tries++;
  assert.equal(tries, 3);
  const stop = await anon.post('/api/v1/public/status', { number: o.number, phone_last4: '3333' });
  assert.equal(stop.status, 429);
  assert.ok(Number(stop.headers.get('retry-after')) > 0);
  assert.ok((await ok(auditor.get('/api/v1/audit?action=status%20lookup&limit=50'))).items.some((x) => x.result === 'denied'));
});
