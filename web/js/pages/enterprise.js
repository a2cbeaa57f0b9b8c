// enterprise.js - one enterprise: the register's facts and status history, its honours, today's 帮包 leader and service
// officer, contacts (phones masked; shown in full through the audited reveal), its problems with their
// cards (recorded here, due on the time-node engine) and its monthly indicators with 环比 and 同比.

import { h, replace } from '../dom.js';
import { t, fmtDateTime, fmtDate, today } from '../i18n.js';
import { get, post, list, getNode } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, field, form, disclosure, loadInto, emptyState, badge, errorState, refreshAndFocus } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { placeName } from '../format.js';
import { cardLabel } from '../wo.js';
import { statusBadge, aboveScaleBadge, STATUSES } from './enterprises.js';

const CATEGORIES = ['financing', 'land', 'labour', 'approvals', 'utilities', 'logistics', 'other'];
const UNIT_LEVELS = ['subdistrict', 'community', 'courtyard'];

export async function render({ params, outlet, signal }) {
  const e = await get(`/enterprises/${params.id}`, null, signal);
  const place = await getNode(e.node_id).catch(() => null);
  const title = e.name;
  const problems = section(t('enterprise.problems'), { id: 'problems' });
  const visits = section(t('enterprise.visits'), { id: 'visits' });
  const indicators = section(t('enterprise.indicators'), { id: 'indicators' });
  replace(outlet, pageTitle(title),
    factsSection(e, place), honourSection(e), cadreSection(e), contactSection(e), visits.el, problems.el, indicators.el,
    statusSection(e));

  loadInto(visits.body, () => list('/enterprise-visits', { enterprise_id: e.id, limit: 20 }, signal), (page) => h('div',
    page.items.length ? visitList(page.items) : emptyState(t('enterprise.noVisits')),
    can('enterprise.write') ? visitForm(e) : null));

  loadInto(problems.body, () => list('/enterprise-problems', { enterprise_id: e.id, limit: 50 }, signal), (page) => h('div',
    page.items.length ? problemList(page.items) : emptyState(t('enterprise.noProblems')),
    can('enterprise.write') ? problemForm(e) : null));
  loadInto(indicators.body, () => get(`/enterprises/${e.id}/indicators`, null, signal), (r) => (r.items.length
    ? indicatorTable(r.items.slice(-12).reverse()) : emptyState(t('enterprise.noIndicators'))));
  return title;
}

function factsSection(e, place) {
  const s = section(t('enterprise.facts'));
  s.body.appendChild(dl([
    [t('enterprise.field.creditCode'), h('span.code', e.credit_code)],
    [t('enterprise.field.legalRep'), e.legal_rep || ''],
    [t('enterprise.field.industry'), [e.industry_code, e.industry_name].filter(Boolean).join(' ')],
    [t('enterprise.field.size'), t(`enterprise.size.${e.size}`)],
    [t('enterprises.filter.aboveScale'), e.above_scale ? aboveScaleBadge(e) : t('common.no')],
    [t('enterprise.field.status'), statusBadge(e.status)],
    [t('enterprise.field.place'), place ? h('a', { href: `#/org/node/${place.id}` }, placeName(place)) : String(e.node_id)],
    [t('enterprise.field.address'), e.address || ''],
    [t('node.field.updated'), fmtDateTime(e.updated_at)],
  ]));
  return s.el;
}

const HONOUR_KINDS = ['specialised', 'little_giant', 'gazelle', 'high_tech', 'other'];
const HONOUR_LEVELS = ['national', 'provincial', 'city', 'district'];

function honourSection(e) {
  const s = section(t('enterprise.honours'), { id: 'honours' });
  if (!e.honours.length) s.body.appendChild(emptyState(t('enterprise.noHonours')));
  else {
    s.body.appendChild(h('ul.status-history', e.honours.map((x) => h('li',
      t('enterprise.honour.line', { level: t(`enterprise.honour.level.${x.level}`), kind: x.title || t(`enterprise.honour.kind.${x.kind}`), year: x.year }),
      x.expires_on ? [' · ', t('enterprise.honour.expires', { date: fmtDate(x.expires_on) })] : null))));
  }
  if (can('enterprise.write')) s.body.appendChild(honourForm(e, s));
  return s.el;
}

