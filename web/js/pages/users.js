// users.js - 用户管理: the login accounts (GET /users), and a form for a new one
// (POST /users) that shows the generated password once.  Reading needs
// users.read, every change users.admin.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { list, get, post } from '../api.js';
import { href } from '../router.js';
import { accessRoleLabel, permissionLabel } from '../labels.js';
import { can, scopeId } from '../session.js';
import { pageTitle, section, field, form, disclosure, loadInto, emptyState, pager, badge, errorState } from '../ui.js';
import { nodePicker, personPicker } from '../components/picker.js';
import { oneTimePassword } from '../components/secret.js';
import { nodesById, placeName } from '../format.js';

const LIMIT = 20;

let rolesPromise = null;
/** The access roles with their permissions (GET /access-roles), once per page view. */
export function accessRoles(fresh = false) {
  if (!rolesPromise || fresh) {
    rolesPromise = get('/access-roles').then((r) => r.items || []);
    rolesPromise.catch(() => { rolesPromise = null; });
  }
  return rolesPromise;
}

/**
 * Nobody hands out more than they hold: the server lets a user give a role (or
 * reset the password of its holder) only when they hold every permission of it.
 */
export function canGrant(role) {
  return Boolean(role && role.permissions.every((p) => can(p)));
}

/** "May: see the tree, change people …" for a role. */
export function rolePermissionsText(role) {
  if (!role) return '';
  return t('users.rolePerms', { perms: role.permissions.map(permissionLabel).join(t('common.slash')) });
}

/** The usual level of a role's scope, for the hint next to the scope picker. */
const SCOPE_HINT = {
  subdistrict_staff: 'subdistrict',
  community_staff: 'community',
  courtyard_secretary: 'courtyard',
  grid_member: 'community',
  mobile_grid_member: 'community',
};

/**
 * The role select and the scope picker, kept in step: a role that needs a scope
 * makes the scope required; the hints say what the role may do and where.
 */
export function roleAndScope(allRoles, { role = '', scopeNode = null } = {}) {
  const roles = allRoles.filter((r) => canGrant(r) || r.code === role);
  const roleF = field({
    name: 'role', label: t('users.field.role'), type: 'select', required: true, value: role,
    options: [{ value: '', label: t('form.choose') }, ...roles.map((r) => ({ value: r.code, label: accessRoleLabel(r.code) }))],
    hint: ' ',
  });
  const scopeF = nodePicker({ name: 'scope_node_id', label: t('users.field.scope'), hint: ' ', value: scopeNode });
  const roleHint = roleF.el.querySelector('.field__hint');
  const scopeHint = scopeF.el.querySelector('.field__hint');
  const byCode = new Map(roles.map((r) => [r.code, r]));
  function sync() {
    const r = byCode.get(roleF.getValue());
    roleHint.textContent = r ? rolePermissionsText(r) : t('users.field.roleHint');
    if (allRoles.some((x) => !canGrant(x))) roleHint.textContent += ` ${t('users.field.roleLimited')}`;
    // A scoped administrator gives only scopes inside their own.
    const needs = Boolean(r ? r.needs_scope : false) || Boolean(scopeId());
    scopeF.input.required = needs;
    scopeF.el.querySelector('.field__req')?.remove();
    scopeF.el.querySelector('.field__opt')?.remove();
    scopeF.el.querySelector('label').appendChild(needs
      ? h('span.field__req', { 'aria-hidden': 'true' }, ' *')
      : h('span.field__opt', ` ${t('form.optional')}`));
    const level = r && SCOPE_HINT[r.code];
    scopeHint.textContent = needs
      ? t('users.field.scopeHint', { level: level ? t(`level.${level}`) : t('users.field.scopeAnyLevel') })
      : t('users.field.scopeOptional');
  }
  roleF.input.addEventListener('change', sync);
  sync();
  return { roleF, scopeF, byCode };
}

export function statusBadges(u) {
  return [
    u.disabled ? badge(t('users.status.disabled'), 'past') : badge(t('users.status.active'), 'ok'),
    u.must_change_password && !u.disabled ? badge(t('users.status.mustChange'), 'warn') : null,
  ];
}

