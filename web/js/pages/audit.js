// audit.js - 审计日志: who did what, when, from where and with what result (GET
// /audit, newest first, filters in the address, keyset paging with "more"), and
// a check of the log's hash chain (GET /audit/verify).  Needs audit.read.

import { h, replace, append, announce } from '../dom.js';
import { t, has, fmtNumber, fmtDateTime, dayStartUtc, nextDay, today } from '../i18n.js';
import { get, list } from '../api.js';
import { navigate } from '../router.js';
import { permissionLabel } from '../labels.js';
import { can } from '../session.js';
import { pageTitle, section, field, disclosure, loadInto, emptyState, errorState, badge } from '../ui.js';

const LIMIT = 50;

/** Preset action filters (the server matches a part of the action). */
const ACTIONS = [
  ['login', 'audit.act.login'],
  ['POST /api/v1/auth/logout', 'audit.act.logout'],
  ['POST /api/v1/auth/password', 'audit.act.password'],
  ['/reveal', 'audit.act.reveal'],
  ['/export/', 'audit.act.export'],
  ['/import/', 'audit.act.import'],
  ['reset-password', 'audit.act.reset'],
  ['POST ', 'audit.act.anyPost'],
  ['PATCH ', 'audit.act.anyPatch'],
  ['DELETE ', 'audit.act.anyDelete'],
];

const TYPES = ['persons', 'nodes', 'users', 'user', 'auth', 'party-orgs', 'assignments', 'care-links', 'grids', 'roles', 'role-sets', 'export', 'import', 'tokens'];
const RESULTS = ['success', 'failure', 'denied'];

export async function render({ outlet, query, signal }) {
  const title = t('audit.title');
  const filters = {
    action: query.action || '',
    object_type: query.object_type || '',
    object_id: query.object_id || '',
    result: RESULTS.includes(query.result) ? query.result : '',
    user_id: /^\d+$/.test(query.user_id || '') ? query.user_id : '',
    from: /^\d{4}-\d{2}-\d{2}$/.test(query.from || '') ? query.from : '',
    to: /^\d{4}-\d{2}-\d{2}$/.test(query.to || '') ? query.to : '',
    before_id: /^\d+$/.test(query.before_id || '') ? query.before_id : '',
  };
  const users = can('users.read')
    ? await list('/users', { limit: 200 }, signal).then((r) => r.items).catch(() => null)
    : null;

  const results = section(t('audit.results'), { id: 'results' });
  replace(outlet, pageTitle(title), h('p.page__intro', t('audit.intro')),
    verifySection(), filterForm(filters, users),
    filters.before_id ? h('p.notice.notice--info', t('audit.fromId', { id: Number(filters.before_id) - 1 })) : null,
    results.el);

  const params = {
    action: filters.action,
    object_type: filters.object_type,
    object_id: filters.object_id,
    result: filters.result,
    user_id: filters.user_id,
    from: filters.from ? dayStartUtc(filters.from) : '',
    to: filters.to ? dayStartUtc(nextDay(filters.to)) : '',
    before_id: filters.before_id,
    limit: LIMIT,
  };
  const logins = new Map((users || []).map((u) => [u.id, u]));
  loadInto(results.body, () => get('/audit', params, signal), (first) => {
    if (!first.items.length) return emptyState(Object.values(filters).some(Boolean) ? t('audit.noneMatch') : t('audit.none'));
    const tbody = h('tbody');
    const count = h('p.results-count', { role: 'status' });
    const moreBox = h('div.no-print');
    let shown = 0;
    function add(page) {
      append(tbody, page.items.map((r) => auditRow(r, logins)));
      shown += page.items.length;
      count.textContent = t('audit.count', { shown: fmtNumber(shown), total: fmtNumber(page.total) });
      replace(moreBox);
      if (page.next_before_id && shown < page.total) {
        const btn = h('button.btn.btn--secondary', { type: 'button' }, t('audit.more'));
        btn.addEventListener('click', async () => {
          btn.disabled = true;
          btn.textContent = t('state.loading');
          try {
            const next = await get('/audit', { ...params, before_id: page.next_before_id }, signal);
            const firstNew = tbody.children.length;
            add(next);
            // Keyboard users carry on from the first new row.
            const link = tbody.children[firstNew]?.querySelector('th');
            if (link) {
              link.setAttribute('tabindex', '-1');
              link.focus();
            }
            announce(t('audit.loadedMore', { n: fmtNumber(next.items.length) }));
          } catch (e) {
            if (e.name === 'AbortError') return;
            btn.disabled = false;
            btn.textContent = t('audit.more');
            moreBox.appendChild(errorState(e, { compact: true }));
          }
        });
        moreBox.appendChild(btn);
      } else if (shown > LIMIT) {
        moreBox.appendChild(h('p.muted', t('audit.end')));
      }
    }
    const head = ['audit.col.at', 'audit.col.who', 'audit.col.action', 'audit.col.object', 'audit.col.result', 'audit.col.detail', 'audit.col.remote'];
    const table = h('div.table-wrap', h('table.data-table.data-table--cards.audit-table',
      h('caption.sr-only', t('audit.results')),
      h('thead', h('tr', head.map((k) => h('th', { scope: 'col' }, t(k))))),
      tbody));
    add(first);
    return h('div', count, table, moreBox);
  });
  return title;
}

