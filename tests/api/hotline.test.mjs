// hotline.test.mjs - POST /api/v1/import/hotline (the 12345 centre's CSV: dry run, bad rows, where orders
// land, importing the same file twice), `yuanluo import hotline`, and photo uploads: POST /api/v1/uploads
// (multipart or a raw image; checked by content; 5 MiB each) and GET /api/v1/uploads/{id} (who may see it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, errorOf, cli, WEB_ROOT } from './harness.mjs';

let srv;
let uploadDir;
let scratch;
const T = {};	// the tree: ids by name
const U = {};	// logged-in clients
const PW = 'Yuanluo-Test-2026!';
const INIT_PW = 'Initial-Pass-2026!';

// A real 4x4 PNG and a real 4x4 JPEG (written by libpng and libjpeg).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFklEQVQImWM8wWDEwM8AQSwMNgxEcABVJAJwBuoSRwAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/'
  + '2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAEAAQDASIAAhEBAxEB/8QA'
  + 'HwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkK'
  + 'FhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG'
  + 'x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC'
  + 'AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOE'
  + 'hYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDsdP8ABei/'
  + 'ZV/0b9R/hRRRX5nPEVeZ+8/vZ7VTFV+Z++/vZ//Z', 'base64');
const MAX = 5 * 1024 * 1024;

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  return r.body;
}

async function fails(p, status, field) {
  const r = await p;
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  const e = errorOf(r);
  if (field !== undefined) assert.equal(e.field, field, `field: ${r.text}`);
  return e;
}

async function node(level, name, parent_id, extra = {}) {
  return (await ok(srv.post('/api/v1/nodes', { level, name, parent_id, ...extra }), 201)).id;
}

async function user(login, role, scope) {
  await ok(srv.post('/api/v1/users', { login, role, password: INIT_PW, scope_node_id: scope }), 201);
  return srv.loginAs(login, INIT_PW, PW);
}

// Sends a body of raw bytes (or FormData) with the client's session.
async function send(client, method, path, body, headers = {}) {
  const h = { Cookie: client.session.cookie, 'X-CSRF-Token': client.session.csrf, ...headers };
  const res = await fetch(srv.base + path, { method, headers: h, body });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  const json = (res.headers.get('content-type') || '').startsWith('application/json') ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, buf, text, body: json };
}

const csv = (client, text, query = '') => client.req('POST', `/api/v1/import/hotline${query}`, text,
  { 'Content-Type': 'text/csv; charset=utf-8' });

function form(...files) {
  const fd = new FormData();
  for (const [name, bytes, filename, type] of files) {
    fd.append(name, new Blob([bytes], { type: type || 'application/octet-stream' }), filename || 'photo');
  }
  return fd;
}

const upload = (client, ...files) => send(client, 'POST', '/api/v1/uploads', form(...files));

// The columns of the hotline's export (DOMAIN.md), in the centre's order.
const HEADER = '工单编号,受理时间,来源渠道,诉求类型,诉求分类,紧急程度,诉求人,联系电话,是否保密,诉求地址,所属社区,诉求内容,办理时限';
const lines = (...rows) => `\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`;
const FILE = lines(
  'JN12345-20221103-004512,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,张女士,13812345678,否,'
    + '明水街道龙泉社区君临天下小区3号楼2单元201室,龙泉社区,楼道灯坏了一个月没人修,5',
  'JN12345-20221103-004513,2022-11-03 10:20:00,微信,求助,公用设施>供电照明,紧急,李先生,0531-83212345,是,'
    + '龙泉大道88号,龙泉社区,路灯不亮,2022-11-10',
  'JN12345-20221104-000101,2022-11-04 08:00:00,网站,建议,市容环境>绿化养护,一般,,,否,济南市章丘区某路1号,,建议增加绿化,',
);

/*
 *   sub 明水街道
 *     com 龙泉社区:   y1 君临天下小区 > b3 3号楼 > u2 2单元 > h201 201室;  y2 泉景花园
 *     com2 桃花山社区: y3 桃花山职工宿舍
 */
