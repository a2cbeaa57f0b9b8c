// roles.js - 角色管理: the role dictionary (楼长, 网格员 …: which levels each is held at,
// whether it names a platform) and the role sets such as 三长四员.  Everyone with
// people.read sees them; the dictionary is deployment-wide, so only an administrator
// without a scope changes it (the routes are ROUTE_UNSCOPED).

import { h, replace, append, newId } from '../dom.js';
import { t } from '../i18n.js';
import { list, post, patch, forgetAll } from '../api.js';
import { refresh } from '../router.js';
import { can, scopeId } from '../session.js';
import { pageTitle, section, field, form, disclosure, badge, emptyState, refreshAndFocus } from '../ui.js';
import { LEVELS, levelLabel, roleName } from '../labels.js';

const editable = () => can('people.write') && !scopeId();

export async function render({ outlet, signal }) {
  const title = t('rolesAdmin.title');
  const [roles, sets] = await Promise.all([
    list('/roles', { include_inactive: 'true', limit: 200 }, signal),
    list('/role-sets', { limit: 100 }, signal),
  ]);
  const dict = section(t('rolesAdmin.dictionary'), { id: 'dictionary' });
  const setSec = section(t('rolesAdmin.sets'), { id: 'sets' });
  append(dict.body, [roleTable(roles.items), editable() ? addRoleForm() : null]);
  append(setSec.body, [setList(sets.items, roles.items), editable() ? addSetForm(roles.items) : null]);
  replace(outlet, pageTitle(title), h('p.page__intro', t(editable() ? 'rolesAdmin.intro' : 'rolesAdmin.introRead')), dict.el, setSec.el);
  return title;
}

/** Checkboxes in a fieldset that behave as one form field; the value is their codes joined. */
function checkGroup({ name, legend, options, value = [], hint, join = ',' }) {
  const errId = newId(`${name}-err`);
  const err = h('p.field__error', { id: errId, hidden: true });
  const boxes = options.map((o) => {
    const id = newId(name);
    const input = h('input', { type: 'checkbox', id, value: String(o.value), checked: value.includes(o.value), 'aria-describedby': errId });
    return { input, el: h('div.field--check.check-group__item', input, h('label.field__label', { for: id }, o.label)) };
  });
  const el = h('fieldset.field.fieldset.check-group',
    h('legend.field__label', legend), hint ? h('p.field__hint', hint) : null,
    h('div.check-group__items', boxes.map((b) => b.el)), err);
  return {
    el, name, input: boxes[0].input,
    setError(message) {
      err.hidden = !message;
      replace(err, message || '');
      el.classList.toggle('field--invalid', Boolean(message));
    },
    getValue() {
      const v = boxes.filter((b) => b.input.checked).map((b) => b.input.value);
      return join ? v.join(join) : v;
    },
    setValue() {},
  };
}

const levelOptions = () => LEVELS.map((l) => ({ value: l, label: levelLabel(l) }));

function roleFields(r = {}) {
  return [
    field({ name: 'name', label: t('rolesAdmin.name'), required: true, value: r.name, attrs: { maxlength: 50 } }),
    field({ name: 'name_en', label: t('rolesAdmin.nameEn'), value: r.name_en, attrs: { maxlength: 100, lang: 'en' } }),
    checkGroup({ name: 'levels', legend: t('rolesAdmin.levels'), options: levelOptions(), value: (r.levels || '').split(',').filter(Boolean) }),
    field({ name: 'needs_platform', label: t('rolesAdmin.needsPlatform'), type: 'checkbox', value: r.needs_platform, hint: t('rolesAdmin.needsPlatformHint') }),
  ];
}

function roleTable(roles) {
  if (!roles.length) return emptyState(t('rolesAdmin.none'));
  const cols = ['rolesAdmin.name', 'rolesAdmin.code', 'rolesAdmin.levels', 'rolesAdmin.state'];
  return h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', t('rolesAdmin.dictionary')),
    h('thead', h('tr', cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', roles.map((r) => h('tr',
      h('th', { scope: 'row', 'data-label': t(cols[0]), class: 'is-wide' }, h('div.cell', roleName(r),
        r.needs_platform ? h('span.muted', ` · ${t('rolesAdmin.platform')}`) : null,
        editable() ? editRole(r) : null)),
      h('td', { 'data-label': t(cols[1]) }, h('div.cell.mono', r.code)),
      h('td', { 'data-label': t(cols[2]) }, h('div.cell', (r.levels || '').split(',').filter(Boolean).map(levelLabel).join(t('common.slash')))),
      h('td', { 'data-label': t(cols[3]) }, h('div.cell', r.active ? badge(t('rolesAdmin.active'), 'ok') : badge(t('rolesAdmin.inactive'), 'past'))))))));
}

