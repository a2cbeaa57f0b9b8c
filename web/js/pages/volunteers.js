// volunteers.js - 志愿服务 (#/volunteers): for someone who stands for a person (a volunteer, a team's leader),
// "my shifts" on the phone: points and hours, the shifts of their teams short of people carded to them as
// leader, their places to come with check-in and check-out, the shifts they may sign up for, those served,
// and the personal calendar feed.  Staff without a person of their own go on to the teams.
// GET /volunteer-me; actions POST /volunteer-shifts/{id}/signups and /actions.

import { h, replace, announce } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh, navigate } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, errorState, badge } from '../ui.js';
import { confirmButton } from '../components/confirm.js';
import { shiftWhen, minutesText, attendanceBadge, shortBadge, fillText, kindLabel } from '../volunteer.js';

export async function render({ outlet, signal }) {
  const me = await get('/volunteer-me', null, signal);
  if (!me.person) {
    navigate('/volunteers/teams', {}, { replace: true });
    return null;
  }
  const title = t('vol.me.title');
  const hoursBox = h('div.stat-cards.vol-balance',
    h('div.stat-card', h('p.stat-card__title', t('vol.me.points')), h('p.stat-card__big', fmtNumber(me.balance.points))),
    h('div.stat-card', h('p.stat-card__title', t('vol.me.hours')), h('p.stat-card__big', minutesText(me.balance.minutes))));
  const links = h('p.vol-links.no-print',
    h('a', { href: `#/volunteers/people/${me.person.id}` }, t('vol.me.ledger')), ' · ',
    h('a', { href: '#/volunteers/shop' }, t('vol.shop.title')), ' · ',
    h('a', { href: '#/volunteers/teams' }, t('vol.teams.title')), ' · ',
    h('a', { href: '#/volunteers/patrols' }, t('vol.patrol.title')));

  const parts = [h('div.page__head', pageTitle(title)), h('p.page__intro', t('vol.me.hello', { name: me.person.name })), hoursBox, links];
  if (me.carded.length) {
    const s = section(t('vol.me.carded', { n: fmtNumber(me.carded.length) }), { id: 'vol-carded' });
    s.body.appendChild(h('ul.vol-cards', me.carded.map((x) => h('li.vol-card.vol-card--alert',
      h('p.vol-card__when', h('a', { href: `#/volunteers/shifts/${x.id}` }, shiftWhen(x)), ' ', shortBadge(x)),
      h('p.vol-card__what', `${x.team_name} · ${x.type_name}`),
      h('p.muted', fillText(x))))));
    parts.push(s.el);
  }
  const mine = section(t('vol.me.shifts', { n: fmtNumber(me.shifts.length) }), { id: 'vol-mine' });
  mine.body.appendChild(me.shifts.length ? h('ul.vol-cards', me.shifts.map((x) => myShiftCard(x, me.person.id)))
    : emptyState(t('vol.me.noShifts')));
  parts.push(mine.el);
  const signable = me.open.filter((x) => !(x.on || []).some((p) => p.person_id === me.person.id));
  const open = section(t('vol.me.open', { n: fmtNumber(signable.length) }), { id: 'vol-open' });
  open.body.appendChild(signable.length ? h('ul.vol-cards', signable.map((x) => openShiftCard(x)))
    : emptyState(t('vol.me.noOpen')));
  parts.push(open.el);
  const past = section(t('vol.me.past'), { id: 'vol-past' });
  past.body.appendChild(me.past.length ? h('ul.vol-cards', me.past.map((x) => {
    const p = (x.places || []).find((y) => y.person_id === me.person.id && y.state === 'active');
    return h('li.vol-card',
      h('p.vol-card__when', h('a', { href: `#/volunteers/shifts/${x.id}` }, shiftWhen(x))),
      h('p.vol-card__what', `${x.team_name} · ${x.type_name}`),
      p ? h('p', attendanceBadge(p.attendance), ' ', p.minutes ? minutesText(p.minutes) : '') : null);
  })) : emptyState(t('vol.me.noPast')));
  parts.push(past.el, icalSection().el);
  replace(outlet, ...parts);
  return title;
}

