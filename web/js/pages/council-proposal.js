// council-proposal.js - one proposal (议题) of a council: its supports, the vote (at a meeting or until a
// day), one member one vote — staff record each member's vote, a council member votes as themselves —,
// the result with its counts by the council's quorum and pass rule, and, once passed, its resolutions
// (决议) with owner and time node; a resolution becomes a work order (linked both ways) and is closed with
// evidence.  The server decides who may; a refusal shows next to the field it names.

import { h, replace } from '../dom.js';
import { t, fmtDate, fmtDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can, current } from '../session.js';
import { pageTitle, section, dl, emptyState, badge, field, form, disclosure } from '../ui.js';
import { cardBadge } from '../project.js';
import { CHOICES, choiceLabel, proposalBadge, countsText } from '../council.js';

export async function render({ outlet, params, signal }) {
  const p = await get(`/council-proposals/${params.id}`, null, signal);
  const [c, meetings] = await Promise.all([get(`/councils/${p.council_id}`, null, signal),
    get(`/councils/${p.council_id}/meetings`, null, signal)]);
  const title = p.title;
  const staff = can('council.write');
  const acts = can('council.act');
  const members = c.member_list.filter((m) => !m.left_on);
  const me = current();
  const mine = members.find((m) => me && m.user_id === me.user_id);

  const facts = section(t('council.proposal.facts'), { id: 'proposal-facts' });
  facts.body.appendChild(dl([
    [t('council.col.status'), proposalBadge(p.status)],
    [t('council.proposal.body'), p.body],
    [t('council.proposal.supports'), String(p.supports)],
    [t('council.proposal.voteAt'), p.meeting_id ? t('council.proposal.atMeeting', {
      on: fmtDate((meetings.items.find((m) => m.id === p.meeting_id) || {}).held_on || '') })
      : p.vote_closes_on ? t('council.proposal.until', { on: fmtDate(p.vote_closes_on) }) : ''],
    [t('council.col.result'), p.result ? countsText(p.result) : ''],
  ], { skipEmpty: true }));

  const parts = [];
  if (acts && (p.status === 'open' || p.status === 'voting') && (staff || mine)) {
    parts.push(disclosure(t('council.proposal.support'), form({
      fields: staff ? [field({ name: 'name', label: t('council.proposal.supporter'), required: true })] : [],
      submitLabel: t('council.proposal.support'),
      async onSubmit(v) {
        await post(`/council-proposals/${p.id}/supports`, staff ? { name: v.name } : {});
        await refresh();
      },
    }).el, { className: 'row-action' }));
  }
  if (staff && p.status === 'open') {
    const planned = meetings.items.filter((m) => m.status === 'planned');
    parts.push(disclosure(t('council.proposal.openVote'), form({
      fields: [field({ name: 'meeting_id', label: t('council.proposal.meeting'), type: 'select',
        options: [{ value: '', label: t('council.proposal.noMeeting') },
          ...planned.map((m) => ({ value: m.id, label: `${fmtDate(m.held_on)} ${m.place || ''}` }))] }),
      field({ name: 'closes_on', label: t('council.proposal.closesOn'), type: 'date', hint: t('council.proposal.closesHint') })],
      submitLabel: t('council.proposal.openVote'),
      async onSubmit(v) {
        await post(`/council-proposals/${p.id}/vote`, v.meeting_id ? { meeting_id: Number(v.meeting_id) } : { closes_on: v.closes_on });
        await refresh();
      },
    }).el, { className: 'row-action' }));
  }
  if (p.status === 'voting' && acts && (staff || mine)) {
    const fields = [field({ name: 'choice', label: t('council.vote.choice'), type: 'select', required: true,
      options: CHOICES.map((x) => ({ value: x, label: choiceLabel(x) })) })];
    if (staff) {
      fields.unshift(field({ name: 'member_id', label: t('council.vote.member'), type: 'select', required: true,
        options: members.map((m) => ({ value: m.id, label: m.name })) }));
    }
    parts.push(h('div', { id: 'vote-form' }, h('h3', staff ? t('council.vote.record') : t('council.vote.mine')), form({
      fields,
      submitLabel: t('council.vote.cast'),
      async onSubmit(v) {
        await post(`/council-proposals/${p.id}/votes`, staff ? { member_id: Number(v.member_id), choice: v.choice } : { choice: v.choice });
        await refresh();
      },
    }).el));
  }
  if (p.status === 'voting' && staff) {
    parts.push(h('p', t('council.vote.cast_n', { n: p.votes })), form({
      fields: [],
      submitLabel: t('council.vote.count'),
      async onSubmit() {
        await post(`/council-proposals/${p.id}/result`, {});
        await refresh();
      },
    }).el);
  }
  const voting = section(t('council.vote.title'), { id: 'proposal-vote' });
  voting.body.append(...(parts.length ? parts : [emptyState(t('council.vote.nothing'))]));

  const cats = staff && p.resolutions.some((r) => r.status === 'open' && !r.work_order_id) && can('workorder.create')
    ? await get('/wo-categories', null, signal) : null;
  const res = section(t('council.resolutions', { n: p.resolutions.length }), { id: 'proposal-resolutions' });
  if (staff && p.status === 'passed') res.body.appendChild(resolutionForm(p, c, me));
  res.body.appendChild(p.resolutions.length ? h('ul.plain-list', p.resolutions.map((r) => h('li.council-resolution',
    h('p', h('strong', r.content), ' ', badge(t(`council.resolution.${r.status}`), r.status === 'done' ? 'ok' : ''), ' ',
      r.status === 'open' ? cardBadge(r.card) : null),
    h('p', t('council.resolution.due', { at: r.deadline ? fmtDateTime(r.deadline) : fmtDate(r.due_on) })),
    r.work_order_id ? h('p', h('a', { href: `#/orders/${r.work_order_id}` }, t('council.resolution.order', { id: r.work_order_id }))) : null,
    r.evidence ? h('p', t('council.resolution.evidence', { text: r.evidence })) : null,
    r.status === 'open' ? h('div.row-actions', staff && !r.work_order_id && cats ? orderForm(r, cats) : null,
      staff || (me && me.user_id === r.owner_user_id) ? doneForm(r) : null) : null)))
    : emptyState(t('council.noResolutions')));

  replace(outlet, h('p.no-print', h('a', { href: `#/councils/${c.id}` }, c.name)), pageTitle(title), facts.el, voting.el, res.el);
  return title;
}

