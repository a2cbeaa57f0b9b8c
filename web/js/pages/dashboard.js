// dashboard.js - 数据看板: the figures of a node's subtree for a period (GET /stats)
// and of its children side by side (GET /stats/ranking), definitions in
// docs/METRICS.md.  Monthly volume with the 12345 trend, the share settled at each
// level, the ranking table, overdue and carded counts, categories.  Every figure
// follows the period and node in the address (?node=&from=&to=); prints on paper.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtPercent, fmtDate, today } from '../i18n.js';
import { get, list, getNode } from '../api.js';
import { navigate, href } from '../router.js';
import { can, scopeId } from '../session.js';
import { pageTitle, section, field, loadInto, emptyState, dl } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { chart } from '../components/chart.js';
import { levelLabel } from '../labels.js';
import { OPEN_STATES } from '../wo.js';

const OVERDUE_MAX = 200;

const RATES = ['response', 'resolution', 'satisfaction', 'on_time_completion'];
const PALETTE = ['#1d4ed8', '#b3261e', '#1e6b34', '#c77700', '#6b21a8', '#0e7490', '#555b63'];

const isDay = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '');

/** The first day of the month n months before the month of day. */
function monthsBack(day, n) {
  const [y, m] = day.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 10);
}

async function defaultNode(signal) {
  if (scopeId()) return scopeId();
  const roots = await list('/nodes', { roots: true, limit: 1 }, signal);
  return roots.items.length ? roots.items[0].id : null;
}

export async function render({ outlet, query, signal }) {
  const title = t('dash.title');
  const end = isDay(query.to) ? query.to : today();
  const start = isDay(query.from) ? query.from : monthsBack(end, 11);
  const nodeId = /^\d+$/.test(query.node || '') ? Number(query.node) : await defaultNode(signal);
  if (!nodeId) {
    replace(outlet, pageTitle(title), emptyState(t('dash.noTree')));
    return title;
  }
  const node = can('org.read') ? await getNode(nodeId).catch(() => null) : null;
  const sort = RATES.includes(query.sort) ? query.sort : 'satisfaction';
  const params = { node: nodeId, from: start, to: end };

  const figures = section(t('dash.figures'), { id: 'figures' });
  const volume = section(t('dash.volume'), { id: 'volume' });
  const settled = section(t('dash.settled'), { id: 'settled' });
  const ranking = section(t('dash.ranking'), { id: 'ranking' });
  const cards = section(t('dash.cards'), { id: 'cards' });
  const cats = section(t('dash.categories'), { id: 'categories' });
  const scopeLine = h('p.dash__scope', t('dash.scope', {
    node: node ? node.name : `#${nodeId}`, from: fmtDate(start), to: fmtDate(end),
  }));
  replace(outlet, h('div.page__head', pageTitle(title),
    h('button.btn.btn--secondary.no-print', { type: 'button', onclick: () => window.print() }, t('action.print'))),
  scopeLine, buildFilters({ node, start, end, sort }),
  h('div.dash', figures.el, volume.el, settled.el, cards.el, cats.el, ranking.el));

  const statsP = get('/stats', params, signal);
  loadInto(figures.body, () => statsP, (s) => figureCards(s));
  loadInto(volume.body, () => statsP, (s) => volumeChart(s));
  loadInto(settled.body, () => statsP, (s) => settledChart(s));
  const cardBox = h('div');
  const overdueBox = h('div.overdue-now');
  cards.body.append(overdueBox, cardBox);
  loadInto(cardBox, () => statsP, (s) => cardFigures(s, params));
  loadInto(overdueBox, () => get('/work-orders', { overdue: 'true', state: OPEN_STATES.join(','), under: nodeId, limit: OVERDUE_MAX }, signal),
    (page) => overdueNow(page, params));
  loadInto(cats.body, () => statsP, (s) => categoryChart(s));
  loadInto(ranking.body, () => get('/stats/ranking', params, signal), (r) => rankingTable(r, { start, end, sort }));
  return title;
}

