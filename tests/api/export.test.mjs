// export.test.mjs - work orders out for reports: GET /api/v1/export/work-orders.csv and .xlsx, filtered as
// the list is and cut to the exporter's scope, page after page (1,200 orders), phones masked unless
// unmasked=true with workorder.reveal, confidential callers left out for those who may not see them, the
// events on request, every export audited; the XLSX read back with openpyxl (Debian's python3-openpyxl)
// and compared with the CSV, and its report layout checked (title, period, frozen header, formats).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, cli, expectStatus as ok, realClockEnv } from './harness.mjs';
import { tree, hotlineFile } from '../../bench/hotline_file.mjs';

const INIT_PW = 'Initial-Pass-2026!';
const PW = 'Yuanluo-Test-2026!';
const PY = '/usr/bin/python3';
let srv;
let scratch;
let auditor;
const U = {};
let com0;
let courtyard;


async function download(client, path) {
  const res = await fetch(srv.base + path, { headers: { Cookie: client.session.cookie } });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8') };
}

// CSV text into rows of fields (quotes, doubled quotes, CRLF), the BOM dropped.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r') { /* CRLF */ } else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// The workbook as JSON: per sheet its rows (values as text; dates ISO), the frozen pane and formats.
function readXlsx(buf) {
  const file = join(scratch, `x${Date.now()}.xlsx`);
  writeFileSync(file, buf);
  const r = spawnSync(PY, ['-c', `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([None if c.value is None else (c.value.strftime('%Y-%m-%d %H:%M:%S') if isinstance(c.value, datetime.datetime) else c.value) for c in row])
    fmts = [c.number_format for c in ws[4]] if ws.max_row >= 4 else []
    out[ws.title] = {'rows': rows, 'freeze': ws.freeze_panes, 'formats': fmts, 'bold_header': bool(ws['A3'].font.bold),
                     'width_A': ws.column_dimensions['A'].width}
print(json.dumps(out, ensure_ascii=False))
`, file], { encoding: 'utf8', env: realClockEnv() });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'yuanluo-export-'));
  srv = await startServer({ args: ['--max-body', String(32 * 1024 * 1024)] });
  await tree(async (p, b) => ok(srv.post(p, b), 201));
  com0 = (await ok(srv.get('/api/v1/nodes?level=community&limit=1'))).items[0].id;
  courtyard = (await ok(srv.get(`/api/v1/nodes?level=courtyard&under=${com0}&limit=1`))).items[0].id;
  const r = await srv.req('POST', '/api/v1/import/hotline', hotlineFile(1200, { prefix: 'JN-X' }), { 'Content-Type': 'text/csv' });
  assert.equal(r.status, 200, r.text);
  await ok(srv.post('/api/v1/work-orders', { source: 'phone', type: 'complaint', category_id: 2, node_id: courtyard,
    text: '匿名反映, "带引号" 的内容', caller_name: '王先生', caller_phone: '13912345678', confidential: true }), 201);
  for (const [login, role] of [['desk', 'community_staff'], ['sec', 'courtyard_secretary']]) {
    await ok(srv.post('/api/v1/users', { login, role, password: INIT_PW, scope_node_id: role === 'courtyard_secretary' ? courtyard : com0 }), 201);
    U[login] = await srv.loginAs(login, INIT_PW, PW);
  }
  const made = cli(['user', 'add', 'aud', '--role', 'auditor', '--db', srv.db, '--key-file', srv.key]);
  assert.equal(made.status, 0, made.stderr);
  auditor = await srv.loginAs('aud', /password: (\S+)/.exec(made.stdout)[1], PW);
});

