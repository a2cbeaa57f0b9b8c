// user.js - one login account: who, role and scope, state; for users.admin the
// forms to change name, role and scope, to disable or enable the account and to
// reset its password (the new one is shown once).

import { h, replace } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { get, patch, post, getNode } from '../api.js';
import { refresh } from '../router.js';
import { accessRoleLabel } from '../labels.js';
import { can, current } from '../session.js';
import { pageTitle, section, dl, field, form, disclosure, errorState, loadingState, refreshAndFocus } from '../ui.js';
import { oneTimePassword } from '../components/secret.js';
import { confirmButton } from '../components/confirm.js';
import { placeName } from '../format.js';
import { accessRoles, roleAndScope, rolePermissionsText, statusBadges, canGrant } from './users.js';

export async function render({ outlet, params, signal }) {
  const id = Number(params.id);
  const crumbs = (name) => h('nav.breadcrumb', { 'aria-label': t('node.breadcrumb') }, h('ol',
    h('li', h('a', { href: '#/users' }, t('nav.users'))),
    name ? h('li', h('span', { 'aria-current': 'page' }, name)) : null));
  replace(outlet, loadingState());
  let u;
  let roles;
  try {
    [u, roles] = await Promise.all([get(`/users/${id}`, null, signal), accessRoles()]);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(outlet, crumbs(null), pageTitle(t('user.title')), errorState(e, { retry: () => refresh() }));
    return t('user.title');
  }
  const scope = u.scope_node_id ? await getNode(u.scope_node_id).catch(() => null) : null;
  const person = u.person_id && can('people.read') ? await get(`/persons/${u.person_id}`).catch(() => null) : null;
  const role = roles.find((r) => r.code === u.role);
  const self = current() && current().user_id === u.id;
  // Role, scope and password only for roles the administrator could give (the server's rule).
  const grantable = canGrant(role);

  const facts = section(t('user.facts'));
  facts.body.appendChild(dl([
    [t('users.field.login'), u.login],
    [t('users.field.name'), u.display_name || ''],
    [t('users.field.role'), h('span', accessRoleLabel(u.role), role ? h('span.block.muted', rolePermissionsText(role)) : null)],
    [t('users.field.scope'), u.scope_node_id
      ? (scope ? h('a', { href: `#/org/node/${scope.id}` }, placeName(scope)) : String(u.scope_node_id))
      : t('users.scopeAll')],
    u.person_id ? [t('users.field.person'), person ? h('a', { href: `#/persons/${person.id}` }, person.name) : String(u.person_id)] : null,
    [t('users.col.status'), h('span.badges', statusBadges(u))],
    [t('users.col.lastLogin'), u.last_login_at ? fmtDateTime(u.last_login_at) : t('users.neverLoggedIn')],
    [t('node.field.created'), fmtDateTime(u.created_at)],
    [t('node.field.updated'), fmtDateTime(u.updated_at)],
  ]));
  if (can('audit.read')) facts.body.appendChild(h('p', h('a', { href: `#/audit?user_id=${u.id}` }, t('user.auditLink'))));
  if (can('users.admin')) {
    if (self) facts.body.appendChild(h('p.hint', t('user.selfHint')));
    else if (!grantable) facts.body.appendChild(h('p.hint', t('user.notGrantable', { role: accessRoleLabel(u.role) })));
    facts.body.appendChild(disclosure(grantable && !self ? t('user.edit') : t('user.editName'), editForm(u, roles, scope, self || !grantable).el, { className: 'no-print' }));
  }

  const parts = [crumbs(u.login),
    h('div.page__head', pageTitle(u.display_name ? `${u.display_name}（${u.login}）` : u.login), h('p.page__badges', statusBadges(u))),
    h('div.sections', facts.el, can('users.admin') && !self ? actionsSection(u, grantable) : null)];
  replace(outlet, ...parts);
  return u.login;
}

function editForm(u, roles, scope, nameOnly) {
  const name = field({ name: 'display_name', label: t('users.field.name'), value: u.display_name || '', attrs: { maxlength: 50, autocomplete: 'off' } });
  const { roleF, scopeF } = roleAndScope(roles, { role: u.role, scopeNode: scope });
  // Nobody changes their own role or scope: that is how an administrator locks themselves out.
  const fields = nameOnly ? [name] : [name, roleF, scopeF];
  return form({
    fields,
    submitLabel: t('action.save'),
    async onSubmit(v, fm) {
      const body = {};
      if (v.display_name !== (u.display_name || '')) body.display_name = v.display_name || null;
      if (!nameOnly) {
        if (v.role !== u.role) body.role = v.role;
        const sc = v.scope_node_id ? Number(v.scope_node_id) : null;
        if (sc !== (u.scope_node_id || null)) body.scope_node_id = sc;
      }
      if (!Object.keys(body).length) {
        fm.success(t('form.nothingChanged'));
        return;
      }
      await patch(`/users/${u.id}`, body);
      await refreshAndFocus(refresh, t('user.facts'));
    },
  });
}

function actionsSection(u, grantable) {
  const s = section(t('user.actions'));
  const out = h('div', { 'aria-live': 'polite' });
  if (grantable) resetPart(s, u, out);
  disablePart(s, u);
  return s.el;
}

function resetPart(s, u, out) {
  s.body.appendChild(h('h3.subhead', t('user.resetTitle')));
  s.body.appendChild(h('p.hint', t('user.resetHint')));
  const reset = confirmButton({
    label: t('user.reset'),
    question: t('user.resetQuestion', { login: u.login }),
    confirmLabel: t('user.resetConfirm'),
    async onConfirm() {
      const r = await post(`/users/${u.id}/reset-password`, {});
      const secret = oneTimePassword({ login: u.login, password: r.password, title: t('user.resetDone', { login: u.login }), reset: true });
      replace(out, secret);
      reset.remove();
      secret.querySelector('.secret__value').focus();
    },
  });
  s.body.append(reset, out);
}

function disablePart(s, u) {
  s.body.appendChild(h('h3.subhead', u.disabled ? t('user.enableTitle') : t('user.disableTitle')));
  s.body.appendChild(h('p.hint', u.disabled ? t('user.enableHint') : t('user.disableHint')));
  s.body.appendChild(confirmButton({
    label: u.disabled ? t('user.enable') : t('user.disable'),
    question: u.disabled ? t('user.enableQuestion', { login: u.login }) : t('user.disableQuestion', { login: u.login }),
    confirmLabel: u.disabled ? t('user.enableConfirm') : t('user.disableConfirm'),
    danger: !u.disabled,
    async onConfirm() {
      await patch(`/users/${u.id}`, { disabled: !u.disabled });
      await refreshAndFocus(refresh, t('user.actions'), u.disabled ? t('user.enabled') : t('user.disabled'));
    },
  }));
}