/* The hash chain: every row carries the hash of the one before; a changed or deleted row breaks it. */
function verifySection() {
  const s = section(t('audit.verifyTitle'));
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button.btn.btn--secondary', { type: 'button' }, t('audit.verify'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    const label = btn.textContent;
    btn.textContent = t('audit.verifying');
    try {
      const r = await get('/audit/verify');
      replace(out, r.intact
        ? h('div.notice.notice--ok', { role: 'status' }, h('p.notice__title', t('audit.intact', { n: fmtNumber(r.checked) })),
          h('p', t('audit.checkedAt', { at: fmtDateTime(new Date().toISOString(), { seconds: true }) })))
        : h('div.notice.notice--error', { role: 'alert' }, h('p.notice__title', t('audit.broken', { id: r.first_bad_id })),
          h('p', t('audit.brokenHelp', { n: fmtNumber(r.checked) })),
          r.first_bad_id ? h('p', h('a', { href: `#/audit?before_id=${r.first_bad_id + 1}` }, t('audit.brokenShow'))) : null));
    } catch (e) {
      replace(out, errorState(e, { compact: true }));
    } finally {
      btn.disabled = false;
      btn.textContent = label;
    }
  });
  s.body.append(h('p.hint', t('audit.verifyHint')), btn, out);
  return s.el;
}

function filterForm(filters, users) {
  const actionOptions = [{ value: '', label: t('audit.filter.any') }, ...ACTIONS.map(([v, k]) => ({ value: v, label: t(k) }))];
  if (filters.action && !ACTIONS.some(([v]) => v === filters.action)) {
    actionOptions.push({ value: filters.action, label: t('audit.filter.contains', { text: filters.action }) });
  }
  const action = field({ name: 'action', label: t('audit.filter.action'), type: 'select', value: filters.action, optionalMark: false, options: actionOptions });
  const type = field({
    name: 'object_type', label: t('audit.filter.type'), type: 'select', value: filters.object_type, optionalMark: false,
    options: [{ value: '', label: t('audit.filter.any') }, ...TYPES.map((v) => ({ value: v, label: typeLabel(v) }))],
  });
  const objectId = field({ name: 'object_id', label: t('audit.filter.objectId'), value: filters.object_id, optionalMark: false, hint: t('audit.filter.objectIdHint'), attrs: { inputmode: 'numeric', autocomplete: 'off', maxlength: 30 } });
  const result = field({
    name: 'result', label: t('audit.filter.result'), type: 'select', value: filters.result, optionalMark: false,
    options: [{ value: '', label: t('audit.filter.any') }, ...RESULTS.map((v) => ({ value: v, label: t(`audit.result.${v}`) }))],
  });
  const user = users
    ? field({
      name: 'user_id', label: t('audit.filter.user'), type: 'select', value: filters.user_id, optionalMark: false,
      options: [{ value: '', label: t('audit.filter.anyone') }, ...users.map((u) => ({ value: u.id, label: u.display_name ? `${u.display_name}（${u.login}）` : u.login }))],
    })
    : field({ name: 'user_id', label: t('audit.filter.userId'), type: 'number', value: filters.user_id, optionalMark: false, attrs: { min: 1, inputmode: 'numeric' } });
  const from = field({ name: 'from', label: t('audit.filter.from'), type: 'date', value: filters.from, optionalMark: false, attrs: { max: today() } });
  const to = field({ name: 'to', label: t('audit.filter.to'), type: 'date', value: filters.to, optionalMark: false, attrs: { max: today() } });
  const open = Boolean(filters.object_type || filters.object_id || filters.from || filters.to);
  const more = disclosure(t('audit.filter.more'), h('div.filters__grid', type.el, objectId.el, from.el, to.el), { open, className: 'filters__more' });
  const any = Object.values(filters).some(Boolean);
  const el = h('form.filters', { role: 'search', 'aria-label': t('audit.filter.label') },
    h('div.filters__grid', action.el, user.el, result.el), more,
    h('div.form__buttons',
      h('button.btn', { type: 'submit' }, t('action.search')),
      any ? h('a.btn.btn--secondary', { href: '#/audit' }, t('action.clearFilters')) : null));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    let f = from.getValue();
    let tt = to.getValue();
    if (f && tt && f > tt) [f, tt] = [tt, f];
    navigate('/audit', {
      action: action.getValue(), object_type: type.getValue(), object_id: objectId.getValue(), result: result.getValue(),
      user_id: user.getValue(), from: f, to: tt,
    });
  });
  return el;
}

