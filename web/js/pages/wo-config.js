// wo-config.js - 工单配置: what the office itself sets for work orders — the hotline's category
// paths still waiting for a mapping (mapping one re-files its orders), the category tree (added,
// renamed, retired; never deleted), time limits per type and urgency, the sweep's escalation
// policy and the routing rules.  Deployment-wide (workorder.config, an administrator without a
// scope).  Every change says how many open orders it concerns; they keep what they have.

import { h, replace, append, announce } from '../dom.js';
import { t } from '../i18n.js';
import { list, get, post, patch, request } from '../api.js';
import { refresh } from '../router.js';
import { pageTitle, section, field, form, disclosure, badge, emptyState, refreshAndFocus } from '../ui.js';
import { TYPES, URGENCIES, HANDLER_LEVELS, typeLabel, urgencyLabel } from '../wo.js';
import { levelLabel } from '../labels.js';

const put = (path, body) => request('PUT', path, { body });
const del = (path, params) => request('DELETE', path, { params });
const LIMIT_FIELDS = ['reply_days', 'sign_days', 'return_days', 'extension_max_days', 'reopen_days'];

export async function render({ outlet, signal }) {
  const title = t('woConfig.title');
  const [cats, map, limits, sweep, rules] = await Promise.all([
    list('/wo-categories', { include_inactive: 'true' }, signal),
    get('/wo-category-map', undefined, signal),
    list('/wo-time-limits', undefined, signal),
    list('/wo-sweep-policy', undefined, signal),
    list('/wo-routing-rules', undefined, signal),
  ]);
  // The tree comes as roots with their children: flattened, parents first.
  cats.items = cats.items.flatMap((root) => [root, ...(root.children || [])]);
  const byId = new Map(cats.items.map((c) => [c.id, c]));
  const catName = (id) => {
    const c = byId.get(id);
    if (!c) return id ? `#${id}` : t('woConfig.any');
    const p = c.parent_id ? byId.get(c.parent_id) : null;
    return p ? `${p.name} > ${c.name}` : c.name;
  };
  const catOptions = (withAny) => [
    ...(withAny ? [{ value: '', label: t('woConfig.any') }] : []),
    ...cats.items.filter((c) => c.active).map((c) => ({ value: c.id, label: catName(c.id) })),
  ];
  const ctx = { catName, catOptions };
  const secs = [
    [t('woConfig.unmapped'), 'unmapped', unmappedPart(map, ctx)],
    [t('woConfig.categories'), 'categories', categoriesPart(cats.items, ctx)],
    [t('woConfig.limits'), 'limits', limitsPart(limits.items)],
    [t('woConfig.sweep'), 'sweep', sweepPart(sweep.items)],
    [t('woConfig.rules'), 'rules', rulesPart(rules.items, ctx)],
  ].map(([name, id, content]) => {
    const s = section(name, { id });
    append(s.body, content);
    return s.el;
  });
  replace(outlet, pageTitle(title), h('p.page__intro', t('woConfig.intro')), ...secs);
  return title;
}

/** Says what a change touched: "n open orders concerned; they keep their handler and deadlines". */
async function done(answer, heading) {
  await refreshAndFocus(refresh, heading);
  if (answer && typeof answer.refiled === 'number') announce(t('woConfig.refiled', { n: answer.refiled }));
  else if (answer && typeof answer.open_orders === 'number') announce(t('woConfig.openOrders', { n: answer.open_orders }));
}

function table(caption, cols, rows) {
  if (!rows.length) return emptyState(t('woConfig.none'));
  return h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', caption),
    h('thead', h('tr', cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', rows.map((cells) => h('tr', cells.map((c, i) => (i === 0
      ? h('th', { scope: 'row', 'data-label': cols[0], class: 'is-wide' }, h('div.cell', c))
      : h('td', { 'data-label': cols[i] }, h('div.cell', c)))))))));
}

