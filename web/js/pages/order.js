// order.js - 工单详情: one work order, its photos, the actions its state allows
// this user (the server's allowed_actions, from the same transition table that
// checks them), each with a form asking for what it takes, and the event timeline.
// The caller is shown masked; those with workorder.reveal may ask for it in full
// (audited).  ?action=sign opens that action's form (links from "my tasks").

import { h, replace, append, announce } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { get, post, getNode } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, badge, field, form, errorState, loadingState } from '../ui.js';
import { levelLabel } from '../labels.js';
import {
  ACTIONS, HANDLER_LEVELS, SATISFACTIONS, stateLabel, stateVariant, sourceLabel, typeLabel, urgencyLabel,
  actionLabel, satisfactionLabel, cardLabel, photoUrl, uploadPhotos, dueText,
} from '../wo.js';

export async function render({ outlet, params, query, signal }) {
  const o = await get(`/work-orders/${encodeURIComponent(params.id)}`, undefined, signal);
  const title = t('order.title', { number: o.number });
  const head = h('div.page__head', pageTitle(title),
    h('p.page__badges', badge(stateLabel(o.state), stateVariant(o.state)),
      o.card && o.card !== 'none' ? badge(cardLabel(o.card), o.card === 'red' ? 'danger' : 'warn') : null,
      o.urgency === 'urgent' ? badge(urgencyLabel('urgent'), 'danger') : null,
      o.confidential ? badge(t('wo.confidential'), 'party') : null));
  const filed = query.filed === '1'
    ? h('div.notice.notice--ok', { role: 'status' }, h('p.notice__title', t('new.filed', { number: o.number })))
    : null;

  const actions = actionSection(o, query.action);
  const dups = h('div.no-print');
  replace(outlet, head, filed,
    h('div.sections.sections--order',
      requestSection(o).el,
      dups,
      actions ? actions.el : null,
      photoSection(o),
      timelineSection(o).el),
    h('p.no-print', h('button.btn.btn--secondary', { type: 'button', onclick: () => window.print() }, t('action.print'))));
  if (o.state !== 'closed') duplicateSection(o, dups, signal);
  return title;
}

/*
 * Orders that look like this one (GET /work-orders/{id}/duplicates): alike words from the same place or
 * courtyard, or the same caller.  Shown while the order is open, so nobody dispatches one matter twice; nothing
 * when there are none or the list cannot be read.
 */
async function duplicateSection(o, slot, signal) {
  let r;
  try {
    r = await get(`/work-orders/${o.id}/duplicates`, undefined, signal);
  } catch {
    return;
  }
  if (!r || !r.items.length) return;	// none, or the page was left meanwhile
  const s = section(t('dup.title'));
  append(s.body, [
    h('p.muted', t('dup.intro', { days: r.days })),
    h('ul.dup-list', r.items.map((c) => h('li',
      h('a.order-link', { href: `#/orders/${c.id}` }, c.number), ' ',
      badge(stateLabel(c.state), stateVariant(c.state)), ' ',
      h('span', t('dup.why', {
        reasons: c.reasons.map((x) => t(`dup.reason.${x}`)).join('、'),
        percent: Math.round(c.similarity * 100),
        when: fmtDateTime(c.received_at),
      }))))),
  ]);
  replace(slot, s.el);
}

function requestSection(o) {
  const s = section(t('order.request'));
  append(s.body, [
    h('p.order__text', o.text),
    dl([
      [t('wo.field.number'), h('span.mono', o.number)],
      o.external_no ? [t('wo.field.externalNo'), h('span.mono', o.external_no)] : null,
      [t('wo.field.type'), typeLabel(o.type)],
      [t('wo.field.category'), o.category_path],
      [t('wo.field.source'), sourceLabel(o.source)],
      [t('wo.field.place'), o.node_path],
      [t('wo.field.address'), o.address],
      [t('wo.field.caller'), callerFacts(o)],
      [t('wo.field.received'), fmtDateTime(o.received_at)],
      [t('wo.field.handler'), o.handler_path ? t('common.withLevel', { name: o.handler_path, level: levelLabel(o.handler_level) }) : null],
      o.state === 'dispatched' ? [t('wo.field.signDeadline'), dueText(o, 'sign_deadline')] : null,
      [t('wo.field.deadline'), dueText(o, 'deadline')],
      [t('wo.field.settled'), o.settled_level ? levelLabel(o.settled_level) : null],
      o.satisfaction ? [t('wo.field.satisfaction'), satisfactionLabel(o.satisfaction)] : null,
      o.route ? [t('order.route'), t('common.withLevel', { name: o.route.node_path || '', level: levelLabel(o.route.level) })] : null,
    ]),
  ]);
  return s;
}

