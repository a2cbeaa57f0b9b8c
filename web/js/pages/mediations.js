// mediations.js - 民事调解: the mediation cases of the user's scope (GET /mediation-cases: parties' names
// masked, no sensitive text) with the share of disputes settled within the community this year, and one
// case (#/mediation/ID: summary, parties, sessions with notes, agreement — sensitive text, read only here
// and audited by the server); with mediation.write a case is opened, parties and sessions added, and it
// is closed settled at a level with its agreement, referred, or withdrawn.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { get, list, post } from '../api.js';
import { refresh } from '../router.js';
import { can, scopeId } from '../session.js';
import { pageTitle, section, dl, emptyState, badge, field, form, disclosure } from '../ui.js';
import { cardTable } from '../components/card-table.js';

const KINDS = ['neighbours', 'family', 'property', 'rent', 'debt', 'other'];
const statusBadge = (c) => badge(c.status === 'settled' ? t(`mediation.settled.${c.settled_level}`) : t(`mediation.status.${c.status}`),
  c.status === 'settled' ? 'ok' : c.status === 'open' ? 'warn' : '');

export async function render({ outlet, params, signal }) {
  if (params && params.id) return renderCase(outlet, params.id, signal);
  const title = t('mediation.title');
  const [page, councils, fg] = await Promise.all([list('/mediation-cases', { limit: 200 }, signal),
    list('/councils', { limit: 200 }, signal), can('council.read') ? get('/council-figures', null, signal) : null]);
  const results = section(t('mediation.listTitle', { n: fmtNumber(page.total) }), { id: 'mediation-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: t('mediation.title'),
    cols: [{ label: t('mediation.col.parties'), wide: true }, { label: t('mediation.col.kind') },
      { label: t('mediation.col.opened') }, { label: t('mediation.col.status') }],
    rows: page.items.map((c) => [h('a', { href: `#/mediation/${c.id}` }, c.parties.map((p) => p.name).join('、') || t('mediation.case', { id: c.id })),
      t(`mediation.kind.${c.kind}`), fmtDate(c.opened_on), statusBadge(c)]),
  }) : emptyState(t('mediation.none')));
  const parts = [pageTitle(title), h('p.page__intro', t('mediation.intro'))];
  if (fg) {
    const m = fg.mediation;
    parts.push(h('p#mediation-figures', t('mediation.figures', { year: fg.year, yard: fmtNumber(m.settled_courtyard),
      com: fmtNumber(m.settled_community), above: fmtNumber(m.settled_above),
      pct: m.within_community_percent === null ? '—' : `${m.within_community_percent}%` })));
  }
  if (can('mediation.write')) parts.push(newCaseForm(councils.items));
  parts.push(results.el);
  replace(outlet, ...parts);
  return title;
}

function newCaseForm(councils) {
  const places = new Map();
  for (const c of councils) places.set(c.node_id, c.name.replace(/议事会$/, ''));
  const options = [...places.entries()].map(([id, name]) => ({ value: id, label: name }));
  if (scopeId() && !places.has(scopeId())) options.unshift({ value: scopeId(), label: t('notices.myScope') });
  const f = form({
    fields: [field({ name: 'node_id', label: t('mediation.where'), type: 'select', required: true, options }),
      field({ name: 'kind', label: t('mediation.col.kind'), type: 'select', required: true,
        options: KINDS.map((k) => ({ value: k, label: t(`mediation.kind.${k}`) })) }),
      field({ name: 'summary', label: t('mediation.summary'), type: 'textarea', required: true, hint: t('mediation.sensitive') }),
      field({ name: 'mediator_name', label: t('mediation.mediator') })],
    submitLabel: t('mediation.add'),
    async onSubmit(v) {
      const body = { node_id: Number(v.node_id), kind: v.kind, summary: v.summary };
      if (v.mediator_name) body.mediator_name = v.mediator_name;
      const c = await post('/mediation-cases', body);
      window.location.hash = `#/mediation/${c.id}`;
    },
  });
  return disclosure(t('mediation.add'), f.el, { className: 'row-action' });
}

