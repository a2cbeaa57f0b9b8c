// import-jobs.js - 导入任务: a 12345 hotline file sent as a background job (checked whole, then written
// in short chunks, so the office goes on working meanwhile), and the caller's jobs with their progress
// bars, refreshed while one runs; a finished job shows what it did (created, unchanged, refused with
// reasons, the hotline categories still to map).

import { h, replace, announce } from '../dom.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { list, get, postCsv } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, field, form, badge, emptyState } from '../ui.js';

const REFRESH_MS = 1000;

export async function render({ outlet, signal }) {
  const title = t('jobs.title');
  const jobs = await list('/import-jobs', { limit: 20 }, signal);
  const parts = [pageTitle(title), h('p.page__intro', t('jobs.intro'))];
  if (can('workorder.dispatch')) {
    const s = section(t('jobs.submit'), { id: 'submit' });
    s.body.appendChild(submitForm().el);
    parts.push(s.el);
  }
  const listSec = section(t('jobs.list'), { id: 'jobs' });
  const body = h('div', { 'aria-live': 'polite' });
  listSec.body.appendChild(body);
  parts.push(listSec.el);
  replace(outlet, ...parts);
  paint(body, jobs.items);
  // While a job runs, its progress is asked for again every second (until the user moves on).
  const tick = async () => {
    if (signal.aborted || !jobs.items.some((j) => j.state === 'queued' || j.state === 'running')) return;
    try {
      const fresh = await Promise.all(jobs.items.map((j) => (j.state === 'done' || j.state === 'failed'
        ? j : get(`/import-jobs/${j.id}`, undefined, signal))));
      for (const [i, j] of fresh.entries()) {
        if (jobs.items[i].state !== j.state && (j.state === 'done' || j.state === 'failed')) {
          announce(t(`jobs.ended.${j.state}`, { id: j.id }));
        }
      }
      jobs.items = fresh;
      paint(body, jobs.items);
    } catch (e) {
      if (e.name === 'AbortError') return;
    }
    window.setTimeout(tick, REFRESH_MS);
  };
  window.setTimeout(tick, REFRESH_MS);
  return title;
}

function submitForm() {
  const file = field({ name: 'file', label: t('jobs.file'), type: 'file', required: true, hint: t('jobs.fileHint'), attrs: { accept: '.csv,text/csv' } });
  return form({
    fields: [file, field({ name: 'dry_run', label: t('jobs.dryRun'), type: 'checkbox', hint: t('jobs.dryRunHint') })],
    submitLabel: t('jobs.send'),
    async onSubmit(v) {
      await postCsv('/import-jobs/hotline', file.input.files[0], v.dry_run ? { dry_run: 'true' } : undefined);
      await refresh({ keepFocus: true });
      announce(t('jobs.sent'));
    },
  });
}

function paint(body, jobs) {
  if (!jobs.length) {
    replace(body, emptyState(t('jobs.none')));
    return;
  }
  replace(body, h('ul.job-list', jobs.map(jobItem)));
}

const variant = { queued: '', running: 'warn', done: 'ok', failed: 'danger' };

function jobItem(j) {
  const pct = Math.round((j.progress || 0) * 100);
  const barId = `job-${j.id}-bar`;
  return h('li.job-list__item',
    h('h3.job-list__title', t('jobs.jobTitle', { id: j.id, kind: t(`jobs.kind.${j.kind}`) }), ' ',
      badge(t(`jobs.state.${j.state}`), variant[j.state]), j.dry_run ? badge(t('jobs.dryRunBadge')) : null),
    h('label.job-list__label', { for: barId }, t('jobs.progress', { pct })),
    h('progress.job-list__bar', { id: barId, max: '100', value: String(pct) }, `${pct}%`),
    h('p.muted', t('jobs.rows', { checked: fmtNumber(j.rows_checked), done: fmtNumber(j.rows_done), total: fmtNumber(j.rows_total) }),
      ' · ', fmtDateTime(j.created_at)),
    j.result ? resultOf(j.result) : null);
}

function resultOf(r) {
  const counts = h('p', t('jobs.result', { created: fmtNumber(r.created || 0), updated: fmtNumber(r.updated || 0),
    unchanged: fmtNumber(r.unchanged || 0), refused: fmtNumber(r.ok ? (r.refused || 0) : (r.bad_rows || 0)) }));
  const problems = (r.problems || []).slice(0, 20);
  return h('div.job-list__result', counts,
    r.error ? h('p.field__error', r.error.message) : null,
    problems.length ? h('ul.job-list__problems', problems.map((p) => h('li', t('jobs.problem', { line: p.line, column: p.column || '', reason: p.reason })))) : null,
    r.unmapped_orders ? h('p', t('jobs.unmapped', { n: fmtNumber(r.unmapped_orders) }), ' ',
      can('workorder.config') ? h('a', { href: '#/wo-config' }, t('jobs.mapThem')) : null) : null);
}