/** One of my places: when, what, where; check-in and out in their time; give it up. */
function myShiftCard(x, person) {
  const place = (x.places || []).find((p) => p.person_id === person && p.state === 'active') || {};
  const now = Date.now();
  const start = Date.parse(x.starts_at);
  const end = Date.parse(x.ends_at);
  const status = h('div.vol-card__status', { 'aria-live': 'polite' });
  const act = (action, label) => h('button.btn', {
    type: 'button',
    async onclick(ev) {
      ev.currentTarget.disabled = true;
      try {
        await post(`/volunteer-shifts/${x.id}/actions`, { action });
        announce(t(`vol.done.${action}`));
        await refresh({ keepFocus: true });
      } catch (e) {
        ev.currentTarget.disabled = false;
        replace(status, errorState(e, { compact: true }));
      }
    },
  }, label);
  const buttons = [];
  if (!place.check_in_at && now >= start - 3600e3 && now <= end) buttons.push(act('check_in', t('vol.act.check_in')));
  if (place.check_in_at && !place.check_out_at) buttons.push(act('check_out', t('vol.act.check_out')));
  if (!place.check_in_at && now < start) {
    buttons.push(confirmButton({
      label: t('vol.act.give_up'), question: t('vol.act.giveUpQ'), confirmLabel: t('vol.act.give_up'), danger: true,
      async onConfirm() {
        await post(`/volunteer-shifts/${x.id}/actions`, { action: 'give_up' });
        announce(t('vol.done.give_up'));
        await refresh({ keepFocus: true });
      },
    }));
  }
  return h('li.vol-card',
    h('p.vol-card__when', h('a', { href: `#/volunteers/shifts/${x.id}` }, shiftWhen(x))),
    h('p.vol-card__what', `${x.team_name} · ${x.type_name}`, x.place ? ` · ${x.place}` : ''),
    place.check_in_at ? h('p', badge(t('vol.checkedIn', { at: hhmmOf(place.check_in_at) }), 'ok'),
      place.check_out_at ? [' ', badge(t('vol.checkedOut', { at: hhmmOf(place.check_out_at) }))] : null) : null,
    buttons.length ? h('div.vol-card__actions.no-print', buttons) : null, status);
}

function hhmmOf(iso) {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' })
    .format(new Date(iso));
}

/** A shift of my teams still short: sign up. */
function openShiftCard(x) {
  const status = h('div.vol-card__status', { 'aria-live': 'polite' });
  const btn = h('button.btn', {
    type: 'button',
    'aria-label': t('vol.act.signupOn', { when: shiftWhen(x) }),
    async onclick() {
      btn.disabled = true;
      try {
        await post(`/volunteer-shifts/${x.id}/signups`, {});
        announce(t('vol.done.signup'));
        await refresh({ keepFocus: true });
      } catch (e) {
        btn.disabled = false;
        replace(status, errorState(e, { compact: true }));
      }
    },
  }, t('vol.act.signup'));
  return h('li.vol-card',
    h('p.vol-card__when', h('a', { href: `#/volunteers/shifts/${x.id}` }, shiftWhen(x)), ' ', shortBadge(x)),
    h('p.vol-card__what', `${x.team_name} · ${x.type_name}`, x.place ? ` · ${x.place}` : ''),
    h('p.muted', kindLabel(x.team_kind), ' · ', fillText(x)),
    h('div.vol-card__actions.no-print', btn), status);
}

/** The calendar feed: a personal address, made on request and shown once. */
function icalSection() {
  const s = section(t('vol.ical.title'), { id: 'vol-ical' });
  const out = h('div', { 'aria-live': 'polite' });
  const btn = can('volunteer.act') ? h('button.btn.btn--secondary', {
    type: 'button',
    async onclick() {
      btn.disabled = true;
      try {
        const r = await post('/volunteer-me/ical-token', {});
        const url = `${window.location.origin}${r.path}`;
        replace(out, h('p', t('vol.ical.made')), h('p.vol-ical__url', h('code', url)), h('p.muted', t('vol.ical.keep')));
      } catch (e) {
        replace(out, errorState(e, { compact: true }));
      } finally {
        btn.disabled = false;
      }
    },
  }, t('vol.ical.make')) : null;
  s.body.append(h('p', t('vol.ical.intro')), btn || '', out);
  return s;
}
