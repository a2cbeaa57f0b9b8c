// csv.test.mjs - CSV import and export over HTTP (api_csv_routes):
// POST /api/v1/import/nodes|persons[?dry_run=true], GET /api/v1/export/nodes.csv|persons.csv.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorOf } from './harness.mjs';

let server;
let seq = 0;
const uniq = (p) => `${p}${process.pid}x${++seq}`;

// The headers that authenticate as the administrator: the harness's session when it logged in;
// otherwise, when the API asks for a login, log in here (changing the first password if needed).
async function authenticate(srv) {
  if (srv.session) return { Cookie: srv.session.cookie, 'X-CSRF-Token': srv.session.csrf };
  const probe = await srv.get('/api/v1/nodes?limit=1');
  if (probe.status !== 401) return {};
  const login = async (password) => {
    const res = await fetch(`${srv.base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password }),
    });
    assert.equal(res.status, 200, `login: ${res.status} ${await res.clone().text()}`);
    const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
    const me = await (await fetch(`${srv.base}/api/v1/auth/me`, { headers: { Cookie: cookie } })).json();
    return { cookie, me };
  };
  let { cookie, me } = await login(srv.adminPassword);
  if (me.must_change_password) {
    const next = `Csv-${process.pid}-Test!9`;
    const res = await fetch(`${srv.base}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ old_password: srv.adminPassword, password: next }),
    });
    assert.ok(res.status < 300, `password change: ${res.status}`);
    ({ cookie, me } = await login(next));
  }
  return { Cookie: cookie, 'X-CSRF-Token': me.csrf_token };
}

