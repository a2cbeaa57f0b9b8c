// project.js (page) - one key project: its facts and "四个一" (lead official, work team,
// work plan), its stage history, and its three ledgers (任务清单, 问题清单, 责任清单) with
// each time node's deadline and card.  Needs project.read.  With project.act, each open
// row has its actions (a task done with evidence; a problem assigned, or closed — 销号 —
// with evidence); the server decides who may, and its refusal shows in the form.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate, fmtDateTime } from '../i18n.js';
import { get, post, patch } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, dl, emptyState, badge, field, form, disclosure } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { stageLabel, problemKindLabel, statusLabel, cardBadge } from '../project.js';

export async function render({ outlet, params, signal }) {
  const id = params.id;
  const [p, tasks, problems, duties] = await Promise.all([
    get(`/projects/${id}`, null, signal), get(`/projects/${id}/tasks`, null, signal),
    get(`/projects/${id}/problems`, null, signal), get(`/projects/${id}/duties`, null, signal),
  ]);
  const who = new Map(p.members.map((m) => [m.user_id, m.display_name || m.login]));
  if (p.lead_user_id && p.lead_name) who.set(p.lead_user_id, p.lead_name);
  const person = (uid) => (uid ? who.get(uid) || t('projects.user', { id: uid }) : '');
  const title = p.name;

  const facts = section(t('projects.facts'), { id: 'project-facts' });
  facts.body.appendChild(dl([
    [t('projects.col.code'), p.code],
    [t('projects.col.owner'), p.owner_name],
    [t('projects.category'), [p.category, p.industry].filter(Boolean).join(' · ')],
    [t('projects.col.stage'), h('span', badge(stageLabel(p.stage, p.build_kind)), ' ', t('projects.since', { day: fmtDate(p.stage_on) }))],
    [t('projects.col.total'), t('projects.amount', { wan: p.investment_total, yi: p.investment_total_yi })],
    [t('projects.plan', { year: p.plan_year || '' }), t('projects.amount', { wan: p.investment_plan, yi: p.investment_plan_yi })],
    [t('projects.completed'), t('projects.amount', { wan: p.investment_completed, yi: p.investment_completed_yi })],
    [t('projects.lead'), p.lead_name || person(p.lead_user_id)],
    [t('projects.workPlan'), p.work_plan],
  ]));

  const team = section(t('projects.team', { n: fmtNumber(p.members.length) }), { id: 'project-team' });
  team.body.appendChild(p.members.length
    ? h('ul.plain-list', p.members.map((m) => h('li', h('strong', m.display_name || m.login), ' — ', m.duty)))
    : emptyState(t('projects.noTeam')));

  const stages = section(t('projects.stages'), { id: 'project-stages' });
  stages.body.appendChild(h('ol.plain-list', p.stages.map((s) => h('li',
    h('time', { datetime: s.on }, fmtDate(s.on)), ' ', stageLabel(s.stage, s.build_kind),
    s.reason ? [' — ', t('projects.reason', { reason: s.reason })] : null))));

  const acts = can('project.act');
  const actCol = acts ? [{ label: t('projects.col.actions'), wide: true }] : [];
  const taskSec = section(t('projects.tasks', { n: fmtNumber(tasks.items.length) }), { id: 'project-tasks' });
  taskSec.body.appendChild(tasks.items.length ? cardTable({
    caption: t('projects.tasksCaption'),
    cols: [{ label: t('projects.col.content'), wide: true }, { label: t('projects.col.ownerUser') },
      { label: t('projects.col.due') }, { label: t('projects.col.status') }, ...actCol],
    rows: tasks.items.map((x) => [x.content, person(x.owner_user_id),
      x.deadline ? fmtDateTime(x.deadline) : fmtDate(x.due_on),
      h('span.badges', badge(statusLabel(x.status), x.status === 'done' ? 'ok' : ''), x.status === 'open' ? cardBadge(x.card) : null),
      ...(acts ? [x.status === 'open' ? evidenceForm(t('projects.act.done'),
        (evidence) => patch(`/project-tasks/${x.id}`, { status: 'done', evidence })) : ''] : [])]),
  }) : emptyState(t('projects.noTasks')));

  const probSec = section(t('projects.problems', { n: fmtNumber(problems.items.length) }), { id: 'project-problems' });
  probSec.body.appendChild(problems.items.length ? cardTable({
    caption: t('projects.problemsCaption'),
    cols: [{ label: t('projects.col.problem'), wide: true }, { label: t('projects.col.kind') },
      { label: t('projects.col.raised') }, { label: t('projects.col.ownerUser') }, { label: t('projects.col.due') },
      { label: t('projects.col.status') }, ...actCol],
    rows: problems.items.map((x) => [x.description, problemKindLabel(x.kind), fmtDate(x.raised_on),
      [x.unit, person(x.owner_user_id)].filter(Boolean).join(' · '), x.due_on ? fmtDate(x.due_on) : '',
      h('span.badges', badge(statusLabel(x.status), x.status === 'closed' ? 'ok' : ''), x.status !== 'closed' ? cardBadge(x.card) : null),
      ...(acts ? [x.status === 'closed' ? '' : h('div.row-actions',
        x.owner_user_id ? null : assignForm(x, [...who.entries()]),
        evidenceForm(t('projects.act.close'), (evidence) => post(`/project-problems/${x.id}/actions`, { action: 'close', evidence })))] : [])]),
  }) : emptyState(t('projects.noProblems')));

  const dutySec = section(t('projects.duties', { n: fmtNumber(duties.items.length) }), { id: 'project-duties' });
  dutySec.body.appendChild(duties.items.length
    ? h('ul.plain-list', duties.items.map((d) => h('li', h('strong', person(d.user_id)), ' — ', d.duty)))
    : emptyState(t('projects.noDuties')));

  replace(outlet, h('p.no-print', h('a', { href: '#/projects' }, t('projects.back'))), pageTitle(title),
    facts.el, team.el, stages.el, taskSec.el, probSec.el, dutySec.el);
  return title;
}

/** A closed disclosure with one evidence field: done or 销号. */
function evidenceForm(label, send) {
  const f = form({
    fields: [field({ name: 'evidence', label: t('projects.act.evidence'), type: 'textarea', required: true })],
    submitLabel: label,
    async onSubmit(v) {
      await send(v.evidence);
      await refresh();
    },
  });
  return disclosure(label, f.el, { className: 'row-action' });
}

/** Assigning a problem: who (the team and the lead) and by when. */
function assignForm(x, people) {
  const f = form({
    fields: [
      field({ name: 'owner_user_id', label: t('projects.col.ownerUser'), type: 'select', required: true,
        options: people.map(([id, name]) => ({ value: id, label: name })) }),
      field({ name: 'due_on', label: t('projects.col.due'), type: 'date', required: true, attrs: { min: x.raised_on } }),
      field({ name: 'unit', label: t('meeting.unit') }),
    ],
    submitLabel: t('projects.act.assign'),
    fieldMap: { owner_user_id: 'owner_user_id', due_on: 'due_on' },
    async onSubmit(v) {
      const body = { action: 'assign', owner_user_id: Number(v.owner_user_id), due_on: v.due_on };
      if (v.unit) body.unit = v.unit;
      await post(`/project-problems/${x.id}/actions`, body);
      await refresh();
    },
  });
  return disclosure(t('projects.act.assign'), f.el, { className: 'row-action' });
}