function unmappedPart(map, { catName, catOptions }) {
  const cols = [t('woConfig.path'), t('woConfig.orders'), t('woConfig.filedUnder'), t('woConfig.mapTo')];
  const rows = map.unmapped.map((u) => {
    const f = form({
      fields: [field({ name: 'category_id', label: t('woConfig.mapToLabel', { path: u.path }), type: 'select', required: true,
        options: catOptions(false), value: u.category_id })],
      submitLabel: t('woConfig.map'),
      async onSubmit(v) {
        await done(await put('/wo-category-map', { path: u.path, category_id: Number(v.category_id) }), t('woConfig.unmapped'));
      },
    });
    return [h('span.mono', u.path), String(u.orders), `${catName(u.category_id)} · ${t(`woConfig.by.${u.by}`)}`, f.el];
  });
  const fallback = form({
    fields: [field({ name: 'category_id', label: t('woConfig.fallback'), type: 'select', required: true,
      options: catOptions(false), value: map.fallback_category_id, hint: t('woConfig.fallbackHint') })],
    submitLabel: t('action.save'),
    async onSubmit(v) {
      await done(await put('/wo-category-map/fallback', { category_id: Number(v.category_id) }), t('woConfig.unmapped'));
    },
  });
  const mapped = map.items.length
    ? h('ul.config-list', map.items.map((m) => h('li', h('span.mono', m.path), ' → ', catName(m.category_id),
      h('span.muted', ` (${t('woConfig.ordersN', { n: m.orders })})`))))
    : null;
  return [h('p', t('woConfig.unmappedIntro')), table(t('woConfig.unmapped'), cols, rows), mapped,
    disclosure(t('woConfig.fallbackTitle'), fallback.el, { className: 'no-print' })];
}

function levelOptions(withNone) {
  return [...(withNone ? [{ value: '', label: t('woConfig.levelDefault') }] : []),
    ...HANDLER_LEVELS.map((l) => ({ value: l, label: levelLabel(l) }))];
}

function categoriesPart(cats, { catName }) {
  const cols = [t('woConfig.category'), t('woConfig.code'), t('woConfig.routeLevel'), t('woConfig.state')];
  const rows = cats.map((c) => [
    h('span', catName(c.id), editCategory(c)),
    h('span.mono', c.code),
    c.route_level ? levelLabel(c.route_level) : t('woConfig.levelDefault'),
    c.active ? badge(t('woConfig.active'), 'ok') : badge(t('woConfig.retired'), 'past'),
  ]);
  const add = form({
    fields: [
      field({ name: 'code', label: t('woConfig.code'), required: true, hint: t('woConfig.codeHint'), attrs: { maxlength: 40, lang: 'en', autocomplete: 'off' } }),
      field({ name: 'name', label: t('woConfig.name'), required: true, attrs: { maxlength: 40 } }),
      field({ name: 'parent_id', label: t('woConfig.parent'), type: 'select',
        options: [{ value: '', label: t('woConfig.topLevel') }, ...cats.filter((c) => !c.parent_id && c.active).map((c) => ({ value: c.id, label: c.name }))] }),
      field({ name: 'route_level', label: t('woConfig.routeLevel'), type: 'select', options: levelOptions(true) }),
    ],
    submitLabel: t('woConfig.addCategory'),
    async onSubmit(v) {
      const body = { code: v.code, name: v.name };
      if (v.parent_id) body.parent_id = Number(v.parent_id);
      if (v.route_level) body.route_level = v.route_level;
      await done(await post('/wo-categories', body), t('woConfig.categories'));
    },
  });
  return [table(t('woConfig.categories'), cols, rows), disclosure(t('woConfig.addCategory'), add.el, { className: 'no-print' })];
}

function editCategory(c) {
  const f = form({
    fields: [
      field({ name: 'name', label: t('woConfig.name'), required: true, value: c.name, attrs: { maxlength: 40 } }),
      field({ name: 'route_level', label: t('woConfig.routeLevel'), type: 'select', options: levelOptions(true), value: c.route_level || '' }),
      field({ name: 'active', label: t('woConfig.activeField'), type: 'checkbox', value: c.active, hint: t('woConfig.retireHint') }),
    ],
    submitLabel: t('action.save'),
    async onSubmit(v) {
      await done(await patch(`/wo-categories/${c.id}`, { name: v.name, route_level: v.route_level || null, active: v.active }),
        t('woConfig.categories'));
    },
  });
  return disclosure(t('woConfig.editCategory', { name: c.name }), f.el, { className: 'no-print' });
}

const anyOr = (v, label) => (v === '*' ? t('woConfig.any') : label(v));

