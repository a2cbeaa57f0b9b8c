// orders.js - 工单: the work orders this user sees, with filters and full-text search
// (GET /work-orders; keyset pages: ?after= carries the server's "next" token).

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, getNode, apiUrl } from '../api.js';
import { navigate, href } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, field, disclosure, loadInto, emptyState } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { orderTable } from '../components/order-list.js';
import { STATES, OPEN_STATES, SOURCES, TYPES, stateLabel, sourceLabel, typeLabel } from '../wo.js';

const LIMIT = 30;
const KEYS = ['q', 'state', 'source', 'type', 'card', 'overdue', 'from', 'to', 'under', 'sort', 'created_by'];

export async function render({ outlet, query, signal }) {
  const title = t('orders.title');
  const filters = {};
  for (const k of KEYS) filters[k] = query[k] || '';
  let underNode = null;
  if (/^\d+$/.test(filters.under)) underNode = await getNode(Number(filters.under)).catch(() => null);

  const results = section(t('orders.results'), { id: 'results' });
  const newLink = can('workorder.create') ? h('a.btn.no-print', { href: '#/orders/new' }, t('nav.new')) : null;
  const params = { ...filters, limit: LIMIT, after: query.after || '' };
  if (params.state === 'open') params.state = OPEN_STATES.join(',');
  replace(outlet, h('div.page__head', pageTitle(title), newLink), buildFilters(filters, underNode), exportLinks(params), results.el);

  loadInto(results.body, () => get('/work-orders', params, signal), (page) => {
    if (!page.items.length) return emptyState(Object.values(filters).some(Boolean) ? t('orders.noneMatch') : t('orders.none'));
    const nav = h('nav.pager', { 'aria-label': t('pager.label') }, h('div.pager__links',
      query.after ? h('a.btn.btn--secondary', { href: href('/orders', filters) }, t('orders.first')) : null,
      page.next ? h('a.btn.btn--secondary', { href: href('/orders', { ...filters, after: page.next }), rel: 'next' }, t('pager.next')) : null));
    return h('div', h('p.results-count', { role: 'status' }, t('orders.shown', { n: page.items.length })),
      orderTable(page.items, { caption: t('orders.results') }), nav);
  });
  return title;
}

function buildFilters(filters, underNode) {
  const any = { value: '', label: t('persons.filter.any') };
  const q = field({ name: 'q', label: t('orders.filter.q'), type: 'search', value: filters.q, optionalMark: false, hint: t('orders.filter.qHint'), attrs: { autocomplete: 'off' } });
  const state = field({
    name: 'state', label: t('orders.filter.state'), type: 'select', value: filters.state, optionalMark: false,
    options: [any, { value: 'open', label: t('orders.filter.open') }, ...STATES.map((s) => ({ value: s, label: stateLabel(s) }))],
  });
  const source = field({
    name: 'source', label: t('wo.field.source'), type: 'select', value: filters.source, optionalMark: false,
    options: [any, ...SOURCES.map((s) => ({ value: s, label: sourceLabel(s) }))],
  });
  const type = field({
    name: 'type', label: t('wo.field.type'), type: 'select', value: filters.type, optionalMark: false,
    options: [any, ...TYPES.map((s) => ({ value: s, label: typeLabel(s) }))],
  });
  const card = field({
    name: 'card', label: t('orders.filter.card'), type: 'select', value: filters.card, optionalMark: false,
    options: [any, { value: 'any', label: t('orders.filter.cardAny') }, { value: 'yellow', label: t('wo.card.yellow') }, { value: 'red', label: t('wo.card.red') }],
  });
  const overdue = field({ name: 'overdue', label: t('orders.filter.overdue'), type: 'checkbox', value: filters.overdue === 'true' });
  const mine = field({ name: 'created_by', label: t('orders.filter.mine'), type: 'checkbox', value: filters.created_by === 'me' });
  const from = field({ name: 'from', label: t('orders.filter.from'), type: 'date', value: filters.from, optionalMark: false });
  const to = field({ name: 'to', label: t('orders.filter.to'), type: 'date', value: filters.to, optionalMark: false });
  const sort = field({
    name: 'sort', label: t('orders.filter.sort'), type: 'select', value: filters.sort, optionalMark: false,
    options: [{ value: '', label: t('orders.sort.time') }, { value: 'deadline', label: t('orders.sort.deadline') }],
  });
  const under = can('org.read')
    ? nodePicker({ name: 'under', label: t('orders.filter.under'), value: underNode, optionalMark: false })
    : null;
  const moreOpen = Boolean(filters.source || filters.type || filters.card || filters.overdue || filters.from || filters.to || filters.under || filters.sort || filters.created_by);
  const more = disclosure(t('orders.filter.more'),
    h('div.filters__grid', source.el, type.el, card.el, from.el, to.el, sort.el, under ? under.el : null, overdue.el, mine.el),
    { open: moreOpen, className: 'filters__more' });
  const el = h('form.filters.no-print', { role: 'search', 'aria-label': t('orders.filter.label') },
    h('div.filters__grid', q.el, state.el), more,
    h('div.form__buttons',
      h('button.btn', { type: 'submit' }, t('action.search')),
      Object.values(filters).some(Boolean) ? h('a.btn.btn--secondary', { href: '#/orders' }, t('action.clearFilters')) : null));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/orders', {
      q: q.getValue(), state: state.getValue(), source: source.getValue(), type: type.getValue(), card: card.getValue(),
      overdue: overdue.getValue() ? 'true' : '', created_by: mine.getValue() ? 'me' : '',
      from: from.getValue(), to: to.getValue(), sort: sort.getValue(), under: under ? under.getValue() : '',
    });
  });
  return el;
}

/** 导出: the orders these filters find, as an Excel report or CSV (the server masks phones and audits it). */
function exportLinks(params) {
  if (!can('workorder.export')) return null;
  const q = {};
  for (const [k, v] of Object.entries(params)) if (v && k !== 'limit' && k !== 'after' && k !== 'sort') q[k] = v;
  return h('p.export-links.no-print', t('orders.export'), ' ',
    h('a.btn.btn--secondary.btn--small', { href: apiUrl('/export/work-orders.xlsx', q), download: '' }, t('orders.exportXlsx')), ' ',
    h('a.btn.btn--secondary.btn--small', { href: apiUrl('/export/work-orders.csv', q), download: '' }, t('orders.exportCsv')));
}
