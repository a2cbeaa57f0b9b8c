// volunteer-figures.js - 志愿服务数据 (#/volunteers/figures?from=&to=): for the user's scope and a period (this year
// by default; both in the address, so a view can be bookmarked and printed): shifts closed and their fill rate,
// the no-show rate, hours and points served, exchanged, active volunteers and their share of each courtyard's
// residents, hours by team, month and person, patrol incidents and the work orders they became.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate, today } from '../i18n.js';
import { get } from '../api.js';
import { navigate } from '../router.js';
import { pageTitle, section, emptyState, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { kindLabel, minutesText } from '../volunteer.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${v}%`);

export async function render({ outlet, query, signal }) {
  const from = /^\d{4}-\d{2}-\d{2}$/.test(query.from || '') ? query.from : `${today().slice(0, 4)}-01-01`;
  const to = /^\d{4}-\d{2}-\d{2}$/.test(query.to || '') ? query.to : today();
  const f = await get('/volunteer-figures', { from, to }, signal);
  const title = t('vol.fig.title');
  const period = form({
    fields: [field({ name: 'from', label: t('vol.fig.from'), type: 'date', value: from, required: true }),
      field({ name: 'to', label: t('vol.fig.to'), type: 'date', value: to, required: true })],
    submitLabel: t('vol.fig.show'),
    className: 'filters no-print',
    async onSubmit(v) { navigate('/volunteers/figures', { from: v.from, to: v.to }); },
  });
  const card = (label, value, note) => h('div.stat-card', h('p.stat-card__title', label), h('p.stat-card__big', value),
    note ? h('p.muted', note) : null);
  const cards = h('div.stat-cards',
    card(t('vol.fig.fill'), pct(f.shifts.fill_percent), t('vol.fig.fillNote', { closed: fmtNumber(f.shifts.closed), taken: fmtNumber(f.shifts.places_taken), needed: fmtNumber(f.shifts.places_needed) })),
    card(t('vol.fig.noShow'), pct(f.attendance.no_show_percent), t('vol.fig.noShowNote', { n: fmtNumber(f.attendance.no_show), late: fmtNumber(f.attendance.late), places: fmtNumber(f.attendance.places) })),
    card(t('vol.fig.hours'), minutesText(f.served.minutes), t('vol.fig.hoursNote', { points: fmtNumber(f.served.points), redeemed: fmtNumber(f.served.redeemed) })),
    card(t('vol.fig.active'), fmtNumber(f.served.volunteers)),
    card(t('vol.fig.incidents'), fmtNumber(f.patrols.incidents), t('vol.fig.incidentsNote', { patrols: fmtNumber(f.patrols.patrols), orders: fmtNumber(f.patrols.work_orders), closed: fmtNumber(f.patrols.work_orders_closed) })));
  const table = (id, heading, cols, rows, none) => {
    const s = section(heading, { id });
    s.body.appendChild(rows.length ? cardTable({ caption: heading, cols: cols.map((c) => ({ label: c })), rows }) : emptyState(none));
    return s.el;
  };
  replace(outlet, pageTitle(title), h('p.page__intro', t('vol.fig.period', { from: fmtDate(f.from), to: fmtDate(f.to) })),
    period.el, cards,
    table('vol-fig-teams', t('vol.fig.byTeam'), [t('vol.col.team'), t('vol.col.kind'), t('vol.fig.hours'), t('vol.ledger.points'), t('vol.fig.shifts'), t('vol.fig.fill')],
      f.teams.map((x) => [h('a', { href: `#/volunteers/teams/${x.team_id}` }, x.name), kindLabel(x.kind), minutesText(x.minutes), fmtNumber(x.points), fmtNumber(x.shifts), pct(x.fill_percent)]),
      t('vol.fig.none')),
    table('vol-fig-months', t('vol.fig.byMonth'), [t('vol.fig.month'), t('vol.fig.hours'), t('vol.ledger.points'), t('vol.fig.active')],
      f.months.map((x) => [x.month, minutesText(x.minutes), fmtNumber(x.points), fmtNumber(x.volunteers)]), t('vol.fig.none')),
    table('vol-fig-courtyards', t('vol.fig.byCourtyard'), [t('vol.fig.courtyard'), t('vol.fig.active'), t('vol.fig.residents'), t('vol.fig.share')],
      f.courtyards.map((x) => [x.name, fmtNumber(x.volunteers), fmtNumber(x.residents), pct(x.share_percent)]), t('vol.fig.none')),
    f.persons.length ? table('vol-fig-persons', t('vol.fig.byPerson'), [t('vol.col.name'), t('vol.fig.hours'), t('vol.ledger.points')],
      f.persons.map((x) => [h('a', { href: `#/volunteers/people/${x.person_id}` }, x.name), minutesText(x.minutes), fmtNumber(x.points)]), '') : '');
  return title;
}
