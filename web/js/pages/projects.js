// projects.js - 重点项目: the key projects of the user's scope (GET /projects), by
// stage (a filter in the address), with investment in 亿元, paged.  Needs project.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { get, list } from '../api.js';
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
  const figures = await get('/project-figures', null, signal);
  replace(outlet, pageTitle(title), h('p.page__intro', t('projects.intro')), figuresSection(figures).el, filter, results.el);
  return title;
}

/** The office's figures this year, from GET /project-figures: by stage, meetings, problems, tasks. */
function figuresSection(f) {
  const s = section(t('projects.figures', { year: f.year }), { id: 'project-figures' });
  s.body.append(cardTable({
    caption: t('projects.byStage'),
    cols: [{ label: t('projects.col.stage') }, { label: t('projects.fig.projects') }, { label: t('projects.col.total') },
      { label: t('projects.fig.thisYear') }],
    rows: [...f.by_stage.map((x) => [stageLabel(x.stage), fmtNumber(x.projects), t('projects.yi', { v: x.investment_total_yi }),
      t('projects.fig.thisYearText', { n: fmtNumber(x.this_year), v: x.investment_this_year_yi })]),
    [t('projects.fig.total'), fmtNumber(f.projects), t('projects.yi', { v: f.investment_total_yi }), '']],
  }), h('ul.plain-list',
    h('li', t('projects.fig.plan', { v: f.investment_plan_yi, done: f.investment_completed_yi })),
    h('li', t('projects.fig.meetings', { n: fmtNumber(f.meetings_held) })),
    h('li', t('projects.fig.problems', { raised: fmtNumber(f.problems.raised), closed: fmtNumber(f.problems.closed),
      open: fmtNumber(f.problems.open), overdue: fmtNumber(f.problems.overdue_now) })),
    f.problems.median_days_to_close !== null ? h('li', t('projects.fig.median', { d: f.problems.median_days_to_close })) : null,
    h('li', t('projects.fig.tasks', { due: fmtNumber(f.tasks.due), done: fmtNumber(f.tasks.done), ontime: fmtNumber(f.tasks.on_time) }))));
  return s;
}
