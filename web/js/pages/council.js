// council.js (page) - one council (议事会): its term, quorum and pass rule, its members by seat (phones
// masked by the server), the courtyard's parties (三位一体), its meetings with agenda, attendance and the
// quorum — recorded and closed with minutes here by staff (council.write) — and its proposals.  Anyone
// with council.act raises a proposal (a council member as themselves).  The server decides; its refusal
// shows in the form next to the field it names.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, badge, field, form, disclosure } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { seatLabel, ruleLabel, proposalBadge, countsText } from '../council.js';

export async function render({ outlet, params, signal }) {
  const id = params.id;
  const [c, meetings, proposals] = await Promise.all([get(`/councils/${id}`, null, signal),
    get(`/councils/${id}/meetings`, null, signal), get(`/councils/${id}/proposals`, null, signal)]);
  const title = c.name;
  const staff = can('council.write');
  const current = c.member_list.filter((m) => !m.left_on);
  const name = new Map(c.member_list.map((m) => [m.id, m.name]));

  const facts = section(t('council.facts'), { id: 'council-facts' });
  facts.body.appendChild(dl([
    [t('councils.col.term'), t('councils.term', { from: fmtDate(c.term_start), to: fmtDate(c.term_end) })],
    [t('councils.col.rule'), t('councils.ruleText', { rule: ruleLabel(c.pass_rule), q: c.quorum_percent })],
    [t('council.board'), h('a', { href: `#/board/${c.node_id}` }, t('council.boardLink'))],
  ]));

  const members = section(t('council.members', { n: fmtNumber(current.length) }), { id: 'council-members' });
  members.body.appendChild(c.member_list.length ? cardTable({
    caption: t('council.membersCaption'),
    cols: [{ label: t('council.col.name') }, { label: t('council.col.seat') }, { label: t('council.col.phone') },
      { label: t('council.col.since') }],
    rows: c.member_list.map((m) => [m.name, seatLabel(m.seat), m.phone || '',
      m.left_on ? t('council.left', { on: fmtDate(m.left_on) }) : fmtDate(m.joined_on)]),
  }) : emptyState(t('council.noMembers')));
  if (c.parties.length) {
    members.body.appendChild(h('h3', t('council.parties')));
    members.body.appendChild(h('ul.plain-list', c.parties.map((p) => h('li', h('strong', p.name), ' — ',
      t(`council.party.${p.kind}`), p.contact_name ? ` · ${p.contact_name}` : '', p.contact_phone ? ` · ${p.contact_phone}` : ''))));
  }

  const meet = section(t('council.meetings', { n: fmtNumber(meetings.items.length) }), { id: 'council-meetings' });
  if (staff) meet.body.appendChild(newMeetingForm(id));
  meet.body.appendChild(meetings.items.length ? h('ol.plain-list', meetings.items.map((m) => h('li.council-meeting',
    h('p', h('strong', fmtDate(m.held_on)), m.place ? ` · ${m.place}` : '', ' ',
      badge(t(`council.meeting.${m.status}`), m.status === 'closed' ? 'ok' : ''), ' ',
      badge(t('council.quorum', { present: m.quorum.present, members: m.quorum.members, needed: m.quorum.needed }),
        m.quorum.met ? 'ok' : 'warn')),
    m.agenda.length ? h('ol', m.agenda.map((a) => h('li', a))) : null,
    m.minutes ? h('p.council-minutes', t('council.minutesShown', { text: m.minutes })) : null,
    staff && m.status === 'planned' ? h('div.row-actions', attendanceForm(m, current), closeForm(m)) : null)))
    : emptyState(t('council.noMeetings')));

  const props = section(t('council.proposals', { n: fmtNumber(proposals.items.length) }), { id: 'council-proposals' });
  if (can('council.act')) props.body.appendChild(newProposalForm(id, staff));
  props.body.appendChild(proposals.items.length ? cardTable({
    caption: t('council.proposalsCaption'),
    cols: [{ label: t('council.col.title'), wide: true }, { label: t('council.col.from') }, { label: t('council.col.status') },
      { label: t('council.col.result') }],
    rows: proposals.items.map((p) => [h('a', { href: `#/council-proposals/${p.id}` }, p.title),
      p.proposer_member_id ? name.get(p.proposer_member_id) || '' : p.proposer_name || t(`council.source.${p.source}`),
      proposalBadge(p.status), countsText(p.result)]),
  }) : emptyState(t('council.noProposals')));

  replace(outlet, h('p.no-print', h('a', { href: '#/councils' }, t('council.back'))), pageTitle(title),
    facts.el, members.el, meet.el, props.el);
  return title;
}

