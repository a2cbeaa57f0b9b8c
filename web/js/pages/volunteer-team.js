// volunteer-team.js - one team (#/volunteers/teams/:id): its facts, members today (staff: add one, a member
// leaves on a day), kinds of duty (staff: add one), the shifts of the next two weeks with who is on them and
// their short-shift cards, and, for the team's leader and staff, planning a shift or a repeat rule ("every
// evening 19:00-21:00 for a month").  The weekly roster prints from #/volunteers/teams/:id/roster.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate, today } from '../i18n.js';
import { get, list, post, patch, getNode } from '../api.js';
import { refresh, navigate } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, field, form, disclosure, badge, refreshAndFocus } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { personPicker } from '../components/picker.js';
import { placeName } from '../format.js';
import { kindLabel, shiftWhen, fillText, names, shortBadge, stateBadge, minutesText, localInput } from '../volunteer.js';

const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

export async function render({ outlet, params, signal }) {
  const team = await get(`/volunteer-teams/${params.id}`, null, signal);
  const from = today();
  const [shifts, node] = await Promise.all([
    list('/volunteer-shifts', { team_id: team.id, from, to: addDays(from, 13), limit: 200 }, signal),
    getNode(team.node_id).catch(() => null),
  ]);
  const staff = team.my_part === 'staff';
  const plans = staff || team.my_part === 'leader';
  const title = team.name;

  const facts = section(t('vol.team.facts'), { id: 'vol-team-facts' });
  facts.body.appendChild(dl([
    [t('vol.col.kind'), kindLabel(team.kind)],
    [t('vol.col.place'), node ? placeName(node) : ''],
    [t('vol.col.leader'), team.leader_name || ''],
    [t('vol.field.weeklyLimit'), team.weekly_limit_minutes ? minutesText(team.weekly_limit_minutes) : t('vol.team.noLimit')],
    [t('vol.field.cutoff'), t('vol.team.cutoffText', { n: team.cutoff_hours })],
    [t('vol.team.description'), team.description || ''],
  ]));
  const roster = h('p.vol-links.no-print',
    h('a.btn.btn--secondary', { href: `#/volunteers/teams/${team.id}/roster` }, t('vol.roster.open')));

  const members = section(t('vol.team.members', { n: fmtNumber(team.member_list.length) }), { id: 'vol-team-members' });
  members.body.appendChild(team.member_list.length ? h('ul.plain-list.vol-members', team.member_list.map((m) => h('li',
    h('strong', m.name), m.party_member ? [' ', badge(t('person.partyMember'), 'party')] : null,
    m.person_id === team.leader_person_id ? [' ', badge(t('vol.col.leader'))] : null,
    h('span.muted', ` ${t('vol.team.since', { day: fmtDate(m.joined_on) })}`),
    staff ? leaveControl(m) : null))) : emptyState(t('vol.team.noMembers')));
  if (staff) members.body.appendChild(addMemberForm(team));

  const types = section(t('vol.team.types'), { id: 'vol-team-types' });
  types.body.appendChild(team.shift_types.length ? cardTable({
    caption: t('vol.team.types'),
    cols: [{ label: t('vol.col.type'), wide: true }, { label: t('vol.col.length') }, { label: t('vol.col.needs') },
      { label: t('vol.col.pph') }],
    rows: team.shift_types.map((x) => [x.name + (x.place ? ` · ${x.place}` : ''), minutesText(x.minutes),
      fillText({ filled: 0, people: x.people, party_members: x.party_members }).replace(/^0\//, ''), fmtNumber(x.points_per_hour)]),
  }) : emptyState(t('vol.team.noTypes')));
  if (staff) types.body.appendChild(addTypeForm(team));

  const plan = section(t('vol.team.shifts', { n: fmtNumber(shifts.total) }), { id: 'vol-team-shifts' });
  plan.body.appendChild(shifts.items.length ? cardTable({
    caption: t('vol.team.shifts', { n: fmtNumber(shifts.total) }),
    cols: [{ label: t('vol.col.when'), wide: true }, { label: t('vol.col.type') }, { label: t('vol.col.on'), wide: true },
      { label: t('vol.col.fill') }],
    rows: shifts.items.map((x) => [h('a', { href: `#/volunteers/shifts/${x.id}` }, shiftWhen(x)), x.type_name,
      names(x.on), h('span.badges', fillText(x), ' ', shortBadge(x), stateBadge(x.state))]),
  }) : emptyState(t('vol.team.noShifts')));
  if (plans && team.active && team.shift_types.length) plan.body.append(shiftForm(team), seriesForm(team));
  const patrol = team.my_part !== 'none' && can('volunteer.act') && team.member_list.length ? patrolForm(team) : null;

  replace(outlet, h('p.no-print', h('a', { href: '#/volunteers/teams' }, t('vol.teams.back'))), pageTitle(title),
    facts.el, roster, plan.el, patrol || '', members.el, types.el);
  return title;
}

function leaveControl(m) {
  const day = field({ name: 'left_on', label: t('vol.team.leftOn'), type: 'date', required: true, value: today() });
  const f = form({
    fields: [day],
    submitLabel: t('vol.team.leave'),
    async onSubmit(v) {
      await patch(`/volunteer-members/${m.id}`, { left_on: v.left_on });
      await refresh();
    },
  });
  return disclosure(t('vol.team.leaveOf', { name: m.name }), f.el, { className: 'row-action no-print' });
}

function addMemberForm(team) {
  const person = personPicker({ name: 'person_id', label: t('vol.team.person'), required: true });
  const joined = field({ name: 'joined_on', label: t('vol.team.joinedOn'), type: 'date', value: today() });
  const f = form({
    fields: [person, joined],
    submitLabel: t('vol.team.addMember'),
    async onSubmit(v) {
      await post(`/volunteer-teams/${team.id}/members`, { person_id: Number(v.person_id), joined_on: v.joined_on || undefined });
      await refreshAndFocus(refresh, t('vol.team.members', { n: fmtNumber(team.member_list.length + 1) }));
    },
  });
  return disclosure(t('vol.team.addMember'), f.el, { className: 'no-print' });
}

function addTypeForm(team) {
  const num = (name, label, value, attrs) => field({ name, label, type: 'number', value, required: true, attrs: { inputmode: 'numeric', ...attrs } });
  const f = form({
    fields: [
      field({ name: 'name', label: t('vol.col.type'), required: true, hint: t('vol.field.typeHint'), attrs: { maxlength: 50 } }),
      num('minutes', t('vol.field.minutes'), 120, { min: 15, max: 1440 }),
      num('people', t('vol.field.people'), 2, { min: 1, max: 200 }),
      num('party_members', t('vol.field.partyMembers'), 0, { min: 0, max: 200 }),
      num('points_per_hour', t('vol.col.pph'), 10, { min: 0, max: 1000 }),
      field({ name: 'place', label: t('vol.col.where'), attrs: { maxlength: 200 } }),
    ],
    submitLabel: t('vol.team.addType'),
    async onSubmit(v) {
      const body = { name: v.name, minutes: Number(v.minutes), people: Number(v.people), party_members: Number(v.party_members),
        points_per_hour: Number(v.points_per_hour) };
      if (v.place) body.place = v.place;
      await post(`/volunteer-teams/${team.id}/shift-types`, body);
      await refresh();
    },
  });
  return disclosure(t('vol.team.addType'), f.el, { className: 'no-print' });
}

const typeOptions = (team) => team.shift_types.filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }));