async function renderCase(outlet, id, signal) {
  const c = await get(`/mediation-cases/${id}`, null, signal);
  const title = t('mediation.case', { id: c.id });
  const write = can('mediation.write') && c.status === 'open';
  const facts = section(t('mediation.facts'), { id: 'mediation-facts' });
  facts.body.appendChild(dl([
    [t('mediation.col.status'), statusBadge(c)],
    [t('mediation.col.kind'), t(`mediation.kind.${c.kind}`)],
    [t('mediation.col.opened'), fmtDate(c.opened_on)],
    [t('mediation.mediator'), c.mediator_name],
    [t('mediation.summary'), c.summary],
    [t('mediation.agreement'), c.agreement],
    [t('mediation.referredTo'), c.referred_to],
    [t('mediation.closedOn'), c.closed_on ? fmtDate(c.closed_on) : null],
    [t('mediation.order'), c.work_order_id ? h('a', { href: `#/orders/${c.work_order_id}` }, `#${c.work_order_id}`) : null],
  ], { skipEmpty: true }));
  const parties = section(t('mediation.col.parties'), { id: 'mediation-parties' });
  parties.body.appendChild(c.parties.length ? h('ul.plain-list', c.parties.map((p) => h('li', h('strong', p.name), ' — ',
    t(`mediation.role.${p.role}`), p.phone ? ` · ${p.phone}` : ''))) : emptyState(t('mediation.noParties')));
  if (write) {
    parties.body.appendChild(disclosure(t('mediation.addParty'), form({
      fields: [field({ name: 'name', label: t('council.col.name'), required: true }),
        field({ name: 'role', label: t('mediation.roleLabel'), type: 'select', required: true,
          options: ['applicant', 'respondent', 'other'].map((r) => ({ value: r, label: t(`mediation.role.${r}`) })) }),
        field({ name: 'phone', label: t('council.col.phone'), type: 'tel' })],
      submitLabel: t('mediation.addParty'),
      async onSubmit(v) {
        const body = { name: v.name, role: v.role };
        if (v.phone) body.phone = v.phone;
        await post(`/mediation-cases/${c.id}/parties`, body);
        await refresh();
      },
    }).el, { className: 'row-action' }));
  }
  const sessions = section(t('mediation.sessions', { n: c.sessions.length }), { id: 'mediation-sessions' });
  sessions.body.appendChild(c.sessions.length ? h('ol.plain-list', c.sessions.map((x) => h('li', h('strong', fmtDate(x.held_on)), ' ', x.notes || '')))
    : emptyState(t('mediation.noSessions')));
  if (write) {
    sessions.body.appendChild(disclosure(t('mediation.addSession'), form({
      fields: [field({ name: 'held_on', label: t('mediation.heldOn'), type: 'date', required: true }),
        field({ name: 'notes', label: t('mediation.notes'), type: 'textarea', required: true })],
      submitLabel: t('mediation.addSession'),
      async onSubmit(v) {
        await post(`/mediation-cases/${c.id}/sessions`, { held_on: v.held_on, notes: v.notes });
        await refresh();
      },
    }).el, { className: 'row-action' }));
    sessions.body.appendChild(disclosure(t('mediation.close'), form({
      fields: [field({ name: 'outcome', label: t('mediation.outcome'), type: 'select', required: true,
        options: ['settled', 'referred', 'withdrawn'].map((o) => ({ value: o, label: t(`mediation.status.${o}`) })) }),
      field({ name: 'level', label: t('mediation.level'), type: 'select',
        options: [{ value: '', label: '—' }, ...['courtyard', 'community', 'above'].map((l) => ({ value: l, label: t(`mediation.settled.${l}`) }))] }),
      field({ name: 'agreement', label: t('mediation.agreement'), type: 'textarea' }),
      field({ name: 'referred_to', label: t('mediation.referredTo') })],
      submitLabel: t('mediation.close'),
      async onSubmit(v) {
        const body = { outcome: v.outcome };
        for (const k of ['level', 'agreement', 'referred_to']) if (v[k]) body[k] = v[k];
        await post(`/mediation-cases/${c.id}/close`, body);
        await refresh();
      },
    }).el, { className: 'row-action' }));
  }
  replace(outlet, h('p.no-print', h('a', { href: '#/mediation' }, t('mediation.back'))), pageTitle(title), facts.el, parties.el, sessions.el);
  return title;
}