function newMeetingForm(id) {
  const f = form({
    fields: [field({ name: 'held_on', label: t('council.meeting.on'), type: 'date', required: true }),
      field({ name: 'place', label: t('council.meeting.place') }),
      field({ name: 'agenda', label: t('council.meeting.agenda'), type: 'textarea', hint: t('council.meeting.agendaHint') })],
    submitLabel: t('council.meeting.add'),
    async onSubmit(v) {
      const body = { held_on: v.held_on, agenda: v.agenda.split('\n').map((x) => x.trim()).filter(Boolean) };
      if (v.place) body.place = v.place;
      await post(`/councils/${id}/meetings`, body);
      await refresh();
    },
  });
  return disclosure(t('council.meeting.add'), f.el, { className: 'row-action' });
}

/** Attendance: each current member present, absent, or represented by another member's proxy. */
function attendanceForm(m, current) {
  const had = new Map(m.attendance.map((a) => [a.member_id, a]));
  const opts = [{ value: 'present', label: t('council.att.present') }, { value: 'absent', label: t('council.att.absent') },
    ...current.map((x) => ({ value: `proxy:${x.id}`, label: t('council.att.proxyBy', { name: x.name }) }))];
  const fields = current.map((x) => {
    const a = had.get(x.id);
    return field({ name: `m${x.id}`, label: x.name, type: 'select', options: opts,
      value: a ? (a.status === 'proxy' ? `proxy:${a.proxy_member_id}` : a.status) : 'present' });
  });
  const f = form({
    fields,
    submitLabel: t('council.att.save'),
    fieldMap: { attendance: fields.length ? fields[0].name : undefined },
    async onSubmit(v) {
      const body = { present: [], absent: [], proxy: [], proxy_holders: [] };
      for (const x of current) {
        const s = v[`m${x.id}`];
        if (s.startsWith('proxy:')) {
          body.proxy.push(x.id);
          body.proxy_holders.push(Number(s.slice(6)));
        } else body[s].push(x.id);
      }
      await post(`/council-meetings/${m.id}/attendance`, body);
      await refresh();
    },
  });
  return disclosure(t('council.att.title'), f.el, { className: 'row-action' });
}

function closeForm(m) {
  const f = form({
    fields: [field({ name: 'minutes', label: t('council.meeting.minutes'), type: 'textarea', required: true })],
    submitLabel: t('council.meeting.close'),
    async onSubmit(v) {
      await post(`/council-meetings/${m.id}/close`, { minutes: v.minutes });
      await refresh();
    },
  });
  return disclosure(t('council.meeting.close'), f.el, { className: 'row-action' });
}

function newProposalForm(id, staff) {
  const fields = [field({ name: 'title', label: t('council.col.title'), required: true }),
    field({ name: 'body', label: t('council.proposal.body'), type: 'textarea' })];
  if (staff) fields.push(field({ name: 'proposer_name', label: t('council.proposal.resident'), hint: t('council.proposal.residentHint') }));
  const f = form({
    fields,
    submitLabel: t('council.proposal.add'),
    async onSubmit(v) {
      const body = { title: v.title };
      if (v.body) body.body = v.body;
      if (v.proposer_name) body.proposer_name = v.proposer_name;
      await post(`/councils/${id}/proposals`, body);
      await refresh();
    },
  });
  return disclosure(t('council.proposal.add'), f.el, { className: 'row-action' });
}
