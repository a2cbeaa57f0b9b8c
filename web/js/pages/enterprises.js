// enterprises.js - 企业服务: the enterprise register with its filters (name or credit code, above scale,
// status, enterprises without a 帮包 leader or a service officer), and registering one.

import { h, replace } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { list, post } from '../api.js';
import { navigate, href } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, field, form, disclosure, loadInto, emptyState, pager, badge } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { nodesById, placeName } from '../format.js';

const LIMIT = 20;
export const SIZES = ['large', 'medium', 'small', 'micro'];
export const STATUSES = ['operating', 'suspended', 'closed', 'moved_out'];
const PLACE_LEVELS = ['subdistrict', 'community', 'courtyard', 'building'];

export function statusBadge(status) {
  return badge(t(`enterprise.status.${status}`), status === 'operating' ? 'ok' : 'warn');
}

export function aboveScaleBadge(e) {
  return e.above_scale ? badge(t('enterprise.aboveScaleSince', { month: e.above_scale_since }), 'level') : '';
}

export async function render({ outlet, query, signal }) {
  const title = t('enterprises.title');
  const filters = {
    q: query.q || '',
    above_scale: query.above_scale === 'true' || query.above_scale === 'false' ? query.above_scale : '',
    status: STATUSES.includes(query.status) ? query.status : '',
    without_cadre: query.without_cadre === 'leader' || query.without_cadre === 'officer' ? query.without_cadre : '',
  };
  const offset = Math.max(0, parseInt(query.offset, 10) || 0);
  const results = section(t('enterprises.results'), { id: 'results' });
  replace(outlet, pageTitle(title), h('p.page__intro', t('enterprises.intro')), filterForm(filters), results.el,
    can('enterprise.write') ? addForm() : null);

  loadInto(results.body, async () => {
    const page = await list('/enterprises', { ...filters, limit: LIMIT, offset }, signal);
    const places = await nodesById(page.items.map((e) => e.node_id));
    return { page, places };
  }, ({ page, places }) => {
    if (!page.items.length) return emptyState(Object.values(filters).some(Boolean) ? t('enterprises.noneMatch') : t('enterprises.none'));
    return h('div',
      h('p.results-count', { role: 'status' }, t('enterprises.count', { n: fmtNumber(page.total) })),
      table(page.items, places),
      pager({ total: page.total, limit: page.limit || LIMIT, offset: page.offset, hrefFor: (o) => href('/enterprises', { ...filters, offset: o }) }));
  });
  return title;
}

function filterForm(filters) {
  const any = { value: '', label: t('enterprises.filter.any') };
  const q = field({ name: 'q', label: t('enterprises.filter.q'), type: 'search', value: filters.q, optionalMark: false, attrs: { autocomplete: 'off' } });
  const above = field({
    name: 'above_scale', label: t('enterprises.filter.aboveScale'), type: 'select', value: filters.above_scale, optionalMark: false,
    options: [any, { value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }],
  });
  const status = field({
    name: 'status', label: t('enterprises.filter.status'), type: 'select', value: filters.status, optionalMark: false,
    options: [any, ...STATUSES.map((s) => ({ value: s, label: t(`enterprise.status.${s}`) }))],
  });
  const gap = field({
    name: 'without_cadre', label: t('enterprises.filter.withoutCadre'), type: 'select', value: filters.without_cadre, optionalMark: false,
    options: [any, { value: 'leader', label: t('enterprise.cadre.leader') }, { value: 'officer', label: t('enterprise.cadre.officer') }],
  });
  const el = h('form.filters', { role: 'search', 'aria-label': t('enterprises.filter.label') },
    h('div.filters__grid', q.el, above.el, status.el, gap.el),
    h('div.form__buttons',
      h('button.btn', { type: 'submit' }, t('action.search')),
      Object.values(filters).some(Boolean) ? h('a.btn.btn--secondary', { href: '#/enterprises' }, t('action.clearFilters')) : null));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/enterprises', { q: q.getValue(), above_scale: above.getValue(), status: status.getValue(), without_cadre: gap.getValue() });
  });
  return el;
}