function honourForm(e, s) {
  const year = today().slice(0, 4);
  const kind = field({ name: 'kind', label: t('enterprise.honour.kindLabel'), type: 'select', required: true,
    options: HONOUR_KINDS.map((k) => ({ value: k, label: t(`enterprise.honour.kind.${k}`) })) });
  const level = field({ name: 'level', label: t('enterprise.honour.levelLabel'), type: 'select', required: true,
    options: HONOUR_LEVELS.map((l) => ({ value: l, label: t(`enterprise.honour.level.${l}`) })) });
  const title = field({ name: 'title', label: t('enterprise.honour.title'), hint: t('enterprise.honour.titleHint'), attrs: { maxlength: 100 } });
  const awarded = field({ name: 'year', label: t('enterprise.honour.year'), type: 'number', required: true, value: year,
    attrs: { min: 1990, max: year, inputmode: 'numeric' } });
  const expires = field({ name: 'expires_on', label: t('enterprise.honour.expiresOn'), type: 'date' });
  const f = form({
    fields: [kind, level, title, awarded, expires],
    submitLabel: t('enterprise.honour.add'),
    async onSubmit(v) {
      const body = { kind: v.kind, level: v.level, year: Number(v.year) };
      if (v.title) body.title = v.title;
      if (v.expires_on) body.expires_on = v.expires_on;
      await post(`/enterprises/${e.id}/honours`, body);
      await refreshAndFocus(refresh, s.heading.textContent, t('form.saved'));
    },
  });
  return disclosure(t('enterprise.honour.add'), f.el, { className: 'no-print' });
}

function cadreSection(e) {
  const s = section(t('enterprise.cadres'));
  s.body.appendChild(dl(['leader', 'officer'].map((role) => {
    const c = e.cadres.find((x) => x.role === role);
    return [t(`enterprise.cadre.${role}`), c ? t('enterprise.cadreSince', { name: c.display_name || c.login, date: fmtDate(c.starts_on) }) : ''];
  })));
  return s.el;
}

/* Contacts: phones masked; the full numbers are asked for, and the server records who asked. */
function contactSection(e) {
  const s = section(t('enterprise.contacts'));
  if (!e.contacts.length) s.body.appendChild(emptyState(t('enterprise.noContacts')));
  const phones = new Map();
  if (e.contacts.length) {
    s.body.appendChild(h('ul.contact-list', e.contacts.map((c) => {
      const phone = h('span.phone', c.phone || t('common.none'));
      phones.set(c.id, phone);
      return h('li', h('span.contact-list__name', c.name), c.title ? ` · ${c.title}` : '', ' ', phone);
    })));
  }
  if (e.contacts.some((c) => c.phone) && can('enterprise.reveal')) {
    const status = h('span.phone__status', { 'aria-live': 'polite' });
    const btn = h('button.btn.btn--small.btn--secondary.no-print', { type: 'button' }, t('enterprise.revealPhones'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const r = await post(`/enterprises/${e.id}/reveal`, { fields: ['phone'] });
        for (const c of r.contacts) {
          if (c.phone && phones.has(c.id)) replace(phones.get(c.id), h('a', { href: `tel:${c.phone}` }, c.phone));
        }
        btn.remove();
        status.textContent = t('person.revealed');
      } catch (err) {
        btn.disabled = false;
        replace(status, errorState(err, { compact: true }));
      }
    });
    s.body.appendChild(h('p', btn, ' ', status));
    s.body.appendChild(h('p.hint', t('enterprise.phonesMasked')));
  }
  if (can('enterprise.write')) s.body.appendChild(contactForm(e, s));
  return s.el;
}

function contactForm(e, s) {
  const name = field({ name: 'name', label: t('enterprise.contact.name'), required: true, attrs: { maxlength: 50, autocomplete: 'off' } });
  const title = field({ name: 'title', label: t('enterprise.contact.title'), attrs: { maxlength: 50 } });
  const phone = field({ name: 'phone', label: t('enterprise.contact.phone'), type: 'tel', attrs: { inputmode: 'tel', autocomplete: 'off', maxlength: 20 } });
  const f = form({
    fields: [name, title, phone],
    submitLabel: t('enterprise.contact.add'),
    async onSubmit(v) {
      const body = { name: v.name };
      if (v.title) body.title = v.title;
      if (v.phone) body.phone = v.phone;
      await post(`/enterprises/${e.id}/contacts`, body);
      await refreshAndFocus(refresh, s.heading.textContent, t('form.saved'));
    },
  });
  return disclosure(t('enterprise.contact.add'), f.el, { className: 'no-print' });
}

