// councils.js - 议事会: the courtyard and community councils of the user's scope (GET /councils) with
// their term and members, and this year's figures (GET /council-figures): meetings held and how many had
// the quorum, proposals by result, resolutions done on time, notices published.  Needs council.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { get, list } from '../api.js';
import { pageTitle, section, emptyState } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { ruleLabel } from '../council.js';

export async function render({ outlet, signal }) {
  const title = t('councils.title');
  const [page, fg] = await Promise.all([list('/councils', { limit: 200 }, signal), get('/council-figures', null, signal)]);
  const results = section(t('councils.listTitle', { n: fmtNumber(page.total) }), { id: 'council-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: t('councils.title'),
    cols: [{ label: t('councils.col.name'), wide: true }, { label: t('councils.col.term') }, { label: t('councils.col.members') },
      { label: t('councils.col.rule') }],
    rows: page.items.map((c) => [h('a', { href: `#/councils/${c.id}` }, c.name),
      t('councils.term', { from: fmtDate(c.term_start), to: fmtDate(c.term_end) }), fmtNumber(c.members),
      t('councils.ruleText', { rule: ruleLabel(c.pass_rule), q: c.quorum_percent })]),
  }) : emptyState(t('councils.none')));
  const figs = section(t('councils.figures', { year: fg.year }), { id: 'council-figures' });
  const pct = (v) => (v === null ? '—' : `${v}%`);
  figs.body.appendChild(h('ul.plain-list',
    h('li', t('councils.fig.meetings', { n: fmtNumber(fg.meetings.held), q: fmtNumber(fg.meetings.quorate), pct: pct(fg.meetings.quorum_percent) })),
    h('li', t('councils.fig.proposals', { n: fmtNumber(fg.proposals.raised), passed: fmtNumber(fg.proposals.passed),
      rejected: fmtNumber(fg.proposals.rejected), noq: fmtNumber(fg.proposals.no_quorum) })),
    h('li', t('councils.fig.resolutions', { due: fmtNumber(fg.resolutions.due), done: fmtNumber(fg.resolutions.done),
      ontime: fmtNumber(fg.resolutions.on_time), pct: pct(fg.resolutions.on_time_percent) })),
    h('li', t('councils.fig.notices', { n: fmtNumber(fg.notices.published) }))));
  replace(outlet, pageTitle(title), h('p.page__intro', t('councils.intro')), results.el, figs.el);
  return title;
}