before(async () => {
  uploadDir = mkdtempSync(join(tmpdir(), 'yuanluo-uploads-'));
  scratch = mkdtempSync(join(tmpdir(), 'yuanluo-hotline-'));
  srv = await startServer({ args: ['--upload-dir', uploadDir] });
  T.sub = await node('subdistrict', '明水街道');
  T.com = await node('community', '龙泉社区', T.sub);
  T.y1 = await node('courtyard', '君临天下小区', T.com, { kind: 'residential' });
  T.b3 = await node('building', '3号楼', T.y1);
  T.u2 = await node('unit', '2单元', T.b3);
  T.h201 = await node('household', '201室', T.u2);
  T.y2 = await node('courtyard', '泉景花园', T.com, { kind: 'residential' });
  T.com2 = await node('community', '桃花山社区', T.sub);
  T.y3 = await node('courtyard', '桃花山职工宿舍', T.com2, { kind: 'residential' });
  U.desk = await user('desk', 'community_staff', T.com);
  U.far = await user('far', 'community_staff', T.com2);
  U.grid = await user('grid', 'grid_member', T.com);
});

after(async () => {
  if (srv) await srv.stop();
  for (const d of [uploadDir, scratch]) if (d && existsSync(d)) rmSync(d, { recursive: true, force: true });
});

async function hotlineOrders(client = srv) {
  const { items } = await ok(client.get('/api/v1/work-orders?source=hotline&limit=500'));
  return items;
}

// ---- the hotline's CSV ----

test('a dry run says what the import would do and writes nothing', async () => {
  const r = await ok(csv(srv, FILE, '?dry_run=true'));
  assert.equal(r.dry_run, true);
  assert.equal(r.rows, 3);
  assert.equal(r.created, 3);
  assert.deepEqual(r.placed, { subdistrict: 1, community: 1, courtyard: 0, building: 0, unit: 0, household: 1 });
  assert.equal(r.waiting, 2);
  assert.equal(r.unmatched, 1);
  assert.equal((await hotlineOrders()).length, 0);
});

test('the import creates hotline orders where their addresses lead, and says where they landed', async () => {
  const r = await ok(csv(srv, FILE));
  assert.equal(r.dry_run, false);
  assert.equal(r.created, 3);
  assert.equal(r.unchanged, 0);
  assert.equal(r.placed.household, 1);
  assert.equal(r.placed.community, 1);
  assert.equal(r.placed.subdistrict, 1);
  const items = await hotlineOrders();
  assert.equal(items.length, 3);
  const byNo = Object.fromEntries(items.map((o) => [o.external_no, o]));
  const first = byNo['JN12345-20221103-004512'];
  assert.equal(first.source, 'hotline');
  assert.equal(first.type, 'complaint');
  assert.equal(first.node_id, T.h201);
  assert.equal(first.state, 'dispatched');
  assert.equal(first.handler_node_id, T.y1);
  assert.equal(first.received_at, '2022-11-03T09:12:45+08:00');
  assert.equal(first.deadline, '2022-11-10T23:59:59+08:00');
  assert.equal(first.caller.phone, '138****5678');
  const second = byNo['JN12345-20221103-004513'];
  assert.equal(second.node_id, T.com);
  assert.equal(second.state, 'accepted');		// waits at the community for a person to dispatch it
  assert.equal(second.urgency, 'urgent');
  assert.equal(second.confidential, true);
  assert.equal(second.deadline, '2022-11-10T23:59:59+08:00');
  assert.equal(byNo['JN12345-20221104-000101'].node_id, T.sub);	// matched nothing: never dropped
  // The desk of 龙泉社区 sees the two in its community; the other community's desk sees none of them.
  assert.equal((await hotlineOrders(U.desk)).length, 2);
  assert.equal((await hotlineOrders(U.far)).length, 0);
});