async function boot(options = {}) {
  const srv = await startServer(options);
  const auth = await authenticate(srv);
  srv.auth = auth;
  srv.csv = (path, text) => srv.req('POST', path, text, { 'Content-Type': 'text/csv', ...auth });
  srv.json = (method, path, body) => srv.req(method, path, body, auth);
  // The raw bytes of an export (fetch's text() would drop the BOM).
  srv.bytes = async (path) => {
    const res = await fetch(srv.base + path, { headers: auth });
    return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
  };
  return srv;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const lines = (...rows) => `${rows.join('\r\n')}\r\n`;
const HEADER = 'code,name,level,kind,parent_code,address,lat,lng';

async function nodeByCode(srv, code) {
  const res = await srv.json('GET', `/api/v1/nodes?q=${encodeURIComponent(code)}&limit=500`);
  assert.equal(res.status, 200, res.text);
  return res.body.items.find((n) => n.code === code) || null;
}

// A small tree under a fresh subdistrict code.
function tree(sd) {
  return lines(
    HEADER,
    `${sd},测试街道,subdistrict,,,济南市章丘区,36.71,117.54`,
    `${sd}-C1,龙泉社区,community,urban,${sd},,,`,
    `${sd}-Y1,君临天下小区,courtyard,residential,${sd}-C1,"龙泉大道 8 号, 东门",36.7012,117.5203`,
    `${sd}-Y1-B1,1号楼,building,,${sd}-Y1,,,`,
    `${sd}-Y1-B1-U1,1单元,unit,,${sd}-Y1-B1,,,`,
    `${sd}-Y1-B1-U1-101,101室,household,,${sd}-Y1-B1-U1,,,`,
    `${sd}-Y2,"公路局宿舍 ""老院""",courtyard,dormitory,${sd}-C1,,,`,
  );
}

before(async () => {
  server = await boot();
});

after(async () => {
  if (server) await server.stop();
});

describe('POST /api/v1/import/nodes', () => {
  test('a dry run reports every bad row with line, column and reason, and writes nothing', async () => {
    const sd = uniq('DR');
    const body = lines(
      HEADER,
      `${sd},测试街道,subdistrict,,,,,`,               // 2: good
      `${sd}-C1,,community,urban,${sd},,,`,            // 3: no name
      `${sd}-C2,二社区,township,,${sd},,,`,            // 4: bad level
      `${sd}-Y1,一号院,courtyard,residential,NOPE-${sd},,,`, // 5: unknown parent
      `${sd}-C3,三社区,community,urban,${sd},,north,117.5`, // 6: lat not a number
      `${sd}-C4,四社区,community,urban,${sd},,,`,      // 7: good
      `${sd}-C4,重复,community,urban,${sd},,,`,        // 8: duplicate code
      `${sd}-Y2,二号院,courtyard,,${sd}-C4,,,`,        // 9: a courtyard needs a kind
      `${sd}-B1,1号楼,building,,${sd},,,`,             // 10: a building under a subdistrict
    );
    const res = await server.csv('/api/v1/import/nodes?dry_run=true', body);
    assert.equal(res.status, 400, res.text);
    const e = errorOf(res);
    assert.equal(e.code, 'invalid_csv');
    assert.equal(e.field, null);
    assert.equal(e.message, '7 rows have errors; nothing was written');
    assert.equal(e.more, 0);
    const got = e.rows.map((r) => [r.line, r.column]);
    assert.deepEqual(got, [[3, 'name'], [4, 'level'], [5, 'parent_code'], [6, 'lat'], [8, 'code'], [9, 'kind'],
      [10, 'parent_code']]);
    for (const r of e.rows) {
      assert.deepEqual(Object.keys(r).sort(), ['column', 'line', 'reason']);
      assert.ok(r.reason.length > 5, r.reason);
    }
    assert.match(e.rows[1].reason, /'township' is not a level/);
    assert.match(e.rows[2].reason, /no node has the code NOPE-/);
    assert.match(e.rows[3].reason, /'north' is not a number/);
    assert.match(e.rows[4].reason, /already used on line 7/);
    assert.match(e.rows[6].reason, /a building cannot be placed under a subdistrict/);
    assert.equal(await nodeByCode(server, sd), null, 'the good rows of a bad dry run are not written');
  });

  test('a bad file writes nothing, not even its good rows', async () => {
    const sd = uniq('BAD');
    const body = lines(
      HEADER,
      `${sd},测试街道,subdistrict,,,,,`,
      `${sd}-C1,一社区,community,urban,${sd},,,`,
      `${sd}-C2,二社区,community,urban,${sd},,91,117`,
    );
    const res = await server.csv('/api/v1/import/nodes', body);
    assert.equal(res.status, 400, res.text);
    const e = errorOf(res);
    assert.equal(e.message, '1 row has errors; nothing was written');
    assert.deepEqual(e.rows.map((r) => [r.line, r.column]), [[4, 'lat']]);
    assert.equal(await nodeByCode(server, sd), null);
    assert.equal(await nodeByCode(server, `${sd}-C1`), null);
  });

  test('a good file imports, a dry run of it first writes nothing', async () => {
    const sd = uniq('GOOD');
    const dry = await server.csv('/api/v1/import/nodes?dry_run=true', tree(sd));
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual(dry.body, { dry_run: true, rows: 7, created: 7, updated: 0, unchanged: 0 });
    assert.equal(await nodeByCode(server, sd), null);

    const res = await server.csv('/api/v1/import/nodes', tree(sd));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { dry_run: false, rows: 7, created: 7, updated: 0, unchanged: 0 });
    const y1 = await nodeByCode(server, `${sd}-Y1`);
    assert.equal(y1.name, '君临天下小区');
    assert.equal(y1.kind, 'residential');
    assert.equal(y1.address, '龙泉大道 8 号, 东门');
    assert.equal(y1.lat, 36.7012);
    const c1 = await nodeByCode(server, `${sd}-C1`);
    assert.equal(y1.parent_id, c1.id);
    assert.equal((await nodeByCode(server, `${sd}-Y2`)).name, '公路局宿舍 "老院"');
    assert.equal((await nodeByCode(server, `${sd}-Y1-B1-U1-101`)).level, 'household');
  });

  test('re-importing the same file changes nothing; changed rows update through the domain', async () => {
    const sd = uniq('IDEM');
    assert.equal((await server.csv('/api/v1/import/nodes', tree(sd))).status, 200);
    const again = await server.csv('/api/v1/import/nodes', tree(sd));
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, { dry_run: false, rows: 7, created: 0, updated: 0, unchanged: 7 });
    const before = await nodeByCode(server, `${sd}-Y1-B1`);
    const hist0 = (await server.json('GET', `/api/v1/nodes/${before.id}/history`)).body.items.length;

    // Rename the building, move it to the dormitory, clear the courtyard's coordinates.
    const changed = tree(sd)
      .replace(`${sd}-Y1-B1,1号楼,building,,${sd}-Y1,,,`, `${sd}-Y1-B1,一号楼,building,,${sd}-Y2,,,`)
      .replace(',36.7012,117.5203', ',,');
    const res = await server.csv('/api/v1/import/nodes', changed);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { dry_run: false, rows: 7, created: 0, updated: 2, unchanged: 5 });
    const after = await nodeByCode(server, `${sd}-Y1-B1`);
    assert.equal(after.id, before.id);
    assert.equal(after.name, '一号楼');
    assert.equal(after.parent_id, (await nodeByCode(server, `${sd}-Y2`)).id);
    assert.equal((await nodeByCode(server, `${sd}-Y1`)).lat, null);
    const hist = (await server.json('GET', `/api/v1/nodes/${before.id}/history`)).body.items;
    assert.deepEqual(hist.slice(hist0).map((h) => h.action).sort(), ['move', 'rename']);
    // A level never changes.
    const bad = await server.csv('/api/v1/import/nodes', lines(HEADER, `${sd}-Y1-B1,一号楼,unit,,${sd}-Y2,,,`));
    assert.equal(bad.status, 400);
    assert.deepEqual(errorOf(bad).rows.map((r) => [r.line, r.column]), [[2, 'level']]);
  });

  test('Chinese headers and level and kind words, a BOM, LF line ends and columns in any order', async () => {
    const sd = uniq('ZH');
    const body = `\ufeff名称,编码,层级,上级编码,类型,地址,纬度,经度\n`
      + `中文街道,${sd},街道,,,,,\n`
      + `中文社区,${sd}-C,社区,${sd},城市社区,,,\n`
      + `宿舍院,${sd}-Y,院落,${sd}-C,宿舍,幸福路1号,36.7,117.5\n`
      + `\n`
      + `1号楼,${sd}-B,楼栋,${sd}-Y,,,,\n`;
    const res = await server.csv('/api/v1/import/nodes', body);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { dry_run: false, rows: 4, created: 4, updated: 0, unchanged: 0 });
    const y = await nodeByCode(server, `${sd}-Y`);
    assert.equal(y.kind, 'dormitory');
    assert.equal(y.level, 'courtyard');
    assert.equal((await nodeByCode(server, `${sd}-C`)).kind, 'urban');

    // A problem names the column as the file does; line numbers count the blank line.
    const bad = await server.csv('/api/v1/import/nodes',
      `名称,编码,层级,上级编码\n甲,${sd}-Z1,社区,${sd}\n\n乙,${sd}-Z2,小组,${sd}\n`);
    assert.equal(bad.status, 400);
    assert.deepEqual(errorOf(bad).rows.map((r) => [r.line, r.column]), [[4, '层级']]);
  });

  test('unknown and missing required columns are reported on line 1', async () => {
    const res = await server.csv('/api/v1/import/nodes', lines('code,nmae,level,colour', 'X1,a,subdistrict,red'));
    assert.equal(res.status, 400, res.text);
    const e = errorOf(res);
    assert.deepEqual(e.rows.map((r) => [r.line, r.column]), [[1, 'nmae'], [1, 'colour'], [1, 'name']]);
    assert.match(e.rows[0].reason, /unknown column: the columns are code, name, level/);
    assert.match(e.rows[2].reason, /required column name is missing/);
    assert.equal(e.message, '1 row has errors; nothing was written');
  });

  test('malformed quoting, bad UTF-8 and extra fields are reported by line, and parsing goes on', async () => {
    const sd = uniq('Q');
    const text = Buffer.concat([
      Buffer.from(`${HEADER}\n${sd},街道,subdistrict,,,,,\n`),
      Buffer.from(`${sd}-C1,"bad"quote,community,urban,${sd},,,\n`),          // 3
      Buffer.from(`${sd}-C2,"multi\nline",community,urban,${sd},,,\n`),        // 4-5: fine
      Buffer.from(`${sd}-C3,`), Buffer.from([0xc4, 0xe3]), Buffer.from(`,community,urban,${sd},,,\n`), // 6: GBK bytes
      Buffer.from(`${sd}-C4,四,community,urban,${sd},,,,extra\n`),             // 7
      Buffer.from(`${sd}-C5,,community,urban,${sd},,,\n`),                     // 8
    ]);
    const res = await fetch(`${server.base}/api/v1/import/nodes?dry_run=1`, {
      method: 'POST', headers: { 'Content-Type': 'text/csv; charset=utf-8', ...server.auth }, body: text,
    });
    assert.equal(res.status, 400);
    const e = (await res.json()).error;
    assert.deepEqual(e.rows.map((r) => [r.line, r.column]), [[3, null], [6, 'name'], [7, null], [8, 'name']]);
    assert.match(e.rows[0].reason, /malformed quoting/);
    assert.match(e.rows[1].reason, /not UTF-8/);
    assert.match(e.rows[2].reason, /9 fields but the header has 8/);
  });

  test('at most 1000 problems are listed, with the count of the rest', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 1500; i++) rows.push(`C${i},x,nolevel,,,,,`);
    const res = await server.csv('/api/v1/import/nodes?dry_run=true', lines(...rows));
    assert.equal(res.status, 400);
    const e = errorOf(res);
    assert.equal(e.rows.length, 1000);
    assert.equal(e.more, 500);
    assert.equal(e.rows[999].line, 1001);
    assert.match(e.message, /^1500 rows have errors; nothing was written/);
  });

  test('the body must be CSV and dry_run a boolean', async () => {
    const res = await server.req('POST', '/api/v1/import/nodes', HEADER, { 'Content-Type': 'application/json', ...server.auth });
    assert.equal(res.status, 415, res.text);
    const empty = await server.csv('/api/v1/import/nodes', '');
    assert.equal(empty.status, 400);
    assert.match(errorOf(empty).rows[0].reason, /the file is empty/);
    const dry = await server.csv('/api/v1/import/nodes?dry_run=maybe', lines(HEADER));
    assert.equal(dry.status, 400);
    assert.equal(errorOf(dry).field, 'dry_run');
  });
});

