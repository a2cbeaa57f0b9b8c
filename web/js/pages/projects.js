// projects.js - 重点项目: the key projects of the user's scope (GET /projects), by
// stage (a filter in the address), with investment in 亿元, paged.  Needs project.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { list } from '../api.js';
import { pageTitle, section, emptyState, pager, badge } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { STAGES, stageLabel } from '../project.js';

const LIMIT = 50;

export async function render({ outlet, query, signal }) {
  const title = t('projects.title');
  const stage = STAGES.includes(query.stage) ? query.stage : '';
  const offset = /^\d+$/.test(query.offset || '') ? Number(query.offset) : 0;
  const page = await list('/projects', { stage, limit: LIMIT, offset }, signal);
  const href = (params) => `#/projects?${new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== 0)).toString()}`;
  const filter = h('nav.stage-filter', { 'aria-label': t('projects.filterLabel') },
    h('ul', ['', ...STAGES].map((s) => h('li', h('a.btn.btn--small', {
      href: href({ stage: s }), class: s === stage ? 'btn--secondary is-current' : 'btn--secondary',
      'aria-current': s === stage ? 'page' : null,
    }, s ? stageLabel(s) : t('projects.allStages'))))));
  const results = section(t('projects.listTitle', { n: fmtNumber(page.total) }), { id: 'project-list' });
  if (!page.items.length) {
    results.body.appendChild(emptyState(stage ? t('projects.noneAtStage') : t('projects.none')));
  } else {
    results.body.appendChild(cardTable({
      caption: t('projects.title'),
      cols: [
        { label: t('projects.col.name'), wide: true }, { label: t('projects.col.code') }, { label: t('projects.col.stage') },
        { label: t('projects.col.total') }, { label: t('projects.col.owner'), wide: true },
      ],
      rows: page.items.map((p) => [
        h('a', { href: `#/projects/${p.id}` }, p.name), p.code, badge(stageLabel(p.stage, p.build_kind)),
        t('projects.yi', { v: p.investment_total_yi }), p.owner_name || '',
      ]),
    }));
    results.body.appendChild(pager({ total: page.total, limit: LIMIT, offset, hrefFor: (o) => href({ stage, offset: o }) }) || '');
  }
  replace(outlet, pageTitle(title), h('p.page__intro', t('projects.intro')), filter, results.el);
  return title;
}