function shiftForm(team) {
  const start = new Date(`${addDays(today(), 1)}T19:00:00+08:00`).toISOString();
  const f = form({
    fields: [
      field({ name: 'type_id', label: t('vol.col.type'), type: 'select', required: true, options: typeOptions(team) }),
      field({ name: 'starts_at', label: t('vol.field.startsAt'), type: 'datetime-local', required: true, value: localInput(start) }),
      field({ name: 'ends_at', label: t('vol.field.endsAt'), type: 'datetime-local', hint: t('vol.field.endsAtHint') }),
      field({ name: 'place', label: t('vol.col.where'), attrs: { maxlength: 200 } }),
      field({ name: 'people', label: t('vol.field.people'), type: 'number', attrs: { min: 1, max: 200, inputmode: 'numeric' } }),
    ],
    submitLabel: t('vol.team.addShift'),
    async onSubmit(v) {
      const body = { type_id: Number(v.type_id), starts_at: v.starts_at.replace('T', ' ') };
      if (v.ends_at) body.ends_at = v.ends_at.replace('T', ' ');
      if (v.place) body.place = v.place;
      if (v.people) body.people = Number(v.people);
      await post(`/volunteer-teams/${team.id}/shifts`, body);
      await refresh();
    },
  });
  return disclosure(t('vol.team.addShift'), f.el, { className: 'no-print' });
}