describe('GET /api/v1/export/nodes.csv', () => {
  test('UTF-8 with BOM, CRLF, RFC 4180 quoting, as an attachment; it imports back unchanged', async () => {
    const sd = uniq('EXP');
    assert.equal((await server.csv('/api/v1/import/nodes', tree(sd))).status, 200);
    const root = await nodeByCode(server, sd);
    const res = await server.bytes(`/api/v1/export/nodes.csv?under=${root.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="nodes-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.deepEqual(res.buf.subarray(0, 3), BOM);
    const text = res.buf.subarray(3).toString('utf8');
    assert.ok(text.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    const rows = text.split('\r\n');
    assert.equal(rows[0], HEADER);
    assert.equal(rows[1], `${sd},测试街道,subdistrict,,,济南市章丘区,36.71,117.54`);
    assert.ok(rows.includes(`${sd}-Y1,君临天下小区,courtyard,residential,${sd}-C1,"龙泉大道 8 号, 东门",36.7012,117.5203`));
    assert.ok(rows.includes(`${sd}-Y2,"公路局宿舍 ""老院""",courtyard,dormitory,${sd}-C1,,,`));
    assert.equal(rows.length, 9); // header, 7 nodes, the empty string after the last CRLF

    // By code and by level.
    const byCode = await server.bytes(`/api/v1/export/nodes.csv?under=${sd}&level=courtyard`);
    assert.equal(byCode.status, 200);
    const yards = byCode.buf.subarray(3).toString('utf8').trim().split('\r\n');
    assert.deepEqual(yards.slice(1).map((r) => r.split(',')[0]), [`${sd}-Y1`, `${sd}-Y2`]);

    // The export imports back: into the same database unchanged, into a fresh one identically.
    const back = await server.csv('/api/v1/import/nodes', res.buf.toString('utf8'));
    assert.deepEqual(back.body, { dry_run: false, rows: 7, created: 0, updated: 0, unchanged: 7 });
    const other = await boot();
    try {
      const imp = await other.csv('/api/v1/import/nodes', res.buf.toString('utf8'));
      assert.equal(imp.status, 200, imp.text);
      assert.equal(imp.body.created, 7);
      const again = await other.bytes(`/api/v1/export/nodes.csv?under=${sd}`);
      assert.deepEqual(again.buf, res.buf);
    } finally {
      await other.stop();
    }
  });

  test('formula-like text is guarded in the export and restored on import', async () => {
    const sd = uniq('F');
    const body = lines(HEADER, `${sd},"=HYPERLINK(""http://x"")",subdistrict,,,@home,,`);
    assert.equal((await server.csv('/api/v1/import/nodes', body)).status, 200);
    const res = await server.bytes(`/api/v1/export/nodes.csv?under=${sd}`);
    const row = res.buf.subarray(3).toString('utf8').split('\r\n')[1];
    assert.equal(row, `${sd},"'=HYPERLINK(""http://x"")",subdistrict,,,'@home,,`);
    const back = await server.csv('/api/v1/import/nodes', res.buf.toString('utf8'));
    assert.equal(back.body.unchanged, 1);
    assert.equal((await nodeByCode(server, sd)).name, '=HYPERLINK("http://x")');
  });

  test('bad filters are refused', async () => {
    assert.equal((await server.bytes('/api/v1/export/nodes.csv?under=NO-SUCH-CODE')).status, 400);
    assert.equal((await server.bytes('/api/v1/export/nodes.csv?under=999999999')).status, 400);
    assert.equal((await server.bytes('/api/v1/export/nodes.csv?level=galaxy')).status, 400);
  });
});

describe('persons', () => {
  const P_HEADER = 'name,phone,gender,birth_year,home_code,tags,party_member,member_org_code,member_org_name,'
    + 'living_org_code,registered_on';

  test('persons import with Chinese headers, dedupe by name and phone, and export round-trip', async () => {
    const sd = uniq('PER');
    assert.equal((await server.csv('/api/v1/import/nodes', tree(sd))).status, 200);
    const yard = await nodeByCode(server, `${sd}-Y1`);
    const org = await server.json('POST', '/api/v1/party-orgs', { node_id: yard.id });
    assert.equal(org.status, 201, org.text);
    const home = `${sd}-Y1-B1-U1-101`;
    const zh = `姓名,电话,性别,出生年份,住址编码,标签,党员,党组织关系所在支部编码,居住地支部编码,报到日期\r\n`
      + `王秀英,13800000001,女,1958,${home},高龄老人、独居老人,是,${sd}-Y1,${sd}-Y1,2022/3/5\r\n`
      + `李建国,13800000002,男,1956,${home},,否,,,\r\n`
      + `张明,,male,1990,${sd}-Y1,退役军人;志愿者,false,,,\r\n`;
    const res = await server.csv('/api/v1/import/persons', zh);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { dry_run: false, rows: 3, created: 3, updated: 0, unchanged: 0 });

    const again = await server.csv('/api/v1/import/persons', zh.split('\r\n').slice(0, 3).join('\r\n'));
    assert.deepEqual(again.body, { dry_run: false, rows: 2, created: 0, updated: 0, unchanged: 2 });
    const moved = await server.csv('/api/v1/import/persons',
      `姓名,电话,出生年份\r\n李建国,138 0000 0002,1957\r\n`);
    assert.deepEqual(moved.body, { dry_run: false, rows: 1, created: 0, updated: 1, unchanged: 0 });

    // Phones are masked in an export unless asked for in full (people.reveal; audited).
    const masked = await server.bytes(`/api/v1/export/persons.csv?under=${sd}`);
    assert.equal(masked.status, 200);
    const maskedText = masked.buf.subarray(3).toString('utf8');
    assert.ok(maskedText.includes('138****0001') && !maskedText.includes('13800000001'), maskedText);
    const exp = await server.bytes(`/api/v1/export/persons.csv?under=${sd}&unmasked=true`);
    assert.equal(exp.status, 200);
    assert.deepEqual(exp.buf.subarray(0, 3), BOM);
    const rows = exp.buf.subarray(3).toString('utf8').trim().split('\r\n');
    assert.equal(rows[0], P_HEADER);
    assert.deepEqual(rows.slice(1).sort(), [
      `张明,,male,1990,${sd}-Y1,志愿者;退役军人,false,,,,`,
      `李建国,13800000002,male,1957,${home},,false,,,,`,
      `王秀英,13800000001,female,1958,${home},独居老人;高龄老人,true,${sd}-Y1,,${sd}-Y1,2022-03-05`,
    ].sort());
    // Those with a phone are recognised: an export of them imports back unchanged.
    const withPhone = [rows[0], ...rows.slice(1).filter((r) => r.split(',')[1])].join('\r\n');
    const back = await server.csv('/api/v1/import/persons', withPhone);
    assert.deepEqual(back.body, { dry_run: false, rows: 2, created: 0, updated: 0, unchanged: 2 });
  });

  test('bad person rows are all reported and nothing is written', async () => {
    const sd = uniq('PB');
    assert.equal((await server.csv('/api/v1/import/nodes', tree(sd))).status, 200);
    const body = lines(P_HEADER,
      `好人${sd},13900000001,female,1960,${sd}-Y1,,false,,,,`,             // 2 good
      `,13900000002,female,1960,${sd}-Y1,,false,,,,`,                     // 3 no name
      `甲,12345,female,1960,${sd}-Y1,,false,,,,`,                          // 4 bad phone
      `乙,,robot,1960,${sd}-Y1,,false,,,,`,                                // 5 bad gender
      `丙,,male,1960,NO-${sd},,false,,,,`,                                 // 6 unknown home
      `丁,,male,1960,${sd}-Y1,,maybe,,,,`,                                 // 7 bad party_member
      `戊,,male,1960,${sd}-Y1,,true,${sd}-Y2,,,`,                          // 8 node without a party org
      `己,,male,1960,${sd}-Y1,,false,,某单位党支部,,`,                      // 9 only for party members
      `好人${sd},13900000001,female,1960,${sd}-Y1,,false,,,,`,             // 10 same person again
      `庚,,male,2999,${sd}-Y1,,false,,,,`);                                // 11 future year
    const res = await server.csv('/api/v1/import/persons', body);
    assert.equal(res.status, 400, res.text);
    const e = errorOf(res);
    assert.deepEqual(e.rows.map((r) => [r.line, r.column]), [
      [3, 'name'], [4, 'phone'], [5, 'gender'], [6, 'home_code'], [7, 'party_member'], [8, 'member_org_code'],
      [9, 'member_org_name'], [10, 'phone'], [11, 'birth_year']]);
    assert.equal(e.message, '9 rows have errors; nothing was written');
    const exp = await server.bytes(`/api/v1/export/persons.csv?under=${sd}`);
    assert.equal(exp.buf.subarray(3).toString('utf8'), `${P_HEADER}\r\n`);
  });
});