test('importing the same file again creates no duplicates', async () => {
  const before_ = (await hotlineOrders()).length;
  const r = await ok(csv(srv, FILE));
  assert.equal(r.created, 0);
  assert.equal(r.unchanged, 3);
  assert.equal((await hotlineOrders()).length, before_);
});

test('every bad row is listed with its line, column and reason; nothing is written', async () => {
  const before_ = (await hotlineOrders()).length;
  const res = await csv(srv, lines(
    'JN-NEW-1,2022-11-05 09:00:00,电话,投诉,城乡建设>物业管理,一般,,,否,泉景花园,,x,5',
    'JN-BAD-1,2022-11-31 09:00:00,电话,投诉,城乡建设>物业管理,一般,,,否,泉景花园,,x,5',
    'JN-BAD-2,2022-11-05 09:00:00,电话,表扬,城乡建设>物业管理,一般,,,否,泉景花园,,x,5',
    // An unknown category is no problem (it maps: wo_config.test.mjs); a path with an empty part is.
    'JN-BAD-3,2022-11-05 09:00:00,电话,投诉,城乡建设>>物业管理,一般,,,否,泉景花园,,x,5',
    'JN-BAD-4,2022-11-05 09:00:00,电话,投诉,城乡建设>物业管理,很急,,,否,泉景花园,,x,5',
    'JN-BAD-5,2022-11-05 09:00:00,电话,投诉,城乡建设>物业管理,一般,,1234,否,泉景花园,,x,5',
    'JN-BAD-6,2022-11-05 09:00:00,电话,投诉,城乡建设>物业管理,一般,,,也许,泉景花园,,x,5',
    'JN-BAD-7,2022-11-05 09:00:00,电话,投诉,城乡建设>物业管理,一般,,,否,泉景花园,,x,下周',
  ));
  const e = await fails(Promise.resolve(res), 400, null);
  assert.equal(e.code, 'invalid_csv');
  const at = (line) => res.body.error.rows.filter((p) => p.line === line).map((p) => `${p.column}: ${p.reason}`);
  assert.equal(at(2).length, 0);
  assert.match(at(3)[0], /^受理时间: .*not a time/);
  assert.match(at(4)[0], /^诉求类型: .*咨询, 求助, 投诉, 举报 or 建议/);
  assert.match(at(5)[0], /^诉求分类: .*not a category path/);
  assert.match(at(6)[0], /^紧急程度: .*一般 or 紧急/);
  assert.match(at(7)[0], /^联系电话: /);
  assert.match(at(8)[0], /^是否保密: .*是 or 否/);
  assert.match(at(9)[0], /^办理时限: /);
  assert.equal((await hotlineOrders()).length, before_);	// not even the good row
});

test('unknown and missing columns are named; a file that is no CSV is refused', async () => {
  const res = await csv(srv, '工单编号,受理时间,诉求类型,诉求分类,诉求地址,备注\r\nJN-1,2022-11-05 09:00:00,投诉,城乡建设>物业管理,泉景花园,x\r\n');
  await fails(Promise.resolve(res), 400, null);
  const cols = res.body.error.rows.map((p) => `${p.line} ${p.column}`);
  assert.deepEqual(cols.sort(), ['1 备注', '1 诉求内容']);
  await fails(srv.post('/api/v1/import/hotline', { not: 'csv' }), 415);
});

test('importing hotline orders is the intake desk\'s right', async () => {
  await fails(csv(U.grid, FILE), 403);
  // A community's desk may import into its own community; an address elsewhere is outside it.
  const res = await csv(U.far, FILE, '?dry_run=true');
  await fails(Promise.resolve(res), 400, null);
  assert.ok(res.body.error.rows.some((p) => p.line === 2 && p.column === '诉求地址' && /outside/.test(p.reason)), res.text);
  const mine = await ok(csv(U.far, lines(
    'JN-FAR-1,2022-11-07 09:00:00,电话,投诉,城乡建设>物业管理,一般,,,否,桃花山职工宿舍2号楼,,x,5')));
  assert.equal(mine.created, 1);
  assert.equal(mine.placed.courtyard, 1);
});

