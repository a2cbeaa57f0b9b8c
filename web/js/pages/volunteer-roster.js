// volunteer-roster.js - a team's weekly roster (#/volunteers/teams/:id/roster?week=YYYY-MM-DD&board=1): Monday to
// Sunday, each day's shifts with their hours, kind, place and the names on them (★ a party member), and those
// still short.  Printed on one A4 page; ?board=1 is the same roster in large print for the notice board.

import { h, replace } from '../dom.js';
import { t, fmtDate, today } from '../i18n.js';
import { get, list } from '../api.js';
import { pageTitle } from '../ui.js';
import { hhmm, weekday, names, fillText } from '../volunteer.js';

const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
const mondayOf = (d) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

export async function render({ outlet, params, query, signal }) {
  const monday = mondayOf(/^\d{4}-\d{2}-\d{2}$/.test(query.week || '') ? query.week : today());
  const sunday = addDays(monday, 6);
  const board = query.board === '1';
  const [team, shifts] = await Promise.all([
    get(`/volunteer-teams/${params.id}`, null, signal),
    list('/volunteer-shifts', { team_id: params.id, from: monday, to: sunday, limit: 500 }, signal),
  ]);
  const title = t('vol.roster.title', { team: team.name });
  const base = `#/volunteers/teams/${team.id}/roster`;
  const link = (week, b) => `${base}?week=${week}${b ? '&board=1' : ''}`;
  const nav = h('p.vol-links.no-print',
    h('a', { href: `#/volunteers/teams/${team.id}` }, t('vol.roster.back')), ' · ',
    h('a', { href: link(addDays(monday, -7), board) }, t('vol.roster.prev')), ' · ',
    h('a', { href: link(addDays(monday, 7), board) }, t('vol.roster.next')), ' · ',
    h('a', { href: link(monday, !board) }, board ? t('vol.roster.plain') : t('vol.roster.board')), ' ',
    h('button.btn.btn--small', { type: 'button', onclick: () => window.print() }, t('vol.roster.print')));
  const days = [0, 1, 2, 3, 4, 5, 6].map((i) => addDays(monday, i));
  const rows = days.map((d) => {
    const of = shifts.items.filter((x) => x.day === d && x.state !== 'cancelled');
    return h('tr',
      h('th', { scope: 'row' }, h('span.vol-roster__day', fmtDate(d)), ' ', h('span.vol-roster__wd', weekday(d))),
      h('td', of.length ? h('ul.vol-roster__shifts', of.map((x) => h('li',
        h('strong', `${hhmm(x.starts_at)}–${hhmm(x.ends_at)}`), ' ', x.type_name, x.place ? ` · ${x.place}` : '',
        h('br'), names(x.on) || h('span.muted', t('vol.roster.nobody')),
        x.filled < x.people && x.state === 'open' ? h('span.vol-roster__short', ` ${t('vol.roster.short', { fill: fillText(x) })}`) : null)))
        : h('span.muted', t('vol.roster.none'))));
  });
  const table = h('table.vol-roster__table', h('caption.sr-only', title),
    h('thead', h('tr', h('th', { scope: 'col' }, t('vol.roster.day')), h('th', { scope: 'col' }, t('vol.roster.shifts')))),
    h('tbody', rows));
  replace(outlet, h(`div.vol-roster${board ? '.vol-roster--board' : ''}`,
    nav, pageTitle(title),
    h('p.vol-roster__week', t('vol.roster.week', { from: fmtDate(monday), to: fmtDate(sunday) }),
      team.leader_name ? ` · ${t('vol.roster.leader', { name: team.leader_name })}` : ''),
    h('div.table-wrap', table),
    h('p.vol-roster__foot', t('vol.roster.foot'))));
  return title;
}
