// unit.js - one co-building unit: what it reported (kind, credit code, party organisation, community,
// the day), its contact (phone masked), and its in-service party members who reported with their own
// branch (双找), and its agreements (共驻共建协议) with this year's review: per commitment, what was promised and
// what was delivered (hours from its reported claims).  With cobuild.write, another member reports through it.
// Needs cobuild.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate, today } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, field, form } from '../ui.js';
import { word } from '../cobuild.js';
import { cardTable } from '../components/card-table.js';
import { nav } from './needs.js';

export async function render({ outlet, params, signal }) {
  const [u, agreements] = await Promise.all([get(`/cobuild-units/${params.id}`, null, signal),
    get('/cobuild-agreements', { unit_id: params.id, limit: 50 }, signal)]);
  const title = u.name;
  const facts = section(t('cobuild.units.facts'), { id: 'unit-facts' });
  facts.body.appendChild(dl([
    [t('cobuild.col.kind'), word('unitKind', u.kind)],
    [t('cobuild.units.creditCode'), u.credit_code],
    [t('cobuild.units.partyOrg'), u.party_org_name],
    [t('cobuild.units.reportedOn'), fmtDate(u.reported_on)],
    [t('cobuild.units.contact'), [u.contact_name, u.contact_phone].filter(Boolean).join(' ')],
  ]));
  const members = section(t('cobuild.units.memberList', { n: fmtNumber(u.in_service_members.length) }), { id: 'unit-members' });
  members.body.appendChild(u.in_service_members.length
    ? h('ul.plain-list', u.in_service_members.map((m) => h('li', h('strong', m.name), ' — ',
      t('cobuild.units.memberLine', { org: m.member_org_name || t('common.none'), day: fmtDate(m.reported_on) }))))
    : emptyState(t('cobuild.units.noMembers')));
  if (can('cobuild.write')) {
    const f = form({
      fields: [field({ name: 'person_id', label: t('cobuild.units.personId'), type: 'number', required: true,
        hint: t('cobuild.units.personIdHint'), attrs: { min: 1, inputmode: 'numeric' } })],
      submitLabel: t('cobuild.units.addMember'),
      async onSubmit(v) {
        await post(`/cobuild-units/${u.id}/members`, { person_id: Number(v.person_id) });
        await refresh();
      },
    });
    members.body.appendChild(f.el);
  }
  const agr = section(t('cobuild.agreements.title', { n: fmtNumber(agreements.total) }), { id: 'unit-agreements' });
  if (!agreements.items.length) agr.body.appendChild(emptyState(t('cobuild.agreements.none')));
  for (const a of agreements.items) {
    const year = today().slice(0, 4);
    const review = a.starts_on.slice(0, 4) <= year && year <= a.ends_on.slice(0, 4)
      ? await get(`/cobuild-agreements/${a.id}/review`, { year }, signal) : null;
    const promised = new Map(a.commitments.map((c) => [c.id, c]));
    agr.body.append(h('h3.section__subtitle', a.title),
      h('p', t('cobuild.agreements.term', { from: fmtDate(a.starts_on), to: fmtDate(a.ends_on), signed: fmtDate(a.signed_on) }),
        a.document_ref ? ` · ${a.document_ref}` : ''),
      review ? cardTable({
        caption: t('cobuild.agreements.review', { year }),
        cols: [{ label: t('cobuild.agreements.commitment'), wide: true }, { label: t('cobuild.agreements.promised') },
          { label: t('cobuild.agreements.delivered') }],
        rows: review.items.map((x) => [`${promised.get(x.commitment_id)?.description || ''}（${t(`cobuild.agreements.kind.${x.kind}`)}）`,
          x.promised, x.delivered === null ? t('cobuild.agreements.notRecorded') : t('cobuild.agreements.share', { v: x.delivered, p: x.percent })]),
      }) : null);
  }
  replace(outlet, h('p.no-print', h('a', { href: '#/cobuild/units' }, t('cobuild.units.back'))), pageTitle(title), nav(),
    facts.el, members.el, agr.el);
  return title;
}
