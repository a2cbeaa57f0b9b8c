// volunteer-teams.js - 志愿队伍 (#/volunteers/teams): the teams of the user's scope (a volunteer: their own),
// by kind, with place, leader and members today; staff make a new team on a courtyard, community or
// subdistrict.  GET /volunteer-teams, POST /volunteer-teams.

import { h, replace } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { list, post } from '../api.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, field, form, disclosure, badge } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { nodePicker, personPicker } from '../components/picker.js';
import { nodesById } from '../format.js';
import { KINDS, kindLabel } from '../volunteer.js';

export async function render({ outlet, query, signal }) {
  const title = t('vol.teams.title');
  const kind = KINDS.includes(query.kind) ? query.kind : '';
  const page = await list('/volunteer-teams', { kind, limit: 200, all: can('volunteer.write') ? 'true' : '' }, signal);
  const nodes = await nodesById(page.items.map((x) => x.node_id));
  const filter = h('nav.stage-filter', { 'aria-label': t('vol.teams.filter') },
    h('ul', ['', ...KINDS].map((k) => h('li', h('a.btn.btn--small', {
      href: k ? `#/volunteers/teams?kind=${k}` : '#/volunteers/teams',
      class: k === kind ? 'btn--secondary is-current' : 'btn--secondary', 'aria-current': k === kind ? 'page' : null,
    }, k ? kindLabel(k) : t('vol.teams.all'))))));
  const results = section(t('vol.teams.count', { n: fmtNumber(page.total) }), { id: 'vol-teams' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('vol.col.team'), wide: true }, { label: t('vol.col.kind') }, { label: t('vol.col.place') },
      { label: t('vol.col.leader') }, { label: t('vol.col.members') }],
    rows: page.items.map((x) => [
      h('span', h('a', { href: `#/volunteers/teams/${x.id}` }, x.name), x.active ? '' : [' ', badge(t('vol.retired'), 'past')]),
      kindLabel(x.kind), nodes.get(x.node_id)?.name || '', x.leader_name || '', fmtNumber(x.members)]),
  }) : emptyState(t('vol.teams.none')));
  const links = h('p.vol-links.no-print', h('a', { href: '#/volunteers' }, t('vol.me.title')), ' · ',
    h('a', { href: '#/volunteers/shop' }, t('vol.shop.title')), ' · ',
    h('a', { href: '#/volunteers/patrols' }, t('vol.patrol.title')),
    can('volunteer.write') || !can('volunteer.act') ? [' · ', h('a', { href: '#/volunteers/figures' }, t('vol.fig.title'))] : null);
  replace(outlet, pageTitle(title), h('p.page__intro', t('vol.teams.intro')), links, filter, results.el,
    can('volunteer.write') ? newTeamForm() : '');
  return title;
}

function newTeamForm() {
  const name = field({ name: 'name', label: t('vol.field.teamName'), required: true, attrs: { maxlength: 100 } });
  const kind = field({ name: 'kind', label: t('vol.col.kind'), type: 'select', required: true,
    options: KINDS.map((k) => ({ value: k, label: kindLabel(k) })) });
  const node = nodePicker({ name: 'node_id', label: t('vol.col.place'), levels: ['courtyard', 'community', 'subdistrict'], required: true });
  const leader = personPicker({ name: 'leader_person_id', label: t('vol.col.leader'), hint: t('vol.field.leaderHint') });
  const limit = field({ name: 'weekly_limit_hours', label: t('vol.field.weeklyLimit'), type: 'number', hint: t('vol.field.weeklyLimitHint'),
    attrs: { min: 1, max: 168, inputmode: 'numeric' } });
  const cutoff = field({ name: 'cutoff_hours', label: t('vol.field.cutoff'), type: 'number', value: 24, hint: t('vol.field.cutoffHint'),
    attrs: { min: 0, max: 168, inputmode: 'numeric' } });
  const f = form({
    fields: [name, kind, node, leader, limit, cutoff],
    submitLabel: t('vol.teams.create'),
    fieldMap: { weekly_limit_minutes: 'weekly_limit_hours' },
    async onSubmit(v) {
      const body = { name: v.name, kind: v.kind, node_id: Number(v.node_id) };
      if (v.leader_person_id) body.leader_person_id = Number(v.leader_person_id);
      if (v.weekly_limit_hours) body.weekly_limit_minutes = Math.round(Number(v.weekly_limit_hours) * 60);
      if (v.cutoff_hours !== '') body.cutoff_hours = Number(v.cutoff_hours);
      const team = await post('/volunteer-teams', body);
      navigate(`/volunteers/teams/${team.id}`);
    },
  });
  return disclosure(t('vol.teams.create'), f.el, { className: 'no-print' });
}
