// hotline_file.mjs - a made-up 12345 hotline export of n rows for the import benchmark (bench/import.mjs)
// and the import-job test (tests/api/import_job.test.mjs): the columns of DOMAIN.md, addresses on the tree
// that tree() builds, categories from ours and from a hotline tree of its own (mapped, not refused), dates
// in the past.  Deterministic: the same n gives the same file.
export const HEADER = '工单编号,受理时间,派单时间,来源渠道,诉求类型,诉求分类,紧急程度,诉求人,联系电话,是否保密,诉求地址,所属社区,诉求内容,办理时限';

const TYPES = ['咨询', '求助', '投诉', '举报', '建议'];
const CATEGORIES = ['城乡建设>物业管理', '市容环境>环境卫生', '公用设施>路灯', '交通出行>停车', '邻里纠纷>噪音扰民',
  '公用设施>供水排水', '城管执法>占道经营'];
export const COMMUNITIES = ['龙泉社区', '桃花山社区', '东关社区', '西关社区'];
export const COURTYARDS = ['君临天下小区', '泉景花园', '职工宿舍', '幸福小区', '明珠苑'];

/** Builds the tree the file's addresses name: a subdistrict, 4 communities of 5 courtyards. */
export async function tree(post) {
  const sub = await post('/api/v1/nodes', { level: 'subdistrict', name: '明水街道' });
  for (const [ci, cname] of COMMUNITIES.entries()) {
    const com = await post('/api/v1/nodes', { level: 'community', name: cname, parent_id: sub.id, code: `c${ci}` });
    for (const [yi, yname] of COURTYARDS.entries()) {
      await post('/api/v1/nodes', { level: 'courtyard', name: yname, parent_id: com.id, kind: 'residential', code: `c${ci}y${yi}` });
    }
  }
  return sub;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** The file as a string (UTF-8 with a BOM, CRLF). */
export function hotlineFile(n, { prefix = 'JN-B' } = {}) {
  const out = [`\ufeff${HEADER}`];
  const start = Date.UTC(2025, 0, 2, 1, 0, 0);	// 2025-01-02 09:00 in Shanghai
  for (let i = 0; i < n; i++) {
    const at = new Date(start + i * 97000);	// about 890 a day
    const d = new Date(at.getTime() + 8 * 3600000);
    const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const c = COMMUNITIES[i % COMMUNITIES.length];
    const y = COURTYARDS[(i >> 2) % COURTYARDS.length];
    out.push([`${prefix}-${pad(i, 7)}`, local, '', '电话', TYPES[i % TYPES.length], CATEGORIES[i % CATEGORIES.length],
      i % 10 ? '一般' : '紧急', '张女士', `138${pad(i % 100000000, 8)}`, i % 17 ? '否' : '是',
      `明水街道${c}${y}${1 + (i % 9)}号楼`, c, `第${i}件诉求：楼道灯坏了，晚上看不见台阶`, String(5 + (i % 3))].join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}
