// units.js - 共建单位: the units that reported (双报到) to the communities of the user's scope (GET
// /cobuild-units), contacts' phones masked, and with cobuild.write the form by which a unit reports:
// name, kind, unified social credit code (checked by the server: GB 32100), community, contact.
// Needs cobuild.read.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate, today } from '../i18n.js';
import { list, post } from '../api.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { UNIT_KINDS, word, options, places } from '../cobuild.js';
import { nav } from './needs.js';

export async function render({ outlet, signal }) {
  const title = t('cobuild.units.title');
  const page = await list('/cobuild-units', { limit: 500 }, signal);
  const results = section(t('cobuild.units.list', { n: fmtNumber(page.total) }), { id: 'unit-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('cobuild.units.name'), wide: true }, { label: t('cobuild.col.kind') }, { label: t('cobuild.units.reportedOn') },
      { label: t('cobuild.units.members') }, { label: t('cobuild.units.contact') }],
    rows: page.items.map((u) => [h('a', { href: `#/cobuild/units/${u.id}` }, u.name), word('unitKind', u.kind),
      fmtDate(u.reported_on), fmtNumber(u.members), [u.contact_name, u.contact_phone].filter(Boolean).join(' ')]),
  }) : emptyState(t('cobuild.units.none')));
  const parts = [pageTitle(title), h('p.page__intro', t('cobuild.units.intro')), nav()];
  if (can('cobuild.write')) parts.push((await reportForm(signal)).el);
  replace(outlet, ...parts, results.el);
  return title;
}

async function reportForm(signal) {
  const s = section(t('cobuild.units.report'), { id: 'unit-report' });
  const f = form({
    fields: [
      field({ name: 'name', label: t('cobuild.units.name'), required: true, attrs: { maxlength: 100 } }),
      field({ name: 'kind', label: t('cobuild.col.kind'), type: 'select', required: true, options: options('unitKind', UNIT_KINDS) }),
      field({ name: 'node_id', label: t('cobuild.units.community'), type: 'select', required: true, options: await places(signal) }),
      field({ name: 'credit_code', label: t('cobuild.units.creditCode'), hint: t('cobuild.units.creditCodeHint'),
        attrs: { maxlength: 18, autocapitalize: 'characters' } }),
      field({ name: 'party_org_name', label: t('cobuild.units.partyOrg') }),
      field({ name: 'contact_name', label: t('cobuild.units.contactName') }),
      field({ name: 'contact_phone', label: t('cobuild.units.contactPhone'), type: 'tel' }),
      field({ name: 'reported_on', label: t('cobuild.units.reportedOn'), type: 'date', required: true, value: today(),
        attrs: { max: today() } }),
    ],
    submitLabel: t('cobuild.units.submit'),
    async onSubmit(v) {
      const body = { name: v.name, kind: v.kind, node_id: Number(v.node_id), reported_on: v.reported_on };
      for (const k of ['credit_code', 'party_org_name', 'contact_name', 'contact_phone']) if (v[k]) body[k] = v[k];
      const u = await post('/cobuild-units', body);
      navigate(`/cobuild/units/${u.id}`);
    },
  });
  s.body.appendChild(f.el);
  return s;
}
