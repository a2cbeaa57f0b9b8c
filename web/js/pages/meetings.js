// meetings.js - 周六调度会: the dispatch meetings of the user's subdistrict, newest first,
// with the sites visited; the project office records a new one (the coming Saturday
// unless a day is given, the projects visited in the order ticked).  Needs project.read;
// recording needs project.write.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { list, post } from '../api.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, field, form } from '../ui.js';
import { cardTable } from '../components/card-table.js';

export async function render({ outlet, signal }) {
  const title = t('meetings.title');
  const page = await list('/project-meetings', { limit: 100 }, signal);
  const results = section(t('meetings.listTitle', { n: fmtNumber(page.total) }), { id: 'meeting-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('meetings.col.day'), wide: true }, { label: t('meetings.col.place') },
      { label: t('meetings.col.sites'), wide: true }],
    rows: page.items.map((m) => [h('a', { href: `#/meetings/${m.id}` }, fmtDate(m.held_on)), m.place || '',
      m.sites.map((s) => s.name).join(' → ')]),
  }) : emptyState(t('meetings.none')));
  const add = can('project.write') ? await newMeeting(signal) : null;
  replace(outlet, pageTitle(title), h('p.page__intro', t('meetings.intro')), results.el, add ? add.el : null);
  return title;
}

async function newMeeting(signal) {
  const projects = (await list('/projects', { limit: 500 }, signal)).items;
  const s = section(t('meetings.new'), { id: 'meeting-new' });
  const fields = [
    field({ name: 'held_on', label: t('meetings.col.day'), type: 'date', hint: t('meetings.dayHint') }),
    field({ name: 'place', label: t('meetings.col.place') }),
    field({ name: 'attendees', label: t('meetings.attendees'), type: 'textarea' }),
  ];
  const ticks = projects.map((p) => field({ name: `p${p.id}`, label: `${p.name}（${p.code}）`, type: 'checkbox' }));
  const order = [];
  ticks.forEach((f, i) => f.input.addEventListener('change', () => {
    const id = projects[i].id;
    const at = order.indexOf(id);
    if (f.input.checked && at < 0) order.push(id);
    if (!f.input.checked && at >= 0) order.splice(at, 1);
  }));
  const sites = h('fieldset.fieldset', h('legend.fieldset__legend', t('meetings.sitesLegend')), ticks.map((f) => f.el));
  const f = form({
    fields: [...fields],
    submitLabel: t('meetings.save'),
    async onSubmit(v) {
      const body = { project_ids: order };
      for (const k of ['held_on', 'place', 'attendees']) if (v[k]) body[k] = v[k];
      const m = await post('/project-meetings', body);
      navigate(`/meetings/${m.id}`);
    },
  });
  f.el.insertBefore(sites, f.el.querySelector('.form__buttons'));
  s.body.appendChild(projects.length ? f.el : emptyState(t('projects.none')));
  return s;
}