after(async () => {
  if (srv) await srv.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('CSV: every order the list finds, page after page; phones masked; a confidential caller kept; audited', async () => {
  const res = await download(srv, '/api/v1/export/work-orders.csv');
  assert.equal(res.status, 200, res.text.slice(0, 200));
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="work-orders-\d{8}\.csv"/);
  const rows = parseCsv(res.text);
  const head = rows[0];
  assert.deepEqual(head.slice(0, 5), ['工单编号', '地点编码', '热线编号', '来源', '诉求类型']);
  assert.equal(rows.length - 1, 1201, 'every order, past the 500 of a page');
  const col = (name) => head.indexOf(name);
  const phones = rows.slice(1).map((r) => r[col('联系电话')]);
  assert.ok(phones.every((p) => p === '' || /^\d{3}\*{4}\d{4}$/.test(p)), `masked: ${phones.slice(0, 3)}`);
  const secret = rows.find((r) => r[col('诉求内容')] === '匿名反映, "带引号" 的内容');
  assert.ok(secret, 'quotes and commas survive');
  assert.deepEqual([secret[col('诉求人')], secret[col('保密')], secret[col('来源')]], ['王先生', '是', '来电']);
  assert.match(rows[1][col('受理时间')], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const full = parseCsv((await download(srv, '/api/v1/export/work-orders.csv?unmasked=true&q=' + encodeURIComponent('匿名反映'))).text);
  assert.equal(full.length, 2);
  assert.equal(full[1][col('联系电话')], '13912345678');
  const audit = (await ok(auditor.get('/api/v1/audit?action=export&limit=20'))).items;
  assert.ok(audit.some((x) => /1201 rows/.test(x.detail || '')), JSON.stringify(audit.slice(0, 2)));
  assert.ok(audit.some((x) => /phones unmasked/.test(x.detail || '')));
});

test('filters and scope as the list: a community\'s staff export their community; no permission, no export', async () => {
  const mine = parseCsv((await download(U.desk, '/api/v1/export/work-orders.csv')).text);
  const listed = (await ok(U.desk.get('/api/v1/work-orders?limit=500'))).items.length;
  assert.ok(mine.length - 1 > 0 && mine.length - 1 < 1201, `${mine.length - 1} of 1201`);
  assert.ok(listed <= mine.length - 1);
  const place = mine[0].indexOf('地点');
  assert.ok(mine.slice(1).every((r) => r[place].includes('龙泉社区')), 'only the community\'s orders');
  const hot = parseCsv((await download(srv, '/api/v1/export/work-orders.csv?source=hotline&type=complaint')).text);
  assert.ok(hot.slice(1).every((r) => r[hot[0].indexOf('来源')] === '12345热线' && r[hot[0].indexOf('诉求类型')] === '投诉'));
  assert.equal(hot.length - 1, 240);
  assert.equal((await download(U.sec, '/api/v1/export/work-orders.csv')).status, 403);
  assert.equal((await download(srv, '/api/v1/export/work-orders.csv?state=nonsense')).status, 400);
  assert.equal((await download(srv, '/api/v1/export/work-orders.csv?unmasked=maybe')).status, 400);
});

test('XLSX: a report (title, period, frozen header, widths, formats) that reads back as the CSV', async () => {
  const q = '?source=hotline&type=complaint';
  const x = await download(srv, `/api/v1/export/work-orders.xlsx${q}&events=true`);
  assert.equal(x.status, 200, x.text.slice(0, 200));
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = readXlsx(x.buf);
  assert.deepEqual(Object.keys(wb), ['工单', '事件']);
  const sheet = wb['工单'];
  assert.equal(sheet.rows[0][0], '工单明细');
  assert.match(sheet.rows[1][0], /^范围：全部；期间：最早 至 今天；导出：admin，\d{4}-\d{2}-\d{2} \d{2}:\d{2}；联系电话已脱敏$/);
  assert.equal(sheet.freeze, 'A4');
  assert.equal(sheet.bold_header, true);
  assert.ok(sheet.width_A >= 17, `column A is ${sheet.width_A} wide`);
  const head = sheet.rows[2];
  const csv = parseCsv((await download(srv, `/api/v1/export/work-orders.csv${q}`)).text);
  assert.deepEqual(head, csv[0]);
  assert.equal(sheet.rows.length - 3, csv.length - 1);
  const at = head.indexOf('受理时间');
  const returns = head.indexOf('退单次数');
  assert.equal(sheet.formats[at], 'yyyy-mm-dd hh:mm');
  assert.equal(sheet.formats[returns], '#,##0');
  for (let i = 1; i < csv.length; i++) {
    const xr = sheet.rows[i + 2];
    const cr = csv[i];
    for (let c = 0; c < head.length; c++) {
      const want = cr[c];
      const got = xr[c] === null ? '' : String(xr[c]);
      if (c === at || head[c].endsWith('时间') || head[c] === '办理时限') {
        // A minute's precision on the sheet (Excel days), seconds in the CSV.
        assert.equal(got.slice(0, 16), want.slice(0, 16), `row ${i} ${head[c]}`);
      } else {
        assert.equal(got, want, `row ${i} ${head[c]}`);
      }
    }
  }
  const events = wb['事件'];
  assert.deepEqual(events.rows[2].slice(0, 3), ['工单编号', '时间', '操作']);
  assert.ok(events.rows.length - 3 >= 2 * 240, 'each order\'s create and dispatch, at least');
  const ev = parseCsv((await download(srv, `/api/v1/export/work-orders.csv${q}&events=true`)).text);
  assert.equal(ev.length - 1, events.rows.length - 3, 'the CSV of events has the same rows');
});

test('figures: the units side by side with their rates, the months and the categories, as CSV and XLSX', async () => {
  const csv = parseCsv((await download(srv, '/api/v1/export/stats.csv?from=2025-01-01&to=2026-12-31')).text);
  assert.deepEqual(csv[0].slice(0, 5), ['单位', '编码', '层级', '受理量', '办结量']);
  const total = csv.find((r) => r[0] === '合计');
  assert.ok(total, 'a total row');
  const stats = await ok(srv.get('/api/v1/stats?from=2025-01-01&to=2026-12-31'));
  assert.equal(Number(total[3]), stats.counts.received);
  const months = parseCsv((await download(srv, '/api/v1/export/stats.csv?from=2025-01-01&to=2025-12-31&table=months')).text);
  assert.deepEqual(months[0], ['月份', '受理量', '其中12345热线']);
  assert.equal(months.length - 1, 12);
  assert.equal(months.slice(1).reduce((n, r) => n + Number(r[1]), 0), 1200, 'the hotline file\'s 1,200 orders are of 2025');
  const wb = readXlsx((await download(srv, '/api/v1/export/stats.xlsx?from=2025-01-01&to=2025-12-31')).buf);
  assert.deepEqual(Object.keys(wb), ['单位排名', '月度受理量', '诉求分类']);
  assert.equal(wb['单位排名'].rows[0][0], '工单办理情况统计');
  assert.match(wb['单位排名'].rows[1][0], /^范围：全部；期间：2025-01-01 至 2025-12-31；导出：admin/);
  const rate = wb['单位排名'].rows[2].indexOf('办结率');
  assert.equal(wb['单位排名'].formats[rate], '0.0%');
  assert.equal(wb['月度受理量'].rows.length - 3, 12);
  assert.equal((await download(srv, '/api/v1/export/stats.csv?table=pie')).status, 400);
  assert.equal((await download(U.sec, '/api/v1/export/stats.xlsx')).status, 403);
  const mine = parseCsv((await download(U.desk, '/api/v1/export/stats.csv?from=2025-01-01&to=2025-12-31')).text);
  assert.ok(mine.slice(1).every((r) => r[2] === '院落' || r[0] === '合计' || r[0] === '（本级直接受理）'), 'the community\'s courtyards');
});
