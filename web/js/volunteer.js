// volunteer.js - volunteers and rosters in words (issue 16): team kinds, shift states, attendance,
// the short-shift card, a shift's day and hours in Asia/Shanghai, minutes as hours.

import { t, getLocale, fmtDate } from './i18n.js';
import { h } from './dom.js';
import { badge } from './ui.js';

export const KINDS = ['patrol', 'service', 'culture', 'mediation', 'emergency'];
export const kindLabel = (k) => t(`vol.kind.${k}`);
const TZ = 'Asia/Shanghai';

/** HH:MM of an instant, local. */
export function hhmm(instant) {
  if (!instant) return '';
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TZ }).format(new Date(instant));
}

/** The short weekday of a day (YYYY-MM-DD). */
export function weekday(day) {
  return new Intl.DateTimeFormat(getLocale(), { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** "12月8日 周二 19:00–21:00" */
export function shiftWhen(s) {
  return t('vol.when', { day: fmtDate(s.day), weekday: weekday(s.day), from: hhmm(s.starts_at), to: hhmm(s.ends_at) });
}

/** A value for <input type="datetime-local"> of an instant, local. */
export function localInput(instant) {
  const d = new Date(new Date(instant).getTime() + 8 * 3600e3);
  return d.toISOString().slice(0, 16);
}

/** "2 小时 5 分" */
export function minutesText(m) {
  const n = Math.max(0, Math.round(m || 0));
  return t('vol.duration', { h: Math.floor(n / 60), m: n % 60 });
}

export function attendanceBadge(a) {
  if (!a) return null;
  return badge(t(`vol.att.${a}`), a === 'no_show' ? 'danger' : a === 'late' ? 'warn' : 'ok');
}

export function stateBadge(state) {
  if (state === 'open') return null;
  return badge(t(`vol.state.${state}`), state === 'cancelled' ? 'past' : '');
}

/** The card of a shift still short of people (none: nothing). */
export function shortBadge(s) {
  if (!s || s.state !== 'open' || !s.staff_card || s.staff_card === 'none') return null;
  return badge(t(`vol.card.${s.staff_card}`), s.staff_card === 'red' ? 'danger' : 'warn');
}

/** "1/2 人" with the party members it needs. */
export function fillText(s) {
  const base = t('vol.fill', { filled: s.filled, people: s.people });
  return s.party_members ? `${base} · ${t('vol.partyNeeded', { n: s.party_members })}` : base;
}

/** Names of those on a shift, party members marked. */
export function names(on) {
  return (on || []).filter((p) => p.state === 'active').map((p) => (p.party_member ? `${p.name}★` : p.name)).join('、');
}

/** A small line of facts: several parts joined by a middle dot. */
export function dotted(...parts) {
  return h('span', parts.filter(Boolean).join(' · '));
}