function visitList(items) {
  return h('ul.problem-list', items.map((v) => h('li.problem-list__item',
    h('p.problem-list__title', fmtDate(v.visited_on), ' · ', v.login),
    h('p.problem-list__meta', v.purpose),
    v.policies ? h('p.problem-list__meta', t('enterprise.visit.policiesShown', { text: v.policies })) : null,
    v.follow_up ? h('p.problem-list__meta', t('enterprise.visit.followUpShown', { text: v.follow_up })) : null)));
}

/* A visit filed on the spot, usually from a phone: who is the person logged in, the day today unless changed. */
function visitForm(e) {
  const on = field({ name: 'visited_on', label: t('enterprise.visit.on'), type: 'date', value: today(), attrs: { max: today() } });
  const purpose = field({ name: 'purpose', label: t('enterprise.visit.purpose'), type: 'textarea', required: true, attrs: { maxlength: 1000 } });
  const policies = field({ name: 'policies', label: t('enterprise.visit.policies'), type: 'textarea', attrs: { maxlength: 1000 } });
  const followUp = field({ name: 'follow_up', label: t('enterprise.visit.followUp'), type: 'textarea', attrs: { maxlength: 1000 } });
  const f = form({
    fields: [on, purpose, policies, followUp],
    submitLabel: t('enterprise.visit.add'),
    async onSubmit(v) {
      const body = { purpose: v.purpose };
      if (v.visited_on) body.visited_on = v.visited_on;
      if (v.policies) body.policies = v.policies;
      if (v.follow_up) body.follow_up = v.follow_up;
      await post(`/enterprises/${e.id}/visits`, body);
      await refreshAndFocus(refresh, t('enterprise.visits'), t('form.saved'));
    },
  });
  return disclosure(t('enterprise.visit.add'), f.el, { className: 'no-print' });
}

function problemList(items) {
  return h('ul.problem-list', items.map((p) => h('li.problem-list__item',
    h('p.problem-list__title', badge(t(`enterprise.category.${p.category}`), 'kind'), ' ', p.description),
    h('p.problem-list__meta',
      badge(t(`enterprise.problemState.${p.state}`), p.state === 'closed' ? 'ok' : 'level'),
      p.state === 'open' && p.card && p.card !== 'none' ? [' ', badge(cardLabel(p.card), p.card === 'red' ? 'danger' : 'warn')] : null,
      p.deadline && p.state === 'open' ? [' ', t('tasks.due', { at: fmtDateTime(p.deadline) })] : null,
      p.state === 'closed' ? [' ', t(`enterprise.satisfaction.${p.satisfaction}`)] : null),
    p.state === 'closed' && p.evidence ? h('p.problem-list__meta', t('enterprise.problem.evidenceShown', { text: p.evidence })) : null,
    p.state === 'open' && can('enterprise.write') ? closeForm(p) : null)));
}

/* Closing a problem: the evidence that it is settled and the enterprise's satisfaction. */
function closeForm(p) {
  const evidence = field({ name: 'evidence', label: t('enterprise.problem.evidence'), type: 'textarea', required: true, attrs: { maxlength: 1000 } });
  const satisfaction = field({ name: 'satisfaction', label: t('enterprise.problem.satisfaction'), type: 'select', required: true,
    options: [{ value: '', label: t('form.choose') }, ...['satisfied', 'basically_satisfied', 'dissatisfied']
      .map((x) => ({ value: x, label: t(`enterprise.satisfaction.${x}`) }))] });
  const f = form({
    fields: [evidence, satisfaction],
    submitLabel: t('enterprise.problem.close'),
    async onSubmit(v) {
      await post(`/enterprise-problems/${p.id}/close`, { evidence: v.evidence, satisfaction: v.satisfaction });
      await refreshAndFocus(refresh, t('enterprise.problems'), t('form.saved'));
    },
  });
  return disclosure(t('enterprise.problem.closeTitle', { what: t(`enterprise.category.${p.category}`) }), f.el, { className: 'no-print' });
}

