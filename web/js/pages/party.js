// party.js - 党员服务: the branch's view of a quarter under the user's scope (GET /party-branch-view): each
// member's status, whether they reported (双报到), hours served this quarter and points this year, and
// who has served nobody; with party.write, a service record for a member (what, when, hours, for whom).
// Needs party.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, today } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, badge, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';

export async function render({ outlet, signal }) {
  const title = t('party.title');
  const v = await get('/party-branch-view', null, signal);
  const summary = h('ul.plain-list', { id: 'party-summary' },
    h('li', t('party.summary', { quarter: v.quarter, n: fmtNumber(v.members), reported: fmtNumber(v.reported), hours: v.hours })),
    h('li', t('party.idle', { n: fmtNumber(v.served_nobody) })));
  const list = section(t('party.members', { n: fmtNumber(v.members) }), { id: 'party-members' });
  list.body.appendChild(v.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('party.col.name'), wide: true }, { label: t('party.col.status') }, { label: t('party.col.branch') },
      { label: t('party.col.hours') }, { label: t('party.col.points') }],
    rows: v.items.map((m) => [
      h('span', m.name, m.pledge ? h('span.muted', ` — ${m.pledge}`) : null),
      h('span.badges', badge(t(`party.status.${m.status}`)), m.reported ? badge(t('party.reported'), 'ok') : null),
      m.org_name,
      h('span.badges', m.hours_this_quarter, m.served_nobody ? badge(t('party.servedNobody'), 'warn') : null),
      fmtNumber(m.points_this_year)]),
  }) : emptyState(t('party.none')));
  const parts = [pageTitle(title), h('p.page__intro', t('party.intro')), summary];
  if (can('party.write') && v.items.length) parts.push(serviceForm(v.items).el);
  replace(outlet, ...parts, list.el);
  return title;
}

function serviceForm(members) {
  const s = section(t('party.record'), { id: 'party-record' });
  const f = form({
    fields: [
      field({ name: 'member', label: t('party.col.name'), type: 'select', required: true,
        options: members.map((m) => ({ value: m.id, label: m.name })) }),
      field({ name: 'what', label: t('party.what'), required: true, attrs: { maxlength: 200 } }),
      field({ name: 'served_on', label: t('party.servedOn'), type: 'date', required: true, value: today(), attrs: { max: today() } }),
      field({ name: 'hours', label: t('party.hours'), required: true, hint: t('cobuild.claim.hoursHint'), attrs: { inputmode: 'decimal' } }),
      field({ name: 'for_whom', label: t('party.forWhom') }),
    ],
    submitLabel: t('party.submit'),
    async onSubmit(v) {
      const body = { served_on: v.served_on, hours: v.hours, what: v.what };
      if (v.for_whom) body.for_whom = v.for_whom;
      await post(`/party-members/${v.member}/service`, body);
      await refresh();
    },
  });
  s.body.appendChild(f.el);
  return s;
}