function limitsPart(limits) {
  const cols = [t('woConfig.typeUrgency'), ...LIMIT_FIELDS.map((k) => t(`woConfig.${k}`))];
  const rows = limits.map((l) => [`${anyOr(l.type, typeLabel)} · ${anyOr(l.urgency, urgencyLabel)}`,
    ...LIMIT_FIELDS.map((k) => String(l[k]))]);
  const base = limits.find((l) => l.type === '*' && l.urgency === '*') || {};
  const f = form({
    fields: [
      field({ name: 'type', label: t('woConfig.type'), type: 'select', options: [{ value: '*', label: t('woConfig.any') }, ...TYPES.map((x) => ({ value: x, label: typeLabel(x) }))] }),
      field({ name: 'urgency', label: t('woConfig.urgency'), type: 'select', options: [{ value: '*', label: t('woConfig.any') }, ...URGENCIES.map((x) => ({ value: x, label: urgencyLabel(x) }))] }),
      ...LIMIT_FIELDS.map((k) => field({ name: k, label: t(`woConfig.${k}`), type: 'number', required: true, value: base[k], attrs: { min: 0, max: 365, inputmode: 'numeric' } })),
    ],
    submitLabel: t('woConfig.setLimits'),
    async onSubmit(v) {
      const body = { type: v.type, urgency: v.urgency };
      for (const k of LIMIT_FIELDS) body[k] = Number(v[k]);
      await done(await put('/wo-time-limits', body), t('woConfig.limits'));
    },
  });
  return [h('p', t('woConfig.limitsIntro')), table(t('woConfig.limits'), cols, rows),
    disclosure(t('woConfig.setLimits'), f.el, { className: 'no-print' })];
}

function sweepPart(levels) {
  const cols = [t('woConfig.level'), t('woConfig.escalate'), t('woConfig.afterDays')];
  const rows = levels.map((l) => {
    const f = form({
      fields: [
        field({ name: 'escalate', label: t('woConfig.escalateField', { level: levelLabel(l.level) }), type: 'checkbox', value: l.escalate }),
        field({ name: 'after_days', label: t('woConfig.afterDays'), type: 'number', required: true, value: l.after_days, attrs: { min: 0, max: 30, inputmode: 'numeric' } }),
      ],
      submitLabel: t('action.save'),
      async onSubmit(v) {
        await done(await put('/wo-sweep-policy', { level: l.level, escalate: v.escalate, after_days: Number(v.after_days) }), t('woConfig.sweep'));
      },
    });
    return [h('span', levelLabel(l.level), disclosure(t('woConfig.editSweep', { level: levelLabel(l.level) }), f.el, { className: 'no-print' })),
      l.escalate ? t('woConfig.yes') : t('woConfig.no'), String(l.after_days)];
  });
  return [h('p', t('woConfig.sweepIntro')), table(t('woConfig.sweep'), cols, rows)];
}

function rulesPart(rules, { catName, catOptions }) {
  const cols = [t('woConfig.category'), t('woConfig.type'), t('woConfig.routeLevel'), t('woConfig.note'), t('woConfig.remove')];
  const rows = rules.map((r) => {
    const rm = h('button.btn.btn--secondary.btn--small', { type: 'button' }, t('woConfig.removeRule'));
    rm.addEventListener('click', async () => {
      rm.disabled = true;
      await done(await del(`/wo-routing-rules/${r.id}`), t('woConfig.rules'));
    });
    return [catName(r.category_id), r.type ? typeLabel(r.type) : t('woConfig.any'), levelLabel(r.route_level), r.note || '', rm];
  });
  const f = form({
    fields: [
      field({ name: 'category_id', label: t('woConfig.category'), type: 'select', options: catOptions(true) }),
      field({ name: 'type', label: t('woConfig.type'), type: 'select', options: [{ value: '', label: t('woConfig.any') }, ...TYPES.map((x) => ({ value: x, label: typeLabel(x) }))] }),
      field({ name: 'route_level', label: t('woConfig.routeLevel'), type: 'select', required: true, options: levelOptions(false) }),
      field({ name: 'note', label: t('woConfig.note'), attrs: { maxlength: 200 } }),
    ],
    submitLabel: t('woConfig.addRule'),
    async onSubmit(v) {
      const body = { route_level: v.route_level };
      if (v.category_id) body.category_id = Number(v.category_id);
      if (v.type) body.type = v.type;
      if (v.note) body.note = v.note;
      await done(await post('/wo-routing-rules', body), t('woConfig.rules'));
    },
  });
  return [h('p', t('woConfig.rulesIntro')), table(t('woConfig.rules'), cols, rows),
    disclosure(t('woConfig.addRule'), f.el, { className: 'no-print' })];
}
