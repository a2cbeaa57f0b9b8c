// cobuild-projects.js - 共驻共建: the projects built from residents' needs under the user's scope (GET
// /cobuild-projects), each with its state and, while nobody has claimed it, the engine's card; the
// claims the user may see (a unit's contact: only their unit's); and, with cobuild.write, the form that
// builds a project from open needs with resources matched.  Needs cobuild.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate, fmtDateTime } from '../i18n.js';
import { list, post } from '../api.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { cardBadge } from '../project.js';
import { PROJECT_STATES, word, stateBadge, places, checkGroup } from '../cobuild.js';
import { nav } from './needs.js';

export async function render({ outlet, query, signal }) {
  const title = t('cobuild.projects.title');
  const status = PROJECT_STATES.includes(query.status) ? query.status : '';
  const [page, claims] = await Promise.all([list('/cobuild-projects', { status, limit: 500 }, signal),
    list('/cobuild-claims', { limit: 500 }, signal)]);
  const filter = h('nav.stage-filter', { 'aria-label': t('cobuild.projects.filter') },
    h('ul', ['', ...PROJECT_STATES].map((s) => h('li', h('a.btn.btn--small', {
      href: s ? `#/cobuild?status=${s}` : '#/cobuild', class: s === status ? 'btn--secondary is-current' : 'btn--secondary',
      'aria-current': s === status ? 'page' : null,
    }, s ? word('projectState', s) : t('cobuild.all'))))));
  const results = section(t('cobuild.projects.list', { n: fmtNumber(page.total) }), { id: 'cobuild-project-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('cobuild.col.project'), wide: true }, { label: t('cobuild.col.needs') }, { label: t('cobuild.col.claimBy') },
      { label: t('cobuild.col.state') }],
    rows: page.items.map((p) => [h('a', { href: `#/cobuild/projects/${p.id}` }, p.title), fmtNumber(p.need_ids.length),
      fmtDate(p.claim_by), h('span.badges', stateBadge('projectState', p.status), p.status === 'open' ? cardBadge(p.card) : null)]),
  }) : emptyState(t('cobuild.projects.none')));
  const claimSec = section(t('cobuild.claims.list', { n: fmtNumber(claims.total) }), { id: 'cobuild-claim-list' });
  claimSec.body.appendChild(claims.items.length ? cardTable({
    caption: t('cobuild.claims.caption'),
    cols: [{ label: t('cobuild.col.project'), wide: true }, { label: t('cobuild.col.claimant') }, { label: t('cobuild.col.due') },
      { label: t('cobuild.col.state') }],
    rows: claims.items.map((c) => [h('a', { href: `#/cobuild/projects/${c.project_id}` }, c.project_title), c.claimant || '',
      c.deadline ? fmtDateTime(c.deadline) : fmtDate(c.due_on),
      h('span.badges', stateBadge('claimState', c.status), c.status === 'claimed' ? cardBadge(c.card) : null)]),
  }) : emptyState(t('cobuild.claims.none')));
  const parts = [pageTitle(title), h('p.page__intro', t('cobuild.projects.intro')), nav()];
  if (can('cobuild.write')) parts.push((await buildForm(signal)).el);
  replace(outlet, ...parts, filter, results.el, claimSec.el);
  return title;
}

async function buildForm(signal) {
  const s = section(t('cobuild.projects.build'), { id: 'cobuild-project-build' });
  const [needs, resources, where] = await Promise.all([list('/cobuild-needs', { status: 'open', limit: 500 }, signal),
    list('/cobuild-resources', { limit: 500 }, signal), places(signal)]);
  if (!needs.items.length) {
    s.body.appendChild(emptyState(t('cobuild.projects.noOpenNeeds')));
    return s;
  }
  const f = form({
    fields: [
      field({ name: 'title', label: t('cobuild.col.project'), required: true, attrs: { maxlength: 100 } }),
      field({ name: 'node_id', label: t('cobuild.col.place'), type: 'select', required: true, options: where }),
      checkGroup({ name: 'need_ids', legend: t('cobuild.projects.fromNeeds'), hint: t('cobuild.projects.fromNeedsHint'),
        items: needs.items.map((n) => ({ value: n.id, label: n.title })) }),
      checkGroup({ name: 'resource_ids', legend: t('cobuild.projects.resources'),
        items: resources.items.map((r) => ({ value: r.id, label: `${r.title}（${r.offered_by || ''}）` })) }),
      field({ name: 'claim_by', label: t('cobuild.col.claimBy'), type: 'date', hint: t('cobuild.projects.claimByHint') }),
      field({ name: 'detail', label: t('cobuild.needs.detail'), type: 'textarea' }),
    ],
    submitLabel: t('cobuild.projects.submit'),
    validate: (v) => (v.need_ids.length ? {} : { need_ids: t('cobuild.projects.needOne') }),
    async onSubmit(v) {
      const body = { title: v.title, node_id: Number(v.node_id), need_ids: v.need_ids, resource_ids: v.resource_ids };
      if (v.claim_by) body.claim_by = v.claim_by;
      if (v.detail) body.detail = v.detail;
      const p = await post('/cobuild-projects', body);
      navigate(`/cobuild/projects/${p.id}`);
    },
  });
  s.body.appendChild(f.el);
  return s;
}
