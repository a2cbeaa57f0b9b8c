// volunteer-shift.js - one shift (#/volunteers/shifts/:id): when, where, what it needs, its card; everyone
// who took a place with their check-in and check-out, attendance and minutes once it closed.  A member signs
// up, checks in and out, gives the place up or hands it to another member; the team's leader (and staff)
// assign members, record check-in and check-out times from the paper sheet, confirm the minutes served with
// a reason, and cancel the shift.  The server decides; its refusal shows in the form.

import { h, replace, announce } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { get, post, patch } from '../api.js';
import { refresh } from '../router.js';
import { pageTitle, section, dl, emptyState, errorState, field, form, disclosure, badge } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { confirmButton } from '../components/confirm.js';
import { shiftWhen, fillText, shortBadge, stateBadge, attendanceBadge, minutesText, hhmm, localInput, kindLabel } from '../volunteer.js';

export async function render({ outlet, params, signal }) {
  const s = await get(`/volunteer-shifts/${params.id}`, null, signal);
  const lead = s.my_part === 'leader' || s.my_part === 'staff';
  const team = s.my_part !== 'none' ? await get(`/volunteer-teams/${s.team_id}`, null, signal) : null;
  const title = `${s.team_name} · ${s.type_name}`;
  const active = s.places.filter((p) => p.state === 'active');
  const mine = active.find((p) => p.person_id === s.my_person_id);

  const facts = section(t('vol.shift.facts'), { id: 'vol-shift-facts' });
  facts.body.appendChild(dl([
    [t('vol.col.when'), shiftWhen(s)],
    [t('vol.col.team'), h('a', { href: `#/volunteers/teams/${s.team_id}` }, `${s.team_name} (${kindLabel(s.team_kind)})`)],
    [t('vol.col.where'), s.place || ''],
    [t('vol.col.fill'), h('span.badges', fillText(s), ' ', shortBadge(s), stateBadge(s.state))],
    [t('vol.col.pph'), fmtNumber(s.points_per_hour)],
    [t('vol.shift.note'), s.note || ''],
  ]));

  const who = section(t('vol.shift.places', { n: fmtNumber(active.length) }), { id: 'vol-shift-places' });
  who.body.appendChild(s.places.length ? cardTable({
    caption: t('vol.shift.places', { n: fmtNumber(active.length) }),
    cols: [{ label: t('vol.col.name') }, { label: t('vol.col.how') }, { label: t('vol.col.in') }, { label: t('vol.col.out') },
      { label: t('vol.col.attendance') }],
    rows: s.places.map((p) => [
      h('span', p.name, p.party_member ? ' ★' : ''),
      p.state === 'active' ? t(`vol.how.${p.how}`) : badge(t(`vol.placeState.${p.state}`), 'past'),
      p.check_in_at ? hhmm(p.check_in_at) : '', p.check_out_at ? hhmm(p.check_out_at) : '',
      p.attendance ? h('span.badges', attendanceBadge(p.attendance), ' ', minutesText(p.minutes || 0), p.confirmed ? ` ${t('vol.confirmed')}` : '') : '']),
  }) : emptyState(t('vol.shift.nobody')));

  const acts = section(t('vol.shift.actions'), { id: 'vol-shift-actions', className: 'no-print' });
  const now = Date.now();
  const open = s.state === 'open';
  const started = now >= Date.parse(s.starts_at);
  const ended = now >= Date.parse(s.ends_at);
  const mineBox = [];
  if (open && s.my_person_id && !mine && !started) mineBox.push(actButton(s, t('vol.act.signup'), () => post(`/volunteer-shifts/${s.id}/signups`, {}), 'signup'));
  if (open && mine && !mine.check_in_at && now >= Date.parse(s.starts_at) - 3600e3 && !ended) mineBox.push(actButton(s, t('vol.act.check_in'), () => act(s, { action: 'check_in' }), 'check_in'));
  if (open && mine && mine.check_in_at && !mine.check_out_at) mineBox.push(actButton(s, t('vol.act.check_out'), () => act(s, { action: 'check_out' }), 'check_out'));
  if (open && mine && !started) {
    mineBox.push(confirmButton({
      label: t('vol.act.give_up'), question: t('vol.act.giveUpQ'), confirmLabel: t('vol.act.give_up'), danger: true,
      async onConfirm() {
        await act(s, { action: 'give_up' });
        announce(t('vol.done.give_up'));
        await refresh();
      },
    }));
  }
  if (mineBox.length) acts.body.appendChild(h('div.vol-card__actions', mineBox));
  const members = team ? team.member_list : [];
  const others = members.filter((m) => !active.some((p) => p.person_id === m.person_id));
  if (open && mine && !started && others.length) acts.body.appendChild(swapForm(s, others, null));
  if (lead && open) {
    if (!ended && others.length && s.filled < s.people) acts.body.appendChild(assignForm(s, others));
    if (active.length) acts.body.appendChild(recordForm(s, active));
    if (!ended) {
      acts.body.appendChild(confirmButton({
        label: t('vol.act.cancel'), question: t('vol.act.cancelQ'), confirmLabel: t('vol.act.cancel'), danger: true,
        async onConfirm() {
          await patch(`/volunteer-shifts/${s.id}`, { state: 'cancelled' });
          await refresh();
        },
      }));
    }
  }
  if (lead && s.state !== 'cancelled' && active.length) acts.body.appendChild(confirmForm(s, active));
  if (!acts.body.childNodes.length) acts.body.appendChild(emptyState(t('vol.shift.noActions')));

  replace(outlet, h('p.no-print', h('a', { href: '#/volunteers' }, t('vol.me.back'))), pageTitle(title), facts.el, who.el, acts.el);
  return title;
}