function buildFilters({ node, start, end, sort }) {
  const from = field({ name: 'from', label: t('dash.from'), type: 'date', value: start, required: true });
  const to = field({ name: 'to', label: t('dash.to'), type: 'date', value: end, required: true });
  const where = can('org.read')
    ? nodePicker({ name: 'node', label: t('dash.node'), value: node, optionalMark: false, levels: ['subdistrict', 'community', 'courtyard'] })
    : null;
  const presets = h('p.dash__presets', t('dash.presets'), ' ',
    [['dash.preset.month', 0], ['dash.preset.quarter', 2], ['dash.preset.year', 11]].map(([key, n]) => h('a.btn.btn--small.btn--secondary', {
      href: href('/dashboard', { node: node ? node.id : '', from: monthsBack(today(), n), to: today(), sort }),
    }, t(key))));
  const el = h('form.filters.no-print', { 'aria-label': t('dash.filterLabel') },
    h('div.filters__grid', from.el, to.el, where ? where.el : null), presets,
    h('div.form__buttons', h('button.btn', { type: 'submit' }, t('dash.apply'))));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = from.getValue();
    const tt = to.getValue();
    from.setError(isDay(f) ? null : t('form.dateInvalid'));
    to.setError(isDay(tt) ? (tt < f ? t('form.dateNotBefore', { date: fmtDate(f) }) : null) : t('form.dateInvalid'));
    if (!isDay(f) || !isDay(tt) || tt < f) return;
    navigate('/dashboard', { node: where && where.getValue() ? where.getValue() : (node ? node.id : ''), from: f, to: tt, sort });
  });
  return el;
}

const rateOf = (r) => (r && r.denominator ? fmtPercent(r.numerator, r.denominator) : '—');

function figureCards(s) {
  const c = s.counts;
  const items = [
    ['received', fmtNumber(c.received)],
    ['completed', fmtNumber(c.completed)],
    ['still_open', fmtNumber(c.still_open)],
    ['response', rateOf(s.rates.response)],
    ['resolution', rateOf(s.rates.resolution)],
    ['satisfaction', rateOf(s.rates.satisfaction)],
    ['on_time', rateOf(s.rates.on_time_completion)],
  ];
  return h('dl.figures', items.map(([k, v]) => h('div.figure', { dataset: { figure: k } },
    h('dt.figure__label', t(`dash.fig.${k}`)), h('dd.figure__value', v))));
}

function chartBox(kind, label) {
  return h(`div.chart.chart--${kind}`, { role: 'img', 'aria-label': label });
}

function volumeChart(s) {
  const months = s.by_month || [];
  if (!months.length || months.every((m) => !m.received)) return emptyState(t('dash.noOrders'));
  const box = chartBox('wide', t('dash.volume'));
  const local = months.map((m) => m.received - m.hotline);
  const hotline = months.map((m) => m.hotline);
  const wrap = h('div', box, dataTable([t('dash.month'), t('dash.local'), t('dash.hotline')],
    months.map((m, i) => [m.month, fmtNumber(local[i]), fmtNumber(hotline[i])]), t('dash.volume')));
  queueMicrotask(() => chart(box, {
    color: [PALETTE[0], PALETTE[1]],
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'category', data: months.map((m) => m.month.slice(2)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('dash.local'), type: 'bar', stack: 'all', data: local },
      { name: t('dash.hotline'), type: 'line', data: hotline, smooth: true, symbolSize: 6 },
    ],
  }));
  return wrap;
}

function settledChart(s) {
  const levels = ['courtyard', 'community', 'subdistrict'];
  const data = levels.map((lv) => ({ name: levelLabel(lv), value: s.counts[`settled_${lv}`] || 0 }));
  const total = data.reduce((n, d) => n + d.value, 0);
  if (!total) return emptyState(t('dash.noSettled'));
  const box = chartBox('pie', t('dash.settled'));
  queueMicrotask(() => chart(box, {
    color: [PALETTE[2], PALETTE[0], PALETTE[3]],
    legend: { bottom: 0 },
    tooltip: { trigger: 'item', renderMode: 'richText' },
    series: [{ type: 'pie', radius: ['38%', '72%'], label: { position: 'inside', formatter: (p) => `${Math.round(p.percent)}%`, color: '#fff', fontWeight: 'bold' }, data }],
  }));
  return h('div', box, dataTable([t('dash.level'), t('dash.count'), t('dash.share')],
    data.map((d) => [d.name, fmtNumber(d.value), fmtPercent(d.value, total)]), t('dash.settled')));
}

