// pressure.js - 态势: where the open work is, at a glance.  A treemap (Apache ECharts) of the organisation tree
// under a node, down to its buildings: each box sized by the open work under it and coloured by the share of it
// past its deadline (green none, red all), drilling down on a tap; for work orders or for any kind of time node
// (key projects' tasks, enterprises' problems, council resolutions, claims...).  Beside it, the same figures as a
// table of the level below, for reading without the picture (GET /insight/pressure).

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtPercent } from '../i18n.js';
import { get, list } from '../api.js';
import { navigate } from '../router.js';
import { scopeId } from '../session.js';
import { pageTitle, section, field, loadInto, emptyState } from '../ui.js';
import { chart } from '../components/chart.js';
import { levelLabel } from '../labels.js';

// The kinds a page offers: work orders and the time-node kinds of the engine (src/timenode/kinds.c).
const KINDS = ['work_order', 'project_task', 'project_problem', 'enterprise_problem', 'council_resolution',
  'cobuild_claim', 'cobuild_unclaimed'];

async function defaultNode(signal) {
  if (scopeId()) return scopeId();
  const roots = await list('/nodes', { roots: true, limit: 1 }, signal);
  return roots.items.length ? roots.items[0].id : null;
}

const share = (n) => (n.open ? n.overdue / n.open : 0);
const ownOverdue = (n) => n.overdue - n.children.reduce((a, c) => a + c.overdue, 0);

/** The tree as ECharts treemap data: value [open, overdue share]. */
function treeData(n) {
  return {
    name: n.name,
    value: [n.open, share(n)],
    children: n.children.length ? n.children.map(treeData) : undefined,
  };
}

export async function render({ outlet, query, signal }) {
  const title = t('pressure.title');
  const nodeId = /^\d+$/.test(query.node || '') ? Number(query.node) : await defaultNode(signal);
  const kind = KINDS.includes(query.kind) ? query.kind : 'work_order';
  if (!nodeId) {
    replace(outlet, pageTitle(title), emptyState(t('dash.noTree')));
    return title;
  }
  const kindField = field({
    name: 'kind', label: t('pressure.kind'), type: 'select', value: kind, optionalMark: false,
    options: KINDS.map((k) => ({ value: k, label: t(`pressure.kind.${k}`) })),
  });
  kindField.input.addEventListener('change', () => navigate('/pressure', { node: nodeId, kind: kindField.input.value }));
  const map = section(t('pressure.map'), { id: 'pressure-map' });
  const table = section(t('pressure.table'), { id: 'pressure-table' });
  replace(outlet, pageTitle(title), h('p.page__intro', t('pressure.intro')), h('div.no-print', kindField.el),
    h('div.dash', map.el, table.el));
  const data = get('/insight/pressure', { node: nodeId, kind }, signal);
  loadInto(map.body, () => data, (r) => treemap(r.tree));
  loadInto(table.body, () => data, (r) => levelTable(r.tree, kind));
  return title;
}

function treemap(tree) {
  if (!tree.open) return emptyState(t('pressure.none'));
  const box = h('div.chart.chart--treemap', { role: 'img', 'aria-label': t('pressure.aria', {
    name: tree.name, open: tree.open, overdue: tree.overdue,
  }) });
  queueMicrotask(() => chart(box, {
    tooltip: {
      renderMode: 'richText',
      formatter: (p) => t('pressure.tip', { name: p.name, open: fmtNumber(p.value[0]), percent: Math.round(p.value[1] * 100) }),
    },
    visualMap: {
      type: 'continuous', min: 0, max: 1, dimension: 1, show: false,
      inRange: { color: ['#1e6b34', '#c77700', '#b3261e'] },
    },
    series: [{
      type: 'treemap', name: tree.name, roam: false, nodeClick: 'zoomToNode', leafDepth: 1,
      visualDimension: 1, width: '100%', height: '85%', top: 0,
      breadcrumb: { show: true, bottom: 0 },
      label: { show: true, formatter: (p) => `${p.name}\n${p.value[0]}` },
      upperLabel: { show: true, height: 22 },
      levels: [{ itemStyle: { borderColor: '#fff', borderWidth: 2, gapWidth: 2 } }],
      data: tree.children.length ? tree.children.map(treeData) : [treeData(tree)],
    }],
  }));
  return box;
}

function levelTable(tree, kind) {
  const rows = tree.children.length ? tree.children : [tree];
  if (!tree.open) return emptyState(t('pressure.none'));
  return h('div.table-wrap', h('table.data-table',
    h('caption.sr-only', t('pressure.table')),
    h('thead', h('tr', [t('pressure.col.node'), t('pressure.col.open'), t('pressure.col.overdue'), t('pressure.col.share')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', rows.slice().sort((a, b) => b.open - a.open).map((n) => h('tr',
      h('th', { scope: 'row' }, n.children.length
        ? h('a', { href: `#/pressure?node=${n.id}&kind=${kind}` }, `${n.name}（${levelLabel(n.level)}）`)
        : `${n.name}（${levelLabel(n.level)}）`),
      h('td', fmtNumber(n.open)), h('td', fmtNumber(n.overdue)), h('td', fmtPercent(n.overdue, n.open)))),
    // What is placed at the node itself (above its courtyards or buildings), so the rows add up to the total.
    tree.children.length && tree.own_open ? h('tr', h('th', { scope: 'row' }, t('pressure.own', { name: tree.name })),
      h('td', fmtNumber(tree.own_open)), h('td', fmtNumber(ownOverdue(tree))), h('td', fmtPercent(ownOverdue(tree), tree.own_open)))
      : null),
    h('tfoot', h('tr', h('th', { scope: 'row' }, t('pressure.total', { name: tree.name })),
      h('td', fmtNumber(tree.open)), h('td', fmtNumber(tree.overdue)), h('td', fmtPercent(tree.overdue, tree.open))))));
}
