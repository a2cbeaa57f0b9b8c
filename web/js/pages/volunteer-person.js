// volunteer-person.js - a person's hours and points (#/volunteers/people/:id): the balance, which always equals
// the sum of the rows, and the rows newest first (a shift served, the leader's confirmation, an adjustment with
// its reason, an exchange at the points shop).  Staff adjust with a reason.  A volunteer sees their own; a
// leader the members of their team.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, field, form, disclosure, pager } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { minutesText } from '../volunteer.js';

const LIMIT = 50;

export async function render({ outlet, params, query, signal }) {
  const offset = /^\d+$/.test(query.offset || '') ? Number(query.offset) : 0;
  const l = await get(`/volunteers/${params.id}/ledger`, { limit: LIMIT, offset }, signal);
  const title = t('vol.ledger.title', { name: l.name });
  const sums = h('div.stat-cards.vol-balance',
    h('div.stat-card', h('p.stat-card__title', t('vol.me.points')), h('p.stat-card__big', fmtNumber(l.points))),
    h('div.stat-card', h('p.stat-card__title', t('vol.me.hours')), h('p.stat-card__big', minutesText(l.minutes))));
  const rows = section(t('vol.ledger.rows', { n: fmtNumber(l.total) }), { id: 'vol-ledger' });
  rows.body.appendChild(l.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('vol.ledger.day') }, { label: t('vol.ledger.kind') }, { label: t('vol.ledger.minutes') },
      { label: t('vol.ledger.points') }, { label: t('vol.ledger.balance') }, { label: t('vol.ledger.reason'), wide: true }],
    rows: l.items.map((r) => [fmtDate(r.on_day), t(`vol.ledger.k.${r.kind}`), r.minutes ? minutesText(Math.abs(r.minutes)) + (r.minutes < 0 ? ' −' : '') : '',
      (r.points > 0 ? '+' : '') + fmtNumber(r.points), fmtNumber(r.balance), r.reason || '']),
  }) : emptyState(t('vol.ledger.none')));
  rows.body.appendChild(pager({ total: l.total, limit: LIMIT, offset, hrefFor: (o) => `#/volunteers/people/${params.id}?offset=${o}` }) || '');
  replace(outlet, h('p.no-print', h('a', { href: '#/volunteers' }, t('vol.me.back'))), pageTitle(title), sums, rows.el,
    can('volunteer.write') ? adjustForm(params.id) : '');
  return title;
}

function adjustForm(id) {
  const f = form({
    fields: [
      field({ name: 'points', label: t('vol.ledger.points'), type: 'number', hint: t('vol.ledger.pointsHint'), attrs: { inputmode: 'numeric' } }),
      field({ name: 'minutes', label: t('vol.ledger.minutes'), type: 'number', attrs: { inputmode: 'numeric' } }),
      field({ name: 'reason', label: t('vol.ledger.reason'), required: true, attrs: { maxlength: 500 } }),
    ],
    submitLabel: t('vol.ledger.adjust'),
    async onSubmit(v) {
      await post(`/volunteers/${id}/adjustments`, { points: Number(v.points || 0), minutes: Number(v.minutes || 0), reason: v.reason });
      await refresh();
    },
  });
  return disclosure(t('vol.ledger.adjust'), f.el, { className: 'no-print' });
}
