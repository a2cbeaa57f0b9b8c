// cobuild-project.js - one co-building project: the needs it meets and who raised them, the resources
// matched, and its claim with the engine's card, the report and the ratings.  With cobuild.act, what
// comes next: claim it for a unit (a unit's contact: their own), report it done with evidence and hours,
// rate it (the community: staff; a resident who raised a need).  The server decides who may; its
// refusal shows in the form.  Needs cobuild.read.

import { h, replace } from '../dom.js';
import { t, fmtDate, fmtDateTime, today } from '../i18n.js';
import { get, list, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { cardBadge } from '../project.js';
import { word, stateBadge } from '../cobuild.js';
import { nav } from './needs.js';

export async function render({ outlet, params, signal }) {
  const p = await get(`/cobuild-projects/${params.id}`, null, signal);
  const title = p.title;
  const c = p.claim;

  const facts = section(t('cobuild.project.facts'), { id: 'cobuild-project-facts' });
  facts.body.appendChild(dl([
    [t('cobuild.col.state'), h('span.badges', stateBadge('projectState', p.status), p.status === 'open' ? cardBadge(p.card) : null)],
    [t('cobuild.col.claimBy'), p.claim_deadline ? fmtDateTime(p.claim_deadline) : fmtDate(p.claim_by)],
    [t('cobuild.needs.detail'), p.detail],
  ]));
  const needs = section(t('cobuild.project.needs'), { id: 'cobuild-project-needs' });
  needs.body.appendChild(cardTable({
    caption: t('cobuild.project.needs'),
    cols: [{ label: t('cobuild.col.need'), wide: true }, { label: t('cobuild.col.kind') }, { label: t('cobuild.col.state') }],
    rows: p.needs.map((n) => [n.title, word('needKind', n.kind), stateBadge('needState', n.status)]),
  }));
  const res = section(t('cobuild.projects.resources'), { id: 'cobuild-project-resources' });
  res.body.appendChild(p.resources.length
    ? h('ul.plain-list', p.resources.map((r) => h('li', h('strong', r.title), ' — ', r.offered_by || '')))
    : emptyState(t('cobuild.project.noResources')));

  const claim = section(t('cobuild.project.claim'), { id: 'cobuild-project-claim' });
  if (!c) {
    claim.body.appendChild(emptyState(p.status === 'open' ? t('cobuild.project.unclaimed') : t('cobuild.project.claimHidden')));
    if (p.status === 'open' && can('cobuild.act')) claim.body.appendChild((await claimForm(p, signal)).el);
  } else {
    claim.body.appendChild(dl([
      [t('cobuild.col.claimant'), c.claimant],
      [t('cobuild.col.state'), h('span.badges', stateBadge('claimState', c.status), cardBadge(c.card))],
      [t('cobuild.col.due'), c.deadline ? fmtDateTime(c.deadline) : fmtDate(c.due_on)],
      [t('cobuild.claim.report'), c.report],
      [t('cobuild.claim.evidence'), c.evidence],
      [t('cobuild.claim.servedOn'), c.served_on ? fmtDate(c.served_on) : null],
      [t('cobuild.claim.hours'), c.hours],
      [t('cobuild.claim.onTime'), c.on_time === null ? null : t(c.on_time ? 'cobuild.yes' : 'cobuild.no')],
      [t('cobuild.claim.community'), c.community_score ? t('cobuild.claim.score', { n: c.community_score }) : null],
      [t('cobuild.claim.residents'), c.resident_ratings ? t('cobuild.claim.residentScore', { n: c.resident_ratings, s: c.resident_score }) : null],
    ]));
    if (c.ratings?.length) {
      claim.body.appendChild(h('ul.plain-list', c.ratings.map((r) => h('li', word('rater', r.rater), ' · ',
        t('cobuild.claim.score', { n: r.score }), r.comment ? ` — ${r.comment}` : ''))));
    }
    if (can('cobuild.act') && c.status === 'claimed') claim.body.appendChild(reportForm(c).el);
    const rate = can('cobuild.act') && c.status !== 'claimed' ? rateForm(c, p) : null;
    if (rate) claim.body.appendChild(rate.el);
  }
  replace(outlet, h('p.no-print', h('a', { href: '#/cobuild' }, t('cobuild.back'))), pageTitle(title), nav(),
    facts.el, needs.el, res.el, claim.el);
  return title;
}

async function claimForm(p, signal) {
  const units = await list('/cobuild-units', { limit: 500 }, signal);
  const f = form({
    fields: [
      field({ name: 'unit_id', label: t('cobuild.claim.unit'), type: 'select', required: true,
        options: units.items.filter((u) => u.subdistrict_id === p.subdistrict_id).map((u) => ({ value: u.id, label: u.name })) }),
      field({ name: 'due_on', label: t('cobuild.col.due'), type: 'date', required: true, attrs: { min: today() } }),
    ],
    submitLabel: t('cobuild.claim.submit'),
    async onSubmit(v) {
      await post(`/cobuild-projects/${p.id}/claim`, { unit_id: Number(v.unit_id), due_on: v.due_on });
      await refresh();
    },
  });
  return f;
}

function reportForm(c) {
  const f = form({
    fields: [
      field({ name: 'evidence', label: t('cobuild.claim.evidence'), type: 'textarea', required: true, hint: t('cobuild.claim.evidenceHint') }),
      field({ name: 'served_on', label: t('cobuild.claim.servedOn'), type: 'date', required: true, value: today(),
        attrs: { min: c.claimed_on, max: today() } }),
      field({ name: 'hours', label: t('cobuild.claim.hours'), required: true, hint: t('cobuild.claim.hoursHint'),
        attrs: { inputmode: 'decimal' } }),
      field({ name: 'report', label: t('cobuild.claim.report'), type: 'textarea' }),
    ],
    submitLabel: t('cobuild.claim.reportSubmit'),
    async onSubmit(v) {
      const body = { evidence: v.evidence, served_on: v.served_on, hours: v.hours };
      if (v.report) body.report = v.report;
      await post(`/cobuild-claims/${c.id}/report`, body);
      await refresh();
    },
  });
  return f;
}

function rateForm(c, p) {
  const raisers = [...new Set(p.needs.map((n) => n.raised_by_person_id).filter(Boolean))];
  const raters = [];
  if (can('cobuild.write') && !c.community_score) raters.push('community');
  if (raisers.length) raters.push('resident');
  if (!raters.length) return null;
  const f = form({
    fields: [
      field({ name: 'rater', label: t('cobuild.claim.rater'), type: 'select', required: true,
        options: raters.map((r) => ({ value: r, label: word('rater', r) })) }),
      field({ name: 'person_id', label: t('cobuild.claim.person'), type: 'select',
        options: [{ value: '', label: t('cobuild.claim.noPerson') }, ...raisers.map((id) => ({ value: id, label: t('cobuild.claim.raiser', { id }) }))] }),
      field({ name: 'score', label: t('cobuild.claim.scoreLabel'), type: 'select', required: true, value: '5',
        options: [5, 4, 3, 2, 1].map((n) => ({ value: n, label: t('cobuild.claim.score', { n }) })) }),
      field({ name: 'comment', label: t('cobuild.claim.comment'), type: 'textarea' }),
    ],
    submitLabel: t('cobuild.claim.rateSubmit'),
    async onSubmit(v) {
      const body = { rater: v.rater, score: Number(v.score) };
      if (v.rater === 'resident' && v.person_id) body.person_id = Number(v.person_id);
      if (v.comment) body.comment = v.comment;
      await post(`/cobuild-claims/${c.id}/ratings`, body);
      await refresh();
    },
  });
  return f;
}