function table(items, places) {
  const head = ['enterprises.col.name', 'enterprises.col.code', 'enterprises.col.industry', 'enterprises.col.size',
    'enterprises.col.scale', 'enterprises.col.status', 'enterprises.col.place'];
  return h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', t('enterprises.results')),
    h('thead', h('tr', head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', items.map((e) => {
      const place = places.get(e.node_id);
      const cells = [
        h('a', { href: `#/enterprises/${e.id}` }, e.name),
        h('span.code', e.credit_code),
        e.industry_name || e.industry_code || '',
        t(`enterprise.size.${e.size}`),
        aboveScaleBadge(e),
        statusBadge(e.status),
        place ? placeName(place) : '',
      ];
      return h('tr', cells.map((c, i) => {
        const empty = c === '' || c === null;
        return h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, 'data-label': t(head[i]), class: [empty ? 'is-empty' : '', i === 0 ? 'is-wide' : ''].join(' ').trim() || null },
          h('div.cell', empty ? h('span.muted', t('common.none')) : c));
      }));
    }))));
}

function addForm() {
  const code = field({ name: 'credit_code', label: t('enterprise.field.creditCode'), required: true, hint: t('enterprise.field.creditCodeHint'),
    attrs: { maxlength: 18, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' } });
  const name = field({ name: 'name', label: t('enterprise.field.name'), required: true, attrs: { maxlength: 100, autocomplete: 'off' } });
  const legal = field({ name: 'legal_rep', label: t('enterprise.field.legalRep'), attrs: { maxlength: 50, autocomplete: 'off' } });
  const industryCode = field({ name: 'industry_code', label: t('enterprise.field.industryCode'), hint: t('enterprise.field.industryCodeHint'),
    attrs: { maxlength: 5, autocomplete: 'off', spellcheck: 'false' } });
  const industryName = field({ name: 'industry_name', label: t('enterprise.field.industryName'), attrs: { maxlength: 100 } });
  const size = field({ name: 'size', label: t('enterprise.field.size'), type: 'select', value: 'small',
    options: SIZES.map((s) => ({ value: s, label: t(`enterprise.size.${s}`) })) });
  const place = nodePicker({ name: 'node_id', label: t('enterprise.field.place'), hint: t('enterprise.field.placeHint'), levels: PLACE_LEVELS, required: true });
  const address = field({ name: 'address', label: t('enterprise.field.address'), attrs: { maxlength: 200 } });
  const above = field({ name: 'above_scale', label: t('enterprise.field.aboveScale'), type: 'checkbox' });
  const since = field({ name: 'above_scale_since', label: t('enterprise.field.aboveScaleSince'), type: 'month', hint: t('enterprise.field.aboveScaleSinceHint') });
  const f = form({
    fields: [code, name, legal, industryCode, industryName, size, place, address, above, since],
    submitLabel: t('enterprises.add'),
    validate(v) {
      const p = {};
      if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v.credit_code.toUpperCase())) p.credit_code = t('apierr.credit_code');
      if (v.above_scale && !v.above_scale_since) p.above_scale_since = t('apierr.above_scale_since');
      return p;
    },
    async onSubmit(v) {
      const body = { credit_code: v.credit_code.toUpperCase(), name: v.name, size: v.size, node_id: Number(v.node_id) };
      if (v.legal_rep) body.legal_rep = v.legal_rep;
      if (v.industry_code) body.industry_code = v.industry_code.toUpperCase();
      if (v.industry_name) body.industry_name = v.industry_name;
      if (v.address) body.address = v.address;
      if (v.above_scale) {
        body.above_scale = true;
        body.above_scale_since = v.above_scale_since;
      }
      const e = await post('/enterprises', body);
      navigate(`/enterprises/${e.id}`);
    },
  });
  return disclosure(t('enterprises.addTitle'), f.el, { className: 'no-print' });
}