function cardFigures(s, params) {
  const c = s.counts;
  const link = (key, q) => h('a', { href: href('/orders', { from: params.from, to: params.to, under: params.node, ...q }) }, t(key));
  return h('div',
    dl([
      [t('dash.fig.yellow'), h('span.figure-inline', { dataset: { figure: 'yellow' } }, fmtNumber(c.yellow_cards))],
      [t('dash.fig.red'), h('span.figure-inline', { dataset: { figure: 'red' } }, fmtNumber(c.red_cards))],
      [t('dash.fig.escalated'), fmtNumber(c.escalated)],
      [t('dash.fig.supervised'), fmtNumber(c.supervised)],
      [t('dash.fig.returned'), fmtNumber(c.returned)],
      [t('dash.fig.extended'), fmtNumber(c.extended)],
    ]),
    h('p.no-print', link('dash.seeCarded', { card: 'any', state: 'open' })));
}

/** Open orders past their deadline right now (whatever the period): a count up to OVERDUE_MAX. */
function overdueNow(page, params) {
  const n = page.items.length;
  const text = page.next ? t('dash.overdueMany', { n: fmtNumber(OVERDUE_MAX) }) : fmtNumber(n);
  return h('p.overdue-now__line', t('dash.overdueNow'), ' ',
    h(`strong.figure-inline${n ? '.is-alert' : ''}`, { dataset: { figure: 'overdue_now' } }, text),
    n ? [' ', h('a.no-print', { href: href('/orders', { overdue: 'true', state: 'open', under: params.node, sort: 'deadline' }) }, t('dash.seeOverdue'))] : null);
}

function categoryChart(s) {
  const cats = (s.by_category || []).filter((x) => x.received).sort((a, b) => a.received - b.received);
  if (!cats.length) return emptyState(t('dash.noOrders'));
  const box = chartBox('bars', t('dash.categories'));
  queueMicrotask(() => chart(box, {
    color: [PALETTE[0]],
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: cats.map((x) => x.name) },
    series: [{ type: 'bar', data: cats.map((x) => x.received), label: { show: true, position: 'right' } }],
  }));
  const sum = cats.reduce((n, x) => n + x.received, 0);
  return h('div', box, dataTable([t('dash.category'), t('dash.count'), t('dash.share')],
    [...cats].reverse().map((x) => [x.name, fmtNumber(x.received), fmtPercent(x.received, sum)]), t('dash.categories')));
}

/** The chart's numbers as a table: for screen readers, for paper, for checking. */
function dataTable(head, rows, caption) {
  return h('details.disclosure.chart-data', h('summary.disclosure__summary', t('dash.showData')),
    h('div.table-wrap', h('table.data-table',
      h('caption.sr-only', caption),
      h('thead', h('tr', head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', rows.map((r) => h('tr', r.map((c, i) => h(i ? 'td' : 'th', { scope: i ? null : 'row' }, c))))))));
}

function rankingTable(r, { start, end, sort }) {
  const items = (r.items || []).slice();
  if (!items.length) return emptyState(t('dash.noChildren'));
  const val = (x) => {
    const q = x.rates && x.rates[sort];
    return q && q.denominator ? q.numerator / q.denominator : -1;
  };
  items.sort((a, b) => val(b) - val(a) || b.received - a.received);
  const sortLinks = h('p.dash__sort.no-print', t('dash.sortBy'), ' ', RATES.map((k) => h('a.btn.btn--small', {
    class: k === sort ? null : 'btn--secondary',
    href: href('/dashboard', { node: r.node.id, from: start, to: end, sort: k }),
    'aria-current': k === sort ? 'true' : null,
  }, t(`dash.rate.${k}`))));
  const head = [t('dash.rank'), levelLabel(items[0].level), t('dash.fig.received'), ...RATES.map((k) => t(`dash.rate.${k}`))];
  return h('div', sortLinks, h('div.table-wrap.table-wrap--scroll', { tabindex: '0', 'aria-label': t('dash.ranking') }, h('table.data-table.ranking',
    h('caption.sr-only', t('dash.ranking')),
    h('thead', h('tr', head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', items.map((x, i) => h('tr',
      h('td.num', String(i + 1)),
      h('th', { scope: 'row' }, h('a', { href: href('/dashboard', { node: x.node_id, from: start, to: end, sort }) }, x.name)),
      h('td.num', fmtNumber(x.received)),
      RATES.map((k) => h(`td.num${k === sort ? '.is-sorted' : ''}`, rateOf(x.rates[k])))))))));
}