export async function render({ outlet, query, signal }) {
  const title = t('users.title');
  const offset = Math.max(0, parseInt(query.offset, 10) || 0);
  const results = section(t('users.list'), { id: 'users' });

  function load() {
    loadInto(results.body, async () => {
      const page = await list('/users', { limit: LIMIT, offset }, signal);
      const scopes = await nodesById(page.items.map((u) => u.scope_node_id));
      return { page, scopes };
    }, ({ page, scopes }) => {
      if (!page.items.length) return emptyState(t('users.none'));
      return h('div',
        h('p.results-count', { role: 'status' }, t('users.count', { n: fmtNumber(page.total) })),
        userTable(page.items, scopes),
        pager({ total: page.total, limit: page.limit || LIMIT, offset: page.offset, hrefFor: (o) => href('/users', { offset: o }) }));
    });
  }
  load();

  replace(outlet, pageTitle(title), h('p.page__intro', t('users.intro')),
    can('users.admin') ? createSection(load) : null,
    results.el);
  return title;
}

function userTable(items, scopes) {
  const head = ['users.col.login', 'users.col.name', 'users.col.role', 'users.col.scope', 'users.col.status', 'users.col.lastLogin'];
  return h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', t('users.list')),
    h('thead', h('tr', head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', items.map((u) => {
      const scope = scopes.get(u.scope_node_id);
      const cells = [
        h('a', { href: `#/users/${u.id}` }, u.login),
        u.display_name || '',
        accessRoleLabel(u.role),
        u.scope_node_id ? (scope ? placeName(scope) : String(u.scope_node_id)) : t('users.scopeAll'),
        h('span.badges', statusBadges(u)),
        u.last_login_at ? fmtDateTime(u.last_login_at) : t('users.neverLoggedIn'),
      ];
      return h(`tr${u.disabled ? '.is-disabled' : ''}`, cells.map((c, i) => {
        const empty = c === '' || c === null;
        return h(i === 0 ? 'th' : 'td', {
          scope: i === 0 ? 'row' : null,
          'data-label': t(head[i]),
          class: [empty ? 'is-empty' : '', i === 3 || i === 4 ? 'is-wide' : ''].join(' ').trim() || null,
        }, h('div.cell', empty ? h('span.muted', t('common.none')) : c));
      }));
    }))));
}

function createSection(reload) {
  const box = h('div');
  accessRoles().then((roles) => {
    box.appendChild(createForm(roles, reload).el);
  }).catch((e) => box.appendChild(errorState(e, { compact: true })));
  return disclosure(t('users.create'), box, { className: 'no-print' });
}

function createForm(roles, reload) {
  const login = field({
    name: 'login', label: t('users.field.login'), required: true, hint: t('users.field.loginHint'),
    attrs: { maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' },
  });
  const name = field({ name: 'display_name', label: t('users.field.name'), hint: t('users.field.nameHint'), attrs: { maxlength: 50, autocomplete: 'off' } });
  const { roleF, scopeF } = roleAndScope(roles);
  const fields = [login, name, roleF, scopeF];
  if (can('people.read')) {
    fields.push(personPicker({ name: 'person_id', label: t('users.field.person'), hint: t('users.field.personHint') }));
  }
  const f = form({
    fields,
    submitLabel: t('users.createSubmit'),
    validate(v) {
      const e = {};
      if (v.login && !/^[A-Za-z0-9._-]{2,64}$/.test(v.login)) e.login = t('users.field.loginInvalid');
      return e;
    },
    async onSubmit(v, fm) {
      const body = { login: v.login, role: v.role };
      if (v.display_name) body.display_name = v.display_name;
      if (v.scope_node_id) body.scope_node_id = Number(v.scope_node_id);
      if (v.person_id) body.person_id = Number(v.person_id);
      const u = await post('/users', body);
      fm.reset();
      fields.filter((x) => x.setValue && x.getItem).forEach((x) => x.setValue(null));
      roleF.input.dispatchEvent(new Event('change'));
      replace(fm.status, oneTimePassword({ login: u.login, password: u.password, title: t('users.created', { login: u.login }) }),
        h('p', h('a', { href: `#/users/${u.id}` }, t('users.open', { login: u.login }))));
      fm.status.querySelector('.secret__value').focus();
      reload();
    },
  });
  return f;
}