test('yuanluo import hotline: a dry run, and a bad file reported as FILE:LINE: column COL', () => {
  const good = join(scratch, 'good.csv');
  const bad = join(scratch, 'bad.csv');
  writeFileSync(good, lines('JN-CLI-1,2022-11-08 09:00:00,电话,咨询,其他>其他事项,一般,,,否,君临天下小区3号楼,,问个事,'));
  writeFileSync(bad, lines('JN-CLI-2,昨天,电话,咨询,其他>其他事项,一般,,,否,君临天下小区3号楼,,问个事,'));
  const common = ['--db', srv.db, '--key-file', srv.key];
  let r = cli(['import', 'hotline', good, '--dry-run', ...common]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 row is valid \(dry run: would create 1/);
  assert.match(r.stdout, /placed: 1 at a building/);
  r = cli(['import', 'hotline', bad, ...common]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: column 受理时间: '昨天' is not a time`));
  r = cli(['import', 'hotline', good, ...common]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 created/);
  r = cli(['import', 'hotline', good, ...common]);
  assert.match(r.stdout, /0 created, 0 updated, 1 unchanged/);
});

// ---- photos ----

test('a real PNG and a real JPEG are accepted, and answered with id, sha256, mime and size', async () => {
  const r = await upload(U.desk, ['file', PNG, 'door.png', 'image/png'], ['file', JPEG, 'wall.jpg', 'image/jpeg']);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.length, 2);
  assert.deepEqual(Object.keys(r.body[0]).sort(), ['id', 'mime', 'sha256', 'size']);
  assert.equal(r.body[0].mime, 'image/png');
  assert.equal(r.body[0].size, PNG.length);
  assert.match(r.body[0].sha256, /^[0-9a-f]{64}$/);
  assert.equal(r.body[1].mime, 'image/jpeg');
  assert.equal(r.body[1].size, JPEG.length);
  // One image as the whole body.
  const raw = await send(U.desk, 'POST', '/api/v1/uploads', JPEG, { 'Content-Type': 'image/jpeg' });
  assert.equal(raw.status, 201, raw.text);
  assert.equal(raw.body[0].sha256, r.body[1].sha256);
});

test('the type is the content\'s: a text file named .png is refused, naming the field', async () => {
  const e = await fails(upload(U.desk, ['file', Buffer.from('just some text\n'), 'photo.png', 'image/png']), 400, 'file');
  assert.match(e.message, /not a JPEG or PNG/);
  // Declared as a raw PNG too.
  await fails(send(U.desk, 'POST', '/api/v1/uploads', Buffer.from('GIF89a....'), { 'Content-Type': 'image/png' }), 400, 'file');
  // A PNG cut short.
  await fails(upload(U.desk, ['file', PNG.subarray(0, PNG.length - 5), 'cut.png']), 400, 'file');
  // The second of two files is bad: neither is kept.
  const e2 = await fails(upload(U.desk, ['file', PNG, 'a.png'], ['file', Buffer.from('nope'), 'b.png']), 400, 'file');
  assert.match(e2.message, /file 2 of 2 \(b\.png\)/);
});

test('more than 5 MiB is refused; exactly 5 MiB fits in the default request limit', async () => {
  const sized = (n) => Buffer.concat([JPEG.subarray(0, JPEG.length - 2), Buffer.alloc(n - JPEG.length), Buffer.from([0xff, 0xd9])]);
  const over = await upload(U.desk, ['file', sized(MAX + 1), 'big.jpg', 'image/jpeg']);
  assert.equal(over.status, 413, over.text);
  assert.equal(errorOf(over).field, 'file');
  const rawOver = await send(U.desk, 'POST', '/api/v1/uploads', sized(MAX + 1), { 'Content-Type': 'image/jpeg' });
  assert.equal(rawOver.status, 413, rawOver.text);
  const fits = await upload(U.desk, ['file', sized(MAX), 'max.jpg', 'image/jpeg']);
  assert.equal(fits.status, 201, fits.text);
  assert.equal(fits.body[0].size, MAX);
});

test('the same content twice is the same sha256 and one file on disk', async () => {
  const a = await upload(U.desk, ['file', PNG, 'x.png']);
  const b = await upload(U.grid, ['file', PNG, 'y.png']);
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.body[0].id, b.body[0].id);
  assert.equal(a.body[0].sha256, b.body[0].sha256);
  const sha = a.body[0].sha256;
  assert.deepEqual(readdirSync(join(uploadDir, sha.slice(0, 2))), [sha]);
});

test('GET streams the image with its type to those who may see it; out of scope is 404', async () => {
  const up = await upload(U.desk, ['file', PNG, 'door.png']);
  const id = up.body[0].id;
  // The uploader sees it, bytes and type as uploaded.
  const mine = await send(U.desk, 'GET', `/api/v1/uploads/${id}`);
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('content-type'), 'image/png');
  assert.ok(mine.buf.equals(PNG));
  assert.equal(mine.headers.get('etag'), `"${up.body[0].sha256}"`);
  // Not attached to anything yet: nobody else.
  await fails(U.grid.get(`/api/v1/uploads/${id}`), 404);
  // On an order at 君临天下: the community's people see it, the other community's do not.
  const order = await ok(U.desk.post('/api/v1/work-orders', {
    source: 'phone', type: 'complaint', category: '城乡建设>物业管理', node_id: T.y1, text: '门坏了', photo_ids: [id],
  }), 201);
  assert.deepEqual(order.photo_ids, [id]);
  const seen = await send(U.grid, 'GET', `/api/v1/uploads/${id}`);
  assert.equal(seen.status, 200);
  assert.ok(seen.buf.equals(PNG));
  const e = await fails(U.far.get(`/api/v1/uploads/${id}`), 404);
  assert.equal(e.message, `upload ${id} does not exist`);
  await fails(U.far.get('/api/v1/uploads/999999'), 404);
  // The file lives outside the web root: no static URL reaches it.
  const sha = up.body[0].sha256;
  assert.equal((await srv.get(`/${sha.slice(0, 2)}/${sha}`)).status, 404);
});

test('what is no upload is refused: other types, bad multipart, other fields, no file', async () => {
  await fails(send(U.desk, 'POST', '/api/v1/uploads', '{}', { 'Content-Type': 'application/json' }), 415);
  await fails(send(U.desk, 'POST', '/api/v1/uploads', 'x', { 'Content-Type': 'multipart/form-data' }), 400);
  const boundary = 'ylTestBoundary';
  const mp = (body) => send(U.desk, 'POST', '/api/v1/uploads', body, { 'Content-Type': `multipart/form-data; boundary="${boundary}"` });
  await fails(mp(`--${boundary}--\r\n`), 400, 'file');
  await fails(mp(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\n\r\nx\r\n--${boundary}--\r\n`), 400, 'photo');
  const cut = await mp(`--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc`);
  assert.equal(cut.status, 400);
  assert.equal(errorOf(cut).code, 'invalid_multipart');
  // A quoted boundary and a well-formed body by hand.
  const good = await mp(Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]));
  assert.equal(good.status, 201, good.text);
  // Without a login, no upload at all.
  await fails(srv.anonymous().post('/api/v1/uploads', {}), 401);
});

test('the server refuses an upload folder inside the web root', () => {
  const r = cli(['serve', '--db', srv.db, '--key-file', srv.key, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT,
    '--upload-dir', join(WEB_ROOT, 'uploads')], { timeout: 20000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /inside the web root/);
  assert.equal(existsSync(join(WEB_ROOT, 'uploads')), false);
});
