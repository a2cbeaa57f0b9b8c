// needs.js - 需求清单: residents' needs under the user's scope (GET /cobuild-needs), by state (a filter in
// the address), and, with cobuild.act, the form a grid member fills on the spot: where, what, of what
// kind and urgency, who raised it.  Needs cobuild.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { list, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, badge, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { NEED_KINDS, NEED_SOURCES, word, options, stateBadge, places } from '../cobuild.js';

const STATES = ['open', 'planned', 'met'];

export async function render({ outlet, query, signal }) {
  const title = t('cobuild.needs.title');
  const status = STATES.includes(query.status) ? query.status : '';
  const page = await list('/cobuild-needs', { status, limit: 500 }, signal);
  const filter = h('nav.stage-filter', { 'aria-label': t('cobuild.needs.filter') },
    h('ul', ['', ...STATES].map((s) => h('li', h('a.btn.btn--small', {
      href: s ? `#/cobuild/needs?status=${s}` : '#/cobuild/needs', class: s === status ? 'btn--secondary is-current' : 'btn--secondary',
      'aria-current': s === status ? 'page' : null,
    }, s ? word('needState', s) : t('cobuild.all'))))));
  const results = section(t('cobuild.needs.list', { n: fmtNumber(page.total) }), { id: 'need-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('cobuild.col.need'), wide: true }, { label: t('cobuild.col.kind') }, { label: t('cobuild.col.raised') },
      { label: t('cobuild.col.state') }],
    rows: page.items.map((n) => [n.title, word('needKind', n.kind), fmtDate(n.raised_on),
      h('span.badges', stateBadge('needState', n.status), n.urgency === 'urgent' ? badge(word('urgency', 'urgent'), 'danger') : null,
        n.project_id ? h('a', { href: `#/cobuild/projects/${n.project_id}` }, t('cobuild.needs.toProject')) : null)]),
  }) : emptyState(t('cobuild.needs.none')));
  const parts = [pageTitle(title), h('p.page__intro', t('cobuild.needs.intro')), nav()];
  if (can('cobuild.act')) parts.push((await raiseForm(signal)).el);
  replace(outlet, ...parts, filter, results.el);
  return title;
}

/** Links between the pages of co-building. */
export function nav() {
  return h('nav.stage-filter', { 'aria-label': t('cobuild.nav') }, h('ul',
    h('li', h('a.btn.btn--small.btn--secondary', { href: '#/cobuild' }, t('cobuild.projects.title'))),
    h('li', h('a.btn.btn--small.btn--secondary', { href: '#/cobuild/needs' }, t('cobuild.needs.title'))),
    h('li', h('a.btn.btn--small.btn--secondary', { href: '#/cobuild/units' }, t('cobuild.units.title')))));
}

async function raiseForm(signal) {
  const s = section(t('cobuild.needs.raise'), { id: 'need-raise' });
  const f = form({
    fields: [
      field({ name: 'node_id', label: t('cobuild.col.place'), type: 'select', required: true, options: await places(signal) }),
      field({ name: 'title', label: t('cobuild.col.need'), required: true, hint: t('cobuild.needs.titleHint'), attrs: { maxlength: 100 } }),
      field({ name: 'kind', label: t('cobuild.col.kind'), type: 'select', required: true, options: options('needKind', NEED_KINDS) }),
      field({ name: 'urgency', label: t('cobuild.needs.urgency'), type: 'select', options: options('urgency', ['normal', 'urgent']) }),
      field({ name: 'source', label: t('cobuild.needs.source'), type: 'select', required: true, value: 'grid_member',
        options: options('source', NEED_SOURCES.filter((x) => x !== 'work_order')) }),
      field({ name: 'detail', label: t('cobuild.needs.detail'), type: 'textarea' }),
    ],
    submitLabel: t('cobuild.needs.submit'),
    fieldMap: { raised_by_person_id: 'source' },
    async onSubmit(v) {
      const body = { node_id: Number(v.node_id), title: v.title, kind: v.kind, urgency: v.urgency || 'normal', source: v.source };
      if (v.detail) body.detail = v.detail;
      await post('/cobuild-needs', body);
      await refresh();
    },
  });
  s.body.appendChild(f.el);
  return s;
}