function problemForm(e) {
  const category = field({ name: 'category', label: t('enterprise.problem.category'), type: 'select', required: true,
    options: [{ value: '', label: t('form.choose') }, ...CATEGORIES.map((c) => ({ value: c, label: t(`enterprise.category.${c}`) }))] });
  const description = field({ name: 'description', label: t('enterprise.problem.description'), type: 'textarea', required: true, attrs: { maxlength: 1000 } });
  const unit = nodePicker({ name: 'unit_node_id', label: t('enterprise.problem.unit'), hint: t('enterprise.problem.unitHint'), levels: UNIT_LEVELS, required: true });
  const raised = field({ name: 'raised_on', label: t('enterprise.problem.raisedOn'), type: 'date', value: today(), attrs: { max: today() } });
  const days = field({ name: 'days', label: t('enterprise.problem.days'), type: 'number', required: true, value: '10',
    hint: t('enterprise.problem.daysHint'), attrs: { min: 1, max: 365, inputmode: 'numeric' } });
  const f = form({
    fields: [category, description, unit, raised, days],
    submitLabel: t('enterprise.problem.add'),
    validate(v) {
      return /^\d{1,3}$/.test(v.days) && Number(v.days) >= 1 && Number(v.days) <= 365 ? {} : { days: t('enterprise.problem.daysInvalid') };
    },
    async onSubmit(v) {
      const body = { category: v.category, description: v.description, unit_node_id: Number(v.unit_node_id), days: Number(v.days) };
      if (v.raised_on) body.raised_on = v.raised_on;
      await post(`/enterprises/${e.id}/problems`, body);
      await refreshAndFocus(refresh, t('enterprise.problems'), t('form.saved'));
    },
  });
  return disclosure(t('enterprise.problem.add'), f.el, { className: 'no-print' });
}

const pct = (g) => (g === null || g === undefined ? '' : `${g.startsWith('-') ? '' : '+'}${g}%`);

function indicatorTable(rows) {
  const head = ['enterprise.ind.month', 'enterprise.ind.output', 'enterprise.ind.mom', 'enterprise.ind.yoy', 'enterprise.ind.investment'];
  return h('div', h('p.hint', t('enterprise.ind.caption')), h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', t('enterprise.ind.caption')),
    h('thead', h('tr', head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', rows.map((r) => {
      const cells = [r.month, r.output ?? '', pct(r.growth.output.mom), pct(r.growth.output.yoy), r.investment ?? ''];
      return h('tr', cells.map((c, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, 'data-label': t(head[i]), class: c === '' ? 'is-empty' : null },
        h('div.cell', c === '' ? h('span.muted', t('common.none')) : c))));
    })))));
}

function statusSection(e) {
  const s = section(t('enterprise.statusHistory'));
  s.body.appendChild(h('ol.status-history', e.status_history.map((x) => h('li',
    statusBadge(x.status), ' ', t('enterprise.statusSince', { date: fmtDate(x.since) }), x.reason ? ` · ${x.reason}` : ''))));
  if (can('enterprise.write')) {
    const status = field({ name: 'status', label: t('enterprise.field.status'), type: 'select', required: true,
      options: STATUSES.filter((x) => x !== e.status).map((x) => ({ value: x, label: t(`enterprise.status.${x}`) })) });
    const since = field({ name: 'since', label: t('enterprise.statusSinceLabel'), type: 'date', value: today(), attrs: { max: today() } });
    const reason = field({ name: 'reason', label: t('enterprise.statusReason'), attrs: { maxlength: 500 } });
    const f = form({
      fields: [status, since, reason],
      submitLabel: t('enterprise.changeStatus'),
      async onSubmit(v) {
        const body = { status: v.status };
        if (v.since) body.since = v.since;
        if (v.reason) body.reason = v.reason;
        await post(`/enterprises/${e.id}/status`, body);
        await refreshAndFocus(refresh, s.heading.textContent, t('form.saved'));
      },
    });
    s.body.appendChild(disclosure(t('enterprise.changeStatus'), f.el, { className: 'no-print' }));
  }
  return s.el;
}
