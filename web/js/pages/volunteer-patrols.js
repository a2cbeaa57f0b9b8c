// volunteer-patrols.js - 巡逻记录: the patrol logs of the user's scope (#/volunteers/patrols; a volunteer: their
// teams'), and one patrol (#/volunteers/patrols/:id) with who went, what was seen and its incidents; a member
// adds an incident at a place of the team's node, and turns it into a work order in one step (the place and
// photo carried over; the order's number shows beside the incident).  A patrol is logged from its team's page.

import { h, replace, announce } from '../dom.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { get, list, post, upload } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, errorState, field, form, disclosure, badge, pager } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { hhmm } from '../volunteer.js';

const LIMIT = 30;

export async function render(ctx) {
  return ctx.params.id ? renderOne(ctx) : renderList(ctx);
}

async function renderList({ outlet, query, signal }) {
  const offset = /^\d+$/.test(query.offset || '') ? Number(query.offset) : 0;
  const page = await list('/volunteer-patrols', { limit: LIMIT, offset }, signal);
  const title = t('vol.patrol.title');
  const s = section(t('vol.patrol.count', { n: fmtNumber(page.total) }), { id: 'vol-patrols' });
  s.body.appendChild(page.items.length ? h('ul.vol-cards', page.items.map((p) => h('li.vol-card',
    h('p.vol-card__when', h('a', { href: `#/volunteers/patrols/${p.id}` }, when(p))),
    h('p.vol-card__what', `${p.team_name} · ${p.route}`),
    h('p.muted', p.people.map((x) => x.name).join('、')),
    p.incidents.length ? h('p', badge(t('vol.patrol.incidents', { n: p.incidents.length }), 'warn'),
      p.incidents.some((i) => i.work_order_id) ? [' ', badge(t('vol.patrol.orders', { n: p.incidents.filter((i) => i.work_order_id).length }))] : null)
      : null))) : emptyState(t('vol.patrol.none')));
  s.body.appendChild(pager({ total: page.total, limit: LIMIT, offset, hrefFor: (o) => `#/volunteers/patrols?offset=${o}` }) || '');
  replace(outlet, h('p.no-print', h('a', { href: '#/volunteers' }, t('vol.me.back'))), pageTitle(title),
    h('p.page__intro', t('vol.patrol.intro')), s.el);
  return title;
}

const when = (p) => `${fmtDateTime(p.started_at)}–${hhmm(p.ended_at)}`;

async function renderOne({ outlet, params, signal }) {
  const p = await get(`/volunteer-patrols/${params.id}`, null, signal);
  const title = t('vol.patrol.one', { team: p.team_name });
  const facts = section(t('vol.patrol.facts'), { id: 'vol-patrol-facts' });
  facts.body.appendChild(dl([
    [t('vol.col.when'), when(p)],
    [t('vol.patrol.route'), p.route],
    [t('vol.patrol.people'), p.people.map((x) => x.name).join('、')],
    [t('vol.patrol.seen'), p.seen || ''],
  ]));
  const inc = section(t('vol.patrol.incidentList', { n: fmtNumber(p.incidents.length) }), { id: 'vol-patrol-incidents' });
  inc.body.appendChild(p.incidents.length ? h('ul.vol-cards', p.incidents.map((x) => h('li.vol-card',
    h('p', x.description),
    x.work_order_id
      ? h('p', badge(t('vol.patrol.became'), 'ok'), ' ',
        can('workorder.read') ? h('a', { href: `#/orders/${x.work_order_id}` }, x.work_order_number) : x.work_order_number)
      : (can('volunteer.act') ? orderButton(x) : null)))) : emptyState(t('vol.patrol.noIncidents')));
  if (can('volunteer.act')) inc.body.appendChild(incidentForm(p));
  replace(outlet, h('p.no-print', h('a', { href: '#/volunteers/patrols' }, t('vol.patrol.back'))), pageTitle(title),
    facts.el, inc.el);
  return title;
}

function orderButton(x) {
  const status = h('span', { 'aria-live': 'polite' });
  const btn = h('button.btn.btn--small', {
    type: 'button',
    async onclick() {
      btn.disabled = true;
      try {
        await post(`/volunteer-patrol-incidents/${x.id}/work-order`, {});
        announce(t('vol.patrol.became'));
        await refresh({ keepFocus: true });
      } catch (e) {
        btn.disabled = false;
        replace(status, errorState(e, { compact: true }));
      }
    },
  }, t('vol.patrol.toOrder'));
  return h('div.vol-card__actions.no-print', btn, status);
}

function incidentForm(p) {
  const photo = can('workorder.create')
    ? field({ name: 'photo', label: t('vol.patrol.photo'), type: 'file', attrs: { accept: 'image/jpeg,image/png', capture: 'environment' } })
    : null;
  // Those who see the tree pick the place; a volunteer records it at the team's own node.
  const place = can('org.read') ? nodePicker({ name: 'node_id', label: t('vol.col.where'), levels: ['courtyard', 'building'], required: true }) : null;
  const f = form({
    fields: [
      field({ name: 'description', label: t('vol.patrol.what'), type: 'textarea', required: true, attrs: { maxlength: 1000 },
        hint: place ? null : t('vol.patrol.placeHint') }),
      ...(place ? [place] : []),
      ...(photo ? [photo] : []),
    ],
    submitLabel: t('vol.patrol.addIncident'),
    async onSubmit(v) {
      const body = { description: v.description, node_id: place ? Number(v.node_id) : p.node_id };
      const file = photo && photo.input.files && photo.input.files[0];
      if (file) {
        const up = await upload('/uploads', file);
        body.upload_id = (up.items || up)[0].id;
      }
      await post(`/volunteer-patrols/${p.id}/incidents`, body);
      await refresh();
    },
  });
  return disclosure(t('vol.patrol.addIncident'), f.el, { className: 'no-print' });
}