function seriesForm(team) {
  const days = [1, 2, 3, 4, 5, 6, 7];
  const from = addDays(today(), 1);
  const boxes = days.map((d) => field({ name: `wd${d}`, label: t(`vol.wd.${d}`), type: 'checkbox', value: true }));
  const f = form({
    fields: [
      field({ name: 'type_id', label: t('vol.col.type'), type: 'select', required: true, options: typeOptions(team) }),
      field({ name: 'from_on', label: t('vol.field.fromOn'), type: 'date', required: true, value: from }),
      field({ name: 'until_on', label: t('vol.field.untilOn'), type: 'date', required: true, value: addDays(from, 29) }),
      field({ name: 'start', label: t('vol.field.start'), type: 'time', required: true, value: '19:00' }),
      field({ name: 'end', label: t('vol.field.end'), type: 'time', required: true, value: '21:00' }),
      ...boxes,
    ],
    submitLabel: t('vol.team.addSeries'),
    async onSubmit(v, api) {
      const wd = days.filter((d) => v[`wd${d}`]).join('');
      const r = await post(`/volunteer-teams/${team.id}/shift-series`, {
        type_id: Number(v.type_id), from_on: v.from_on, until_on: v.until_on, start: v.start, end: v.end, weekdays: wd,
      });
      api.success(t('vol.team.seriesMade', { n: fmtNumber(r.shifts) }));
      await refresh({ keepFocus: true });
    },
  });
  // the weekday boxes read as one group (moved out of the form's list into their fieldset)
  const weekdays = h('fieldset.fieldset.vol-weekdays', h('legend.fieldset__legend', t('vol.field.weekdays')), boxes.map((b) => b.el));
  f.el.insertBefore(weekdays, f.el.querySelector('.form__buttons'));
  return disclosure(t('vol.team.addSeries'), f.el, { className: 'no-print' });
}


/** A patrol over: route, start and end, who went, what was seen; incidents are added on its page. */
function patrolForm(team) {
  const end = Date.now();
  const boxes = team.member_list.map((m) => field({ name: `p${m.person_id}`, label: m.name, type: 'checkbox' }));
  const f = form({
    fields: [
      field({ name: 'route', label: t('vol.patrol.route'), required: true, hint: t('vol.patrol.routeHint'), attrs: { maxlength: 200 } }),
      field({ name: 'started_at', label: t('vol.field.startsAt'), type: 'datetime-local', required: true, value: localInput(end - 2 * 3600e3) }),
      field({ name: 'ended_at', label: t('vol.field.endsAt'), type: 'datetime-local', required: true, value: localInput(end) }),
      field({ name: 'seen', label: t('vol.patrol.seen'), type: 'textarea', attrs: { maxlength: 2000 } }),
      ...boxes,
    ],
    submitLabel: t('vol.patrol.log'),
    fieldMap: { person_ids: 'route' },
    async onSubmit(v) {
      const body = { route: v.route, started_at: v.started_at.replace('T', ' '), ended_at: v.ended_at.replace('T', ' '),
        person_ids: team.member_list.filter((m) => v[`p${m.person_id}`]).map((m) => m.person_id) };
      if (v.seen) body.seen = v.seen;
      const p = await post(`/volunteer-teams/${team.id}/patrols`, body);
      navigate(`/volunteers/patrols/${p.id}`);
    },
  });
  const who = h('fieldset.fieldset.vol-weekdays', h('legend.fieldset__legend', t('vol.patrol.people')), boxes.map((b) => b.el));
  f.el.insertBefore(who, f.el.querySelector('.form__buttons'));
  return disclosure(t('vol.patrol.log'), f.el, { className: 'no-print' });
}