/** The caller, masked; a reveal button for those allowed (the server audits it). */
function callerFacts(o) {
  if (o.caller_hidden) return h('span.muted', t('order.callerHidden'));
  if (!o.caller || (!o.caller.name && !o.caller.phone)) return null;
  const value = h('span.phone', [o.caller.name, o.caller.phone].filter(Boolean).join(' '));
  if (!can('workorder.reveal') || !o.caller.phone) return value;
  const btn = h('button.btn.btn--small.btn--secondary.no-print', {
    type: 'button',
    'aria-label': t('order.revealLabel'),
    async onclick() {
      btn.disabled = true;
      try {
        const r = await post(`/work-orders/${o.id}/reveal`, {});
        replace(value, [r.caller_name, r.caller_phone].filter(Boolean).join(' '));
        btn.replaceWith(h('span.muted.reveal-note', t('reveal.audited')));
        announce(t('reveal.shown'));
      } catch (e) {
        btn.disabled = false;
        btn.after(errorState(e, { compact: true }));
      }
    },
  }, t('reveal.button'));
  return h('span.reveal', value, ' ', btn);
}

function photoSection(o) {
  const ids = [...o.photo_ids];
  const byId = new Map(ids.map((id) => [id, t('order.photoFiled')]));
  for (const e of o.events) {
    for (const id of e.photo_ids || []) {
      if (!byId.has(id)) {
        ids.push(id);
        byId.set(id, actionLabel(e.action));
      }
    }
  }
  if (!ids.length) return null;
  const s = section(t('order.photos', { n: ids.length }));
  s.body.appendChild(h('ul.photo-grid', ids.map((id, i) => h('li',
    h('a', { href: photoUrl(id), target: '_blank', rel: 'noopener' },
      h('img', { src: photoUrl(id), alt: t('order.photoAlt', { n: i + 1, what: byId.get(id) }), loading: 'lazy' })),
    h('span.photo-grid__caption', byId.get(id))))));
  return s.el;
}

function timelineSection(o) {
  const s = section(t('order.timeline'));
  s.body.appendChild(h('ol.timeline', o.events.map((e) => h('li.timeline__item',
    h('strong.timeline__what', actionLabel(e.action)),
    h('span.timeline__time', h('time', { datetime: e.at }, fmtDateTime(e.at))),
    h('span.timeline__who', e.actor_login || t('order.system')),
    e.from_state && e.to_state && e.from_state !== e.to_state
      ? h('span.timeline__states', `${stateLabel(e.from_state)} → ${stateLabel(e.to_state)}`) : null,
    e.opinion ? h('p.timeline__opinion', e.opinion) : null,
    e.detail ? h('p.timeline__detail', { lang: 'en' }, e.detail) : null,
    e.photo_ids && e.photo_ids.length ? h('p.timeline__detail', t('order.eventPhotos', { n: e.photo_ids.length })) : null))));
  return s;
}

/** Buttons for the allowed actions; one opens its form below them. */
function actionSection(o, opened) {
  const allowed = (o.allowed_actions || []).filter((a) => ACTIONS[a]);
  if (!allowed.length) return null;
  const s = section(t('order.actions'), { className: 'no-print' });
  const panel = h('div.action-panel');
  const buttons = h('div.action-buttons', allowed.map((a) => h(`button.btn${ACTIONS[a].primary ? '' : '.btn--secondary'}${ACTIONS[a].danger ? '.btn--danger' : ''}`, {
    type: 'button', dataset: { action: a }, 'aria-expanded': 'false',
    onclick: (ev) => open(a, ev.currentTarget),
  }, actionLabel(a))));
  function open(a, btn) {
    buttons.querySelectorAll('button').forEach((b) => b.setAttribute('aria-expanded', String(b === btn)));
    replace(panel, loadingState());
    actionForm(o, a).then((el) => {
      replace(panel, el);
      const first = panel.querySelector('select, textarea, input, button[type=submit]');
      if (first) first.focus();
    }).catch((e) => replace(panel, errorState(e)));
  }
  append(s.body, [h('p.muted', t('order.actionsIntro')), buttons, panel]);
  if (opened && allowed.includes(opened)) {
    window.setTimeout(() => open(opened, buttons.querySelector(`[data-action="${opened}"]`)), 0);
  }
  return s;
}

