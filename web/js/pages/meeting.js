// meeting.js - one dispatch meeting, the sheet used on site and printed (A4): day, place,
// attendees, minutes; the sites in the order visited, each with its open problems to
// review and those raised here; and, for the team, a form to raise a problem on the spot,
// straight into that project's problem ledger.  Needs project.read; raising needs project.act.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, field, form, badge } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { problemKindLabel, statusLabel, cardBadge } from '../project.js';

const KINDS = ['procedures', 'land', 'logistics', 'labour', 'funding', 'other'];

function problemTable(items, caption) {
  return cardTable({
    caption,
    cols: [{ label: t('projects.col.problem'), wide: true }, { label: t('projects.col.kind') },
      { label: t('projects.col.raised') }, { label: t('projects.col.status') }],
    rows: items.map((x) => [x.description, problemKindLabel(x.kind), fmtDate(x.raised_on),
      h('span.badges', badge(statusLabel(x.status), x.status === 'closed' ? 'ok' : ''), x.status !== 'closed' ? cardBadge(x.card) : null)]),
  });
}

export async function render({ outlet, params, signal }) {
  const m = await get(`/project-meetings/${params.id}`, null, signal);
  const title = t('meeting.title', { day: fmtDate(m.held_on) });
  const facts = section(t('meeting.facts'), { id: 'meeting-facts' });
  facts.body.appendChild(dl([
    [t('meetings.col.place'), m.place],
    [t('meetings.attendees'), m.attendees],
    [t('meeting.counts'), t('meeting.countsText', { raised: fmtNumber(m.counts.raised), closed: fmtNumber(m.counts.closed),
      open: fmtNumber(m.counts.open_for_review) })],
    [t('meeting.minutes'), m.minutes],
  ]));
  const sites = m.sites.map((s) => {
    const sec = section(t('meeting.site', { seq: s.seq, name: s.name }), { id: `site-${s.project_id}`, level: 3 });
    const open = m.open_problems.filter((x) => x.project_id === s.project_id);
    const raised = m.problems_raised.filter((x) => x.project_id === s.project_id);
    sec.body.append(h('p', h('a', { href: `#/projects/${s.project_id}` }, t('meeting.openProject', { code: s.code }))),
      h('h4.subhead', t('meeting.review', { n: fmtNumber(open.length) })),
      open.length ? problemTable(open, t('meeting.review', { n: open.length })) : emptyState(t('meeting.noneOpen')),
      h('h4.subhead', t('meeting.raised', { n: fmtNumber(raised.length) })),
      raised.length ? problemTable(raised, t('meeting.raised', { n: raised.length })) : emptyState(t('meeting.noneRaised')));
    return sec.el;
  });
  const sitesSec = section(t('meeting.sites', { n: fmtNumber(m.sites.length) }), { id: 'meeting-sites' });
  sitesSec.body.append(...sites);
  replace(outlet, h('p.no-print', h('a', { href: '#/meetings' }, t('meeting.back'))), pageTitle(title),
    facts.el, sitesSec.el, can('project.act') ? raiseForm(m).el : null);
  return title;
}

function raiseForm(m) {
  const s = section(t('meeting.raise'), { id: 'meeting-raise', className: 'no-print' });
  const f = form({
    fields: [
      field({ name: 'project_id', label: t('meeting.project'), type: 'select', required: true,
        options: m.sites.map((x) => ({ value: x.project_id, label: `${x.seq}. ${x.name}` })) }),
      field({ name: 'kind', label: t('projects.col.kind'), type: 'select', required: true,
        options: KINDS.map((k) => ({ value: k, label: problemKindLabel(k) })) }),
      field({ name: 'description', label: t('projects.col.problem'), type: 'textarea', required: true }),
      field({ name: 'unit', label: t('meeting.unit') }),
    ],
    submitLabel: t('meeting.raiseSave'),
    async onSubmit(v) {
      const body = { project_id: Number(v.project_id), kind: v.kind, description: v.description };
      if (v.unit) body.unit = v.unit;
      await post(`/project-meetings/${m.id}/problems`, body);
      await refresh();
    },
  });
  s.body.appendChild(f.el);
  return s;
}
