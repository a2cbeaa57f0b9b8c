// unit.js - one co-building unit: what it reported (kind, credit code, party organisation, community,
// the day), its contact (phone masked), and its in-service party members who reported with their own
// branch (双找); with cobuild.write, another member reports through it.  Needs cobuild.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, field, form } from '../ui.js';
import { word } from '../cobuild.js';
import { nav } from './needs.js';

export async function render({ outlet, params, signal }) {
  const u = await get(`/cobuild-units/${params.id}`, null, signal);
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
  replace(outlet, h('p.no-print', h('a', { href: '#/cobuild/units' }, t('cobuild.units.back'))), pageTitle(title), nav(),
    facts.el, members.el);
  return title;
}