/** The handling nodes an order may go to: the place and its ancestors that handle orders. */
async function handlerOptions(o) {
  const place = await getNode(o.node_id);
  const chain = [...(place.ancestors || []), place].filter((n) => HANDLER_LEVELS.includes(n.level));
  const opts = chain.reverse().map((n) => ({ value: n.id, label: t('common.withLevel', { name: n.name, level: levelLabel(n.level) }) }));
  if (o.route && !opts.some((x) => x.value === o.route.node_id)) {
    opts.unshift({ value: o.route.node_id, label: t('common.withLevel', { name: o.route.node_path, level: levelLabel(o.route.level) }) });
  }
  return opts;
}

async function actionForm(o, action) {
  const spec = ACTIONS[action];
  const fields = [];
  if (spec.node) {
    const options = await handlerOptions(o);
    const def = o.route ? o.route.node_id : (options[0] && options[0].value);
    fields.push(field({
      name: 'node_id', label: t('order.field.node'), type: 'select', required: spec.node === 'required', value: def,
      options: spec.node === 'required' ? options : [{ value: '', label: t('order.field.nodeDefault') }, ...options],
      hint: o.route ? t('order.field.nodeHint', { path: o.route.node_path }) : null,
    }));
  }
  if (spec.days) fields.push(field({ name: 'days', label: t('order.field.days'), type: 'number', required: true, attrs: { min: 1, max: 10, inputmode: 'numeric' } }));
  if (spec.callback) {
    fields.push(field({
      name: 'satisfaction', label: t('order.field.satisfaction'), type: 'select', required: true,
      options: [{ value: '', label: t('form.choose') }, ...SATISFACTIONS.map((v) => ({ value: v, label: satisfactionLabel(v) }))],
    }));
    fields.push(field({
      name: 'resolved', label: t('order.field.resolved'), type: 'select', optionalMark: false, value: 'true',
      options: [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }, { value: '', label: t('form.unknown') }],
    }));
  }
  if (spec.opinion) {
    fields.push(field({
      name: 'opinion', label: t(`order.opinion.${action}`), type: 'textarea', required: spec.opinion === 'required',
      attrs: { maxlength: 4000 },
    }));
  }
  let photos = null;
  if (spec.photos) {
    photos = field({ name: 'photos', label: t('order.field.photos'), type: 'file', attrs: { accept: 'image/jpeg,image/png,image/*', multiple: true } });
    photos.getValue = () => Array.from(photos.input.files || []);
    fields.push(photos);
  }
  const f = form({
    fields,
    submitLabel: t('order.do', { action: actionLabel(action) }),
    fieldMap: { file: 'photos', photo_ids: 'photos' },
    async onSubmit(v) {
      const body = { action };
      if (v.node_id) body.node_id = Number(v.node_id);
      if (v.days) body.days = Number(v.days);
      if (v.satisfaction) body.satisfaction = v.satisfaction;
      if (spec.callback && v.resolved !== '') body.resolved = v.resolved === 'true';
      if (v.opinion) body.opinion = v.opinion;
      if (photos && v.photos.length) body.photo_ids = await uploadPhotos(v.photos);
      const after = await post(`/work-orders/${o.id}/actions`, body);
      announce(t('order.done', { action: actionLabel(action), state: stateLabel(after.state) }));
      await refresh({ keepFocus: true });
      const heading = document.querySelector('#main h1');
      if (heading) heading.focus();
    },
  });
  return h('div.action-form', h('h3', actionLabel(action)), f.el);
}