const act = (s, body) => post(`/volunteer-shifts/${s.id}/actions`, body);

function actButton(s, label, send, done) {
  const status = h('span', { 'aria-live': 'polite' });
  const btn = h('button.btn', {
    type: 'button',
    async onclick() {
      btn.disabled = true;
      try {
        await send();
        announce(t(`vol.done.${done}`));
        await refresh({ keepFocus: true });
      } catch (e) {
        btn.disabled = false;
        replace(status, errorState(e, { compact: true }));
      }
    },
  }, label);
  return h('span.vol-act', btn, status);
}

const personOptions = (list) => list.map((m) => ({ value: m.person_id, label: m.party_member ? `${m.name} ★` : m.name }));

function swapForm(s, others) {
  const f = form({
    fields: [field({ name: 'to_person_id', label: t('vol.act.swapTo'), type: 'select', required: true, options: personOptions(others) })],
    submitLabel: t('vol.act.swap'),
    async onSubmit(v) {
      await act(s, { action: 'swap', to_person_id: Number(v.to_person_id) });
      await refresh();
    },
  });
  return disclosure(t('vol.act.swap'), f.el);
}

function assignForm(s, others) {
  const f = form({
    fields: [field({ name: 'person_id', label: t('vol.col.name'), type: 'select', required: true, options: personOptions(others) })],
    submitLabel: t('vol.act.assign'),
    async onSubmit(v) {
      await post(`/volunteer-shifts/${s.id}/signups`, { person_id: Number(v.person_id) });
      await refresh();
    },
  });
  return disclosure(t('vol.act.assign'), f.el);
}

/** The leader records a check-in or check-out at a time (the paper sheet). */
function recordForm(s, active) {
  const f = form({
    fields: [
      field({ name: 'person_id', label: t('vol.col.name'), type: 'select', required: true, options: personOptions(active) }),
      field({ name: 'action', label: t('vol.act.record'), type: 'select', required: true,
        options: [{ value: 'check_in', label: t('vol.act.check_in') }, { value: 'check_out', label: t('vol.act.check_out') }] }),
      field({ name: 'at', label: t('vol.act.at'), type: 'datetime-local', required: true,
        value: localInput(Math.min(Date.now(), Date.parse(s.ends_at))) }),
    ],
    submitLabel: t('vol.act.record'),
    async onSubmit(v) {
      await act(s, { action: v.action, person_id: Number(v.person_id), at: v.at.replace('T', ' ') });
      await refresh();
    },
  });
  return disclosure(t('vol.act.record'), f.el);
}

function confirmForm(s, active) {
  const length = Math.round((Date.parse(s.ends_at) - Date.parse(s.starts_at)) / 60000);
  const f = form({
    fields: [
      field({ name: 'person_id', label: t('vol.col.name'), type: 'select', required: true, options: personOptions(active) }),
      field({ name: 'minutes', label: t('vol.act.minutes'), type: 'number', required: true, value: length,
        attrs: { min: 0, max: length, inputmode: 'numeric' } }),
      field({ name: 'reason', label: t('vol.act.reason'), attrs: { maxlength: 500 } }),
    ],
    submitLabel: t('vol.act.confirm'),
    async onSubmit(v) {
      const body = { action: 'confirm', person_id: Number(v.person_id), minutes: Number(v.minutes) };
      if (v.reason) body.reason = v.reason;
      await act(s, body);
      await refresh();
    },
  });
  return disclosure(t('vol.act.confirm'), f.el);
}