function typeLabel(type) {
  return type && has(`audit.type.${type}`) ? t(`audit.type.${type}`) : type;
}

/** "POST /api/v1/persons/{id}/reveal" in words; the raw action stays beside it. */
function actionLabel(action) {
  if (action === 'login') return t('audit.act.login');
  const m = /^(GET|POST|PATCH|PUT|DELETE) \/api\/v1\/(.*)$/.exec(action || '');
  if (!m) return action || '';
  const [, method, path] = m;
  if (path === 'auth/logout') return t('audit.act.logout');
  if (path === 'auth/password') return t('audit.act.password');
  if (path.endsWith('/reveal')) return t('audit.act.reveal');
  if (path.endsWith('/reset-password')) return t('audit.act.reset');
  if (path.startsWith('export/')) return t('audit.act.export');
  if (path.startsWith('import/')) return t('audit.act.import');
  const type = path.split('/')[0];
  const verb = { GET: 'audit.verb.get', POST: path.includes('{id}') ? 'audit.verb.act' : 'audit.verb.post', PATCH: 'audit.verb.patch', PUT: 'audit.verb.patch', DELETE: 'audit.verb.delete' }[method];
  return t(verb, { what: typeLabel(type) });
}

/** The server's detail in words where it is one of the known phrases. */
function detailText(r) {
  const d = r.detail || '';
  if (!d) return '';
  const m = /^revealed (.+)$/.exec(d);
  if (m) return t('audit.detail.revealed', { fields: m[1].split(',').map((f) => (has(`audit.field.${f}`) ? t(`audit.field.${f}`) : f)).join(t('common.slash')) });
  const known = {
    'bad credentials': 'audit.detail.badCredentials',
    'account disabled': 'audit.detail.disabled',
    'locked after repeated failures': 'audit.detail.locked',
    'missing or wrong CSRF token': 'audit.detail.csrf',
  };
  if (known[d]) return t(known[d]);
  if (r.result === 'denied' && /^[a-z]+\.[a-z]+$/.test(d)) return t('audit.detail.lacks', { perm: permissionLabel(d) });
  return h('span', { lang: 'en' }, d);
}

/** Where the object can be opened in this app, when the user may open it. */
function objectLink(r) {
  const id = r.object_id;
  if (!id || !/^\d+$/.test(id)) return null;
  if (r.object_type === 'persons' && can('people.read')) return `#/persons/${id}`;
  if (r.object_type === 'nodes' && can('org.read')) return `#/org/node/${id}`;
  if ((r.object_type === 'users' || r.object_type === 'user') && can('users.read')) return `#/users/${id}`;
  return null;
}

function auditRow(r, logins) {
  const u = r.user_id ? logins.get(r.user_id) : null;
  const who = r.login || (r.user_id ? String(r.user_id) : '');
  const objText = r.object_type ? `${typeLabel(r.object_type)}${r.object_id ? ` #${r.object_id}` : ''}` : '';
  const link = objectLink(r);
  const variant = { success: 'ok', failure: 'warn', denied: 'past' }[r.result] || '';
  const cells = [
    h('time', { datetime: r.at }, fmtDateTime(r.at, { seconds: true })),
    who ? h('span', r.user_id ? h('a', { href: `#/audit?user_id=${r.user_id}` }, who) : who, u && u.display_name ? h('span.muted', ` ${u.display_name}`) : null) : '',
    h('span', h('span.audit__action', actionLabel(r.action)), actionLabel(r.action) !== r.action ? h('code.audit__raw', r.action) : null),
    objText ? (link ? h('a', { href: link }, objText) : objText) : '',
    badge(has(`audit.result.${r.result}`) ? t(`audit.result.${r.result}`) : r.result, variant),
    detailText(r),
    r.remote || '',
  ];
  const head = ['audit.col.at', 'audit.col.who', 'audit.col.action', 'audit.col.object', 'audit.col.result', 'audit.col.detail', 'audit.col.remote'];
  return h(`tr.audit-row.audit-row--${r.result}`, { dataset: { id: String(r.id) } }, cells.map((c, i) => {
    const empty = c === '' || c === null;
    return h(i === 0 ? 'th' : 'td', {
      scope: i === 0 ? 'row' : null,
      'data-label': t(head[i]),
      class: [empty ? 'is-empty' : '', i === 0 || i === 2 || i === 5 ? 'is-wide' : ''].join(' ').trim() || null,
    }, h('div.cell', empty ? h('span.muted', t('common.none')) : c));
  }));
}
