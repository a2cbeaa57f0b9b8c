// councils_demo.test.mjs - the demo's councils, boards and mediation (`yuanluo demo`, src/demo/demo_councils.c):
// the 君临天下小区 council has two years of monthly meetings with proposals, results and resolutions (the
// last ones still open, two turned into work orders linked back), the named courtyards' boards show their
// notices to anyone, and the year's disputes across Mingshui were mostly settled in the courtyard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
let yard;
let council;

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.body;
}

before(async () => {
  // The whole demo: with --no-orders (the tree only) no resolution becomes a work order.
  srv = await startServer({ demo: true });
  const nodes = await ok(srv.get(`/api/v1/nodes?q=${encodeURIComponent('君临天下小区')}&level=courtyard`));
  yard = nodes.items.find((n) => n.name === '君临天下小区');
  const list = await ok(srv.get(`/api/v1/councils?under=${yard.id}`));
  assert.equal(list.total, 1);
  council = list.items[0];
});

after(async () => { if (srv) await srv.stop(); });

test('the 君临天下 council: two years of meetings, each closed with its minutes, most with the quorum', async () => {
  assert.equal(council.name, '君临天下小区议事会');
  assert.equal(council.members, 10);
  const meetings = (await ok(srv.get(`/api/v1/councils/${council.id}/meetings`))).items;
  assert.ok(meetings.length >= 22 && meetings.length <= 26, `${meetings.length} meetings`);
  assert.ok(meetings.every((m) => m.status === 'closed' && m.minutes));
  const quorate = meetings.filter((m) => m.quorum.met).length;
  assert.ok(quorate > meetings.length * 0.8 && quorate < meetings.length, `${quorate} of ${meetings.length} with the quorum`);
});

test('proposals have results with counts; passed ones have resolutions, two of them work orders linked back', async () => {
  const props = (await ok(srv.get(`/api/v1/councils/${council.id}/proposals`))).items;
  assert.ok(props.length > 24);
  for (const p of props) {
    assert.ok(['passed', 'rejected', 'no_quorum'].includes(p.status), p.status);
    assert.ok(p.result.yes + p.result.no + p.result.abstain <= p.result.eligible);
  }
  const passed = props.filter((p) => p.status === 'passed');
  assert.ok(passed.length > props.length / 2 && passed.length < props.length);
  const resolutions = [];
  for (const p of passed) resolutions.push(...(await ok(srv.get(`/api/v1/council-proposals/${p.id}`))).resolutions);
  assert.equal(resolutions.length, passed.length);
  const open = resolutions.filter((r) => r.status === 'open');
  assert.ok(open.length >= 1 && open.length < resolutions.length / 3, `${open.length} open`);
  const orders = resolutions.filter((r) => r.work_order_id);
  assert.equal(orders.length, 2);
  for (const r of orders) {
    const back = await ok(srv.get(`/api/v1/council-resolutions?work_order_id=${r.work_order_id}`));
    assert.deepEqual(back.items.map((x) => x.id), [r.id]);
    const wo = await ok(srv.get(`/api/v1/work-orders/${r.work_order_id}`));
    assert.match(wo.text, /议事会决议/);
  }
});

test('the named courtyards\' boards: the convention, the roster and the results, no phone', async () => {
  const r = await srv.anonymous().get(`/api/v1/public/boards/${yard.id}`);
  assert.equal(r.status, 200);
  const cats = r.body.notices.map((n) => n.category).sort();
  assert.deepEqual(cats, ['convention', 'party_members', 'roster']);
  assert.equal(r.body.councils[0].members.length, 10);
  assert.ok(r.body.councils[0].results.length === 10);
  assert.doesNotMatch(r.text, /1[3-9]\d{9}|\d{3}\*{4}\d{4}/);
  const dorm = (await ok(srv.get(`/api/v1/nodes?q=${encodeURIComponent('桃花山职工宿舍')}&level=courtyard`))).items[0];
  const d = await srv.anonymous().get(`/api/v1/public/boards/${dorm.id}`);
  assert.equal(d.body.notices.length, 2);
});

test('disputes across Mingshui: most settled in the courtyard, nearly all within the community', async () => {
  const cases = await ok(srv.get('/api/v1/mediation-cases?limit=500'));
  assert.ok(cases.total > 60, `${cases.total} cases`);
  const settled = cases.items.filter((c) => c.status === 'settled');
  const yardSettled = settled.filter((c) => c.settled_level === 'courtyard').length;
  assert.ok(yardSettled > settled.length * 0.6, `${yardSettled} of ${settled.length} in the courtyard`);
  const within = settled.filter((c) => c.settled_level !== 'above').length;
  assert.ok(within > settled.length * 0.9);
  assert.ok(cases.items.some((c) => c.status === 'open'));
  assert.ok(!JSON.stringify(cases).includes('漏水'), 'no sensitive text in the list');
});

test('the tree only (yuanluo demo --no-orders): the council is there, and no work order at all', async () => {
  const bare = await startServer({ demo: true, demoArgs: ['--no-orders'] });
  try {
    assert.deepEqual((await bare.get('/api/v1/work-orders?limit=1')).body.items, []);
    const yards = await bare.get(`/api/v1/nodes?q=${encodeURIComponent('君临天下小区')}&level=courtyard`);
    assert.equal((await bare.get(`/api/v1/councils?under=${yards.body.items[0].id}`)).body.total, 1);
  } finally {
    await bare.stop();
  }
});

