// coverage.js - 包干覆盖: does every building have a building head and every
// household a party-member central household looking after it?  Counts, shares
// and the lists of gaps for a chosen node (GET /coverage?node=ID).

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtPercent, today, fmtDate } from '../i18n.js';
import { get, getNode } from '../api.js';
import { navigate } from '../router.js';
import { levelLabel } from '../labels.js';
import { pageTitle, section, field, loadInto, emptyState, errorState, loadingState } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { tree } from '../components/tree.js';
import { nodesById, pathBelowCourtyard } from '../format.js';

const SCOPE_LEVELS = ['subdistrict', 'community', 'courtyard', 'building'];
const GAP_LIMIT = 200;

export async function render({ outlet, params, query, signal }) {
  const title = t('coverage.title');
  const id = params.id && /^\d+$/.test(params.id) ? Number(params.id) : null;
  replace(outlet, loadingState());
  let node = null;
  let nodeError = null;
  if (id) {
    try {
      node = await getNode(id);
    } catch (e) {
      nodeError = e;
    }
  }
  if (signal.aborted) return title;

  const on = /^\d{4}-\d{2}-\d{2}$/.test(query.on || '') ? query.on : '';
  const chooser = chooseForm(node, on);
  const parts = [pageTitle(node ? t('coverage.titleFor', { name: node.name }) : title), h('p.page__intro', t('coverage.intro')), chooser];
  if (nodeError) parts.push(errorState(nodeError));

  if (node) {
    const report = h('div.coverage');
    parts.push(report);
    loadInto(report, async () => {
      const r = await get('/coverage', { node: node.id, on, limit: GAP_LIMIT }, signal);
      // Households are named "101室" in every building: find where each one is.
      const hGaps = r.household_gaps || r.households_gaps || [];
      const places = await nodesById(hGaps.slice(0, 200).map((g) => g.node_id));
      return { r, places };
    }, ({ r, places }) => renderReport(node, r, places), { loadingText: t('coverage.loading') });
  } else if (!nodeError) {
    const s = section(t('coverage.pickFromTree'));
    s.body.appendChild(tree({ hrefFor: (n) => `#/coverage/${n.id}`, label: t('coverage.pickFromTree') }));
    parts.push(s.el);
  }
  replace(outlet, ...parts);
  return node ? t('coverage.titleFor', { name: node.name }) : title;
}

function chooseForm(node, on) {
  const picker = nodePicker({
    name: 'node', label: t('coverage.scope'), hint: t('coverage.scopeHint'), levels: SCOPE_LEVELS, value: node, optionalMark: false,
    onChange: (n) => { if (n && (!node || n.id !== node.id)) navigate(`/coverage/${n.id}`, { on }); },
  });
  const el = h('div.filters.no-print', picker.el);
  if (node) {
    const date = field({ name: 'on', label: t('coverage.on'), type: 'date', value: on || today(), hint: t('coverage.onHint'), optionalMark: false, attrs: { max: today() } });
    const dateForm = h('form.search-form', date.el, h('div.search-form__buttons', h('button.btn.btn--secondary', { type: 'submit' }, t('coverage.show'))));
    dateForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const d = date.getValue();
      navigate(`/coverage/${node.id}`, { on: d && d !== today() ? d : '' });
    });
    el.appendChild(dateForm);
  }
  if (node) {
    el.appendChild(h('p.action-bar',
      h('a.btn.btn--secondary', { href: `#/org/node/${node.id}` }, t('coverage.openNode', { name: node.name })),
      h('button.btn.btn--secondary', { type: 'button', onclick: () => window.print() }, t('action.print'))));
  }
  return el;
}

function meter(covered, total, label) {
  const bar = h('span.meter__fill');
  bar.style.width = total ? `${Math.round((covered / total) * 1000) / 10}%` : '0%';
  return h('div.meter', { role: 'img', 'aria-label': label }, bar);
}

function statCard({ title, total, missing, missingLabel, level }) {
  const covered = Math.max(0, total - missing);
  const share = fmtPercent(covered, total);
  return h(`div.stat-card${missing ? '.stat-card--gaps' : '.stat-card--full'}`,
    h('h3.stat-card__title', title),
    h('p.stat-card__big', total ? share : t('common.none')),
    total ? meter(covered, total, t('coverage.meter', { covered: fmtNumber(covered), total: fmtNumber(total), share })) : null,
    h('dl.stat-card__facts',
      h('div', h('dt', t('coverage.total', { level })), h('dd', fmtNumber(total))),
      h('div', h('dt', t('coverage.covered')), h('dd', fmtNumber(covered))),
      h('div.stat-card__missing', h('dt', missingLabel), h('dd', fmtNumber(missing)))));
}

function gapList(gaps, missing, emptyText, headingText, places) {
  const s = section(headingText, { level: 2 });
  if (!missing) {
    s.body.appendChild(emptyState(emptyText));
    return s.el;
  }
  // Grouped by courtyard, in the order the report gives them.
  const groups = new Map();
  for (const g of gaps) {
    const key = g.courtyard_id || 0;
    if (!groups.has(key)) groups.set(key, { id: g.courtyard_id, name: g.courtyard_name, items: [] });
    groups.get(key).items.push(g);
  }
  for (const grp of groups.values()) {
    s.body.appendChild(h('div.gap-group',
      h('h3.gap-group__title', grp.id ? h('a', { href: `#/org/node/${grp.id}` }, grp.name || String(grp.id)) : t('coverage.noCourtyard'),
        h('span.muted', ` ${t('coverage.groupCount', { n: fmtNumber(grp.items.length) })}`)),
      h('ul.gap-list', grp.items.map((g) => {
        const where = places && places.get(g.node_id) ? pathBelowCourtyard(places.get(g.node_id)) : '';
        return h('li', h('a', { href: `#/org/node/${g.node_id}` }, where || g.name || String(g.node_id)));
      }))));
  }
  if (gaps.length < missing) {
    s.body.appendChild(h('p.hint', t('coverage.truncated', { shown: fmtNumber(gaps.length), total: fmtNumber(missing) })));
  }
  return s.el;
}

function renderReport(node, r, places) {
  const asOf = r.on || today();
  const buildings = Number(r.buildings) || 0;
  const noHead = Number(r.buildings_without_head) || 0;
  const households = Number(r.households) || 0;
  const noCentral = Number(r.households_without_central) || 0;
  const bGaps = r.buildings_gaps || r.building_gaps || [];
  const hGaps = r.household_gaps || r.households_gaps || [];
  if (!buildings && !households) {
    return h('div', emptyState(t('coverage.nothing', { name: node.name, level: levelLabel(node.level) })));
  }
  return h('div',
    h('p.coverage__asof', t('coverage.asOf', { date: fmtDate(asOf) })),
    h('div.stat-cards',
      statCard({ title: t('coverage.buildingsTitle'), total: buildings, missing: noHead, missingLabel: t('coverage.buildingsMissing'), level: levelLabel('building') }),
      statCard({ title: t('coverage.householdsTitle'), total: households, missing: noCentral, missingLabel: t('coverage.householdsMissing'), level: levelLabel('household') })),
    h('div.sections',
      gapList(bGaps, noHead, t('coverage.buildingsAllCovered'), t('coverage.buildingsGaps', { n: fmtNumber(noHead) })),
      gapList(hGaps, noCentral, t('coverage.householdsAllCovered'), t('coverage.householdsGaps', { n: fmtNumber(noCentral) }), places)),
    h('p.hint', t('coverage.howTo')));
}