describe('scope', () => {
  test('a scoped user imports and exports only inside their subtree', async (t) => {
    if (!server.session || !server.loginAs) {
      t.skip('the API does not authenticate yet');
      return;
    }
    const a = uniq('SA');
    const b = uniq('SB');
    assert.equal((await server.csv('/api/v1/import/nodes', tree(a))).status, 200);
    assert.equal((await server.csv('/api/v1/import/nodes', tree(b))).status, 200);
    const rootA = await nodeByCode(server, a);
    const login = uniq('staff').toLowerCase();
    const user = await server.json('POST', '/api/v1/users', {
      login, role: 'subdistrict_staff', scope_node_id: rootA.id, password: 'Scoped-Pass-2026!',
    });
    assert.equal(user.status, 201, user.text);
    const staff = await server.loginAs(login, 'Scoped-Pass-2026!', 'Scoped-Pass-2027!');
    const auth = { Cookie: staff.session.cookie, 'X-CSRF-Token': staff.session.csrf };
    const csv = (path, text) => staff.req('POST', path, text, { 'Content-Type': 'text/csv', ...auth });

    const res = await csv('/api/v1/import/nodes?dry_run=true', lines(HEADER,
      `${a}-C9,新社区,community,urban,${a},,,`,
      `${b}-C9,外社区,community,urban,${b},,,`,
      `${uniq('ROOT')},新街道,subdistrict,,,,,`,
      `${b}-C1,改名,community,urban,${b},,,`));
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(errorOf(res).rows.map((r) => [r.line, r.column]), [[3, 'parent_code'], [4, 'parent_code'], [5, 'code']]);
    assert.match(errorOf(res).rows[0].reason, /outside the part of the tree you may change/);
    const ok = await csv('/api/v1/import/nodes', lines(HEADER, `${a}-C9,新社区,community,urban,${a},,,`));
    assert.equal(ok.status, 200, ok.text);

    const exp = await fetch(`${server.base}/api/v1/export/nodes.csv`, { headers: auth });
    assert.equal(exp.status, 200);
    const codes = (await exp.text()).trim().split('\r\n').slice(1).map((r) => r.split(',')[0]);
    assert.ok(codes.includes(a) && codes.includes(`${a}-C9`));
    assert.ok(!codes.some((c) => c.startsWith(b)));
    const other = await fetch(`${server.base}/api/v1/export/nodes.csv?under=${b}`, { headers: auth });
    assert.equal(other.status, 404);
  });
});