function resolutionForm(p, c, me) {
  const owners = [];
  if (me) owners.push({ value: me.user_id, label: t('council.resolution.me') });
  if (c.convenor_user_id && (!me || c.convenor_user_id !== me.user_id)) {
    owners.push({ value: c.convenor_user_id, label: t('council.resolution.convenor') });
  }
  const f = form({
    fields: [field({ name: 'content', label: t('council.resolution.content'), required: true }),
      field({ name: 'owner_user_id', label: t('council.resolution.owner'), type: 'select', required: true, options: owners }),
      field({ name: 'due_on', label: t('council.resolution.dueOn'), type: 'date', required: true })],
    submitLabel: t('council.resolution.add'),
    async onSubmit(v) {
      await post(`/council-proposals/${p.id}/resolutions`, { content: v.content, owner_user_id: Number(v.owner_user_id), due_on: v.due_on });
      await refresh();
    },
  });
  return disclosure(t('council.resolution.add'), f.el, { className: 'row-action' });
}

/** The work-order categories as options (a root without children, else its children). */
function categoryOptions(cats) {
  const out = [{ value: '', label: t('form.choose') }];
  for (const root of cats.items || []) {
    if (!root.active) continue;
    if (!root.children || !root.children.length) out.push({ value: root.id, label: root.name });
    for (const c of root.children || []) if (c.active) out.push({ value: c.id, label: `${root.name} › ${c.name}` });
  }
  return out;
}

function orderForm(r, cats) {
  const category = field({ name: 'category_id', label: t('council.resolution.category'), type: 'select', required: true,
    options: categoryOptions(cats) });
  const f = form({
    fields: [category, field({ name: 'text', label: t('council.resolution.orderText'), type: 'textarea' })],
    submitLabel: t('council.resolution.toOrder'),
    async onSubmit(v) {
      const body = { category_id: Number(v.category_id) };
      if (v.text) body.text = v.text;
      await post(`/council-resolutions/${r.id}/work-order`, body);
      await refresh();
    },
  });
  return disclosure(t('council.resolution.toOrder'), f.el, { className: 'row-action' });
}

function doneForm(r) {
  const f = form({
    fields: [field({ name: 'evidence', label: t('council.resolution.evidenceLabel'), type: 'textarea', required: true })],
    submitLabel: t('council.resolution.done'),
    async onSubmit(v) {
      await post(`/council-resolutions/${r.id}/done`, { evidence: v.evidence });
      await refresh();
    },
  });
  return disclosure(t('council.resolution.done'), f.el, { className: 'row-action' });
}
