// economy.js - 经济月报: one month's economy for the enterprises under a node (GET /economy/report): output
// and investment with 环比 and 同比, the three largest against all the others, the largest contributors and
// the fastest growers, new above-scale enterprises, problems raised and closed, and the month's service
// activity.  Month and node live in the address (#/economy?month=2025-11&node=7) so a report can be
// bookmarked and printed (A4, the print stylesheet).

import { h, replace } from '../dom.js';
import { t, today } from '../i18n.js';
import { get, getNode } from '../api.js';
import { navigate } from '../router.js';
import { scopeId } from '../session.js';
import { pageTitle, section, dl, field, loadInto, emptyState } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { placeName } from '../format.js';

const MEASURES = ['output', 'investment', 'sales', 'taxes', 'energy'];
const pct = (g) => (g === null || g === undefined ? t('common.none') : `${g.startsWith('-') ? '' : '+'}${g}%`);

function lastMonth() {
  const [y, m] = today().split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export async function render({ outlet, query, signal }) {
  const month = /^\d{4}-\d{2}$/.test(query.month || '') ? query.month : lastMonth();
  const nodeId = /^\d+$/.test(query.node || '') ? Number(query.node) : scopeId() || null;
  const node = nodeId ? await getNode(nodeId).catch(() => null) : null;
  const title = t('economy.title');
  const body = h('div.economy');
  replace(outlet, pageTitle(title), h('p.page__intro', t('economy.intro')), controls(month, node), body);
  if (!nodeId) {
    replace(body, emptyState(t('economy.chooseNode')));
    return title;
  }
  loadInto(body, () => get('/economy/report', { month, node: nodeId }, signal), (r) => report(r, node));
  return title;
}

function controls(month, node) {
  const m = field({ name: 'month', label: t('economy.month'), type: 'month', value: month, optionalMark: false,
    attrs: { max: today().slice(0, 7) } });
  const where = nodePicker({ name: 'node', label: t('economy.node'), levels: ['subdistrict', 'community'], value: node, optionalMark: false });
  const el = h('form.filters.no-print', { 'aria-label': t('economy.controls') },
    h('div.filters__grid', m.el, where.el),
    h('div.form__buttons',
      h('button.btn', { type: 'submit' }, t('economy.show')),
      h('button.btn.btn--secondary', { type: 'button', onclick: () => window.print() }, t('economy.print'))));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/economy', { month: m.getValue(), node: where.getValue() });
  });
  return el;
}

function report(r, node) {
  const head = h('p.economy__heading', t('economy.heading', { place: node ? placeName(node) : String(r.node_id), month: r.month }));
  if (!r.reporting) return h('div', head, emptyState(t('economy.noFigures', { month: r.month })));
  return h('div', head, totals(r), split(r), rows(t('economy.contributors'), r.contributors, 'increment'),
    rows(t('economy.growers'), r.growers, 'yoy'), activity(r));
}

function totals(r) {
  const s = section(t('economy.totals'), { id: 'totals' });
  const cols = ['economy.col.measure', 'economy.col.value', 'economy.col.prev', 'economy.col.mom', 'economy.col.lastYear', 'economy.col.yoy'];
  s.body.appendChild(h('p.hint', t('economy.unit', { n: r.reporting })));
  s.body.appendChild(h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', t('economy.totals')),
    h('thead', h('tr', cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', MEASURES.map((m) => {
      const x = r.totals[m];
      const cells = [t(`economy.measure.${m}`), x.value ?? t('common.none'), x.prev ?? t('common.none'), pct(x.mom), x.last_year ?? t('common.none'), pct(x.yoy)];
      return h('tr', cells.map((c, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, 'data-label': t(cols[i]) }, h('div.cell', c))));
    })))));
  return s.el;
}

function split(r) {
  const s = section(t('economy.split'), { id: 'split' });
  const o = r.output_split;
  s.body.appendChild(dl([
    [t('economy.leaders'), o.leaders.map((x) => x.name).join('、')],
    [t('economy.leadersOutput'), t('economy.valueAndIncrement', { value: o.leaders_output, increment: o.leaders_increment })],
    [t('economy.restOutput'), t('economy.valueAndIncrement', { value: o.rest_output, increment: o.rest_increment })],
  ]));
  return s.el;
}

function rows(title, items, measure) {
  const s = section(title);
  if (!items.length) {
    s.body.appendChild(emptyState(t('economy.none')));
    return s.el;
  }
  s.body.appendChild(h('ol.status-history', items.map((x) => h('li',
    h('a', { href: `#/enterprises/${x.enterprise_id}` }, x.name), ' · ',
    measure === 'increment' ? t('economy.increment', { value: x.increment }) : t('economy.yoy', { value: pct(x.yoy) })))));
  return s.el;
}

function activity(r) {
  const s = section(t('economy.activity'), { id: 'activity' });
  s.body.appendChild(dl([
    [t('economy.newAboveScale'), String(r.new_above_scale)],
    [t('economy.problemsRaised'), String(r.problems.raised)],
    [t('economy.problemsClosed'), String(r.problems.closed)],
    [t('economy.visits'), String(r.service.visits)],
    [t('economy.events'), String(r.service.events)],
    [t('economy.copies'), String(r.service.handout_copies)],
  ]));
  return s.el;
}