function editRole(r) {
  const fields = [...roleFields(r), field({ name: 'active', label: t('rolesAdmin.activeField'), type: 'checkbox', value: r.active })];
  const f = form({
    fields,
    submitLabel: t('action.save'),
    async onSubmit(v) {
      await patch(`/roles/${r.id}`, { name: v.name, name_en: v.name_en, levels: v.levels, needs_platform: v.needs_platform, active: v.active });
      forgetAll();
      await refreshAndFocus(refresh, t('rolesAdmin.dictionary'));
    },
  });
  return disclosure(t('rolesAdmin.edit', { name: roleName(r) }), f.el, { className: 'no-print' });
}

function addRoleForm() {
  const code = field({ name: 'code', label: t('rolesAdmin.code'), required: true, hint: t('rolesAdmin.codeHint'), attrs: { maxlength: 40, autocomplete: 'off', spellcheck: 'false', lang: 'en' } });
  const f = form({
    fields: [code, ...roleFields()],
    submitLabel: t('rolesAdmin.add'),
    validate(v) {
      return /^[a-z][a-z0-9_]{0,39}$/.test(v.code) ? {} : { code: t('rolesAdmin.codeInvalid') };
    },
    async onSubmit(v) {
      const body = { code: v.code, name: v.name, levels: v.levels, needs_platform: v.needs_platform };
      if (v.name_en) body.name_en = v.name_en;
      await post('/roles', body);
      forgetAll();
      await refreshAndFocus(refresh, t('rolesAdmin.dictionary'));
    },
  });
  return disclosure(t('rolesAdmin.addTitle'), f.el, { className: 'no-print' });
}

function setList(sets, roles) {
  if (!sets.length) return emptyState(t('rolesAdmin.noSets'));
  const byId = new Map(roles.map((r) => [r.id, r]));
  return h('ul.set-list', sets.map((s) => h('li.set-list__item',
    h('h3', s.name, h('span.muted.mono', ` ${s.code}`)),
    h('p.person-chips', s.role_ids.map((id) => badge(byId.has(id) ? roleName(byId.get(id)) : `#${id}`))),
    editable() ? editSet(s, roles) : null)));
}

function roleChecks(roles, chosen) {
  return checkGroup({
    name: 'role_ids', legend: t('rolesAdmin.setRoles'), join: null,
    options: roles.filter((r) => r.active || chosen.includes(r.id)).map((r) => ({ value: r.id, label: roleName(r) })),
    value: chosen,
  });
}

function editSet(s, roles) {
  const name = field({ name: 'name', label: t('rolesAdmin.setName'), required: true, value: s.name, attrs: { maxlength: 50 } });
  const f = form({
    fields: [name, roleChecks(roles, s.role_ids)],
    submitLabel: t('action.save'),
    async onSubmit(v) {
      await patch(`/role-sets/${s.id}`, { name: v.name, role_ids: v.role_ids.map(Number) });
      await refreshAndFocus(refresh, t('rolesAdmin.sets'));
    },
  });
  return disclosure(t('rolesAdmin.editSet', { name: s.name }), f.el, { className: 'no-print' });
}

function addSetForm(roles) {
  const code = field({ name: 'code', label: t('rolesAdmin.code'), required: true, hint: t('rolesAdmin.codeHint'), attrs: { maxlength: 40, autocomplete: 'off', spellcheck: 'false', lang: 'en' } });
  const name = field({ name: 'name', label: t('rolesAdmin.setName'), required: true, attrs: { maxlength: 50 } });
  const f = form({
    fields: [code, name, roleChecks(roles, [])],
    submitLabel: t('rolesAdmin.addSet'),
    validate(v) {
      return /^[a-z][a-z0-9_]{0,39}$/.test(v.code) ? {} : { code: t('rolesAdmin.codeInvalid') };
    },
    async onSubmit(v) {
      await post('/role-sets', { code: v.code, name: v.name, role_ids: v.role_ids.map(Number) });
      await refreshAndFocus(refresh, t('rolesAdmin.sets'));
    },
  });
  return disclosure(t('rolesAdmin.addSetTitle'), f.el, { className: 'no-print' });
}

