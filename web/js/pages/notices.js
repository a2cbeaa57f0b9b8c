// notices.js - 公示栏: the notices of the user's scope (GET /notices) with their period and state; with
// notice.publish a new notice is written to one of the user's councils' places (it shows there and on
// everything under it), published at once or kept as a draft, and later published or taken down.  The
// public board of a place (#/board/ID) shows only what is published and current.

import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { list, post } from '../api.js';
import { refresh } from '../router.js';
import { can, scopeId } from '../session.js';
import { pageTitle, section, emptyState, badge, field, form, disclosure } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { CATEGORIES, categoryLabel } from '../council.js';

export async function render({ outlet, signal }) {
  const title = t('notices.title');
  const [page, councils] = await Promise.all([list('/notices', { limit: 200 }, signal), list('/councils', { limit: 200 }, signal)]);
  const publish = can('notice.publish');
  const results = section(t('notices.listTitle', { n: fmtNumber(page.total) }), { id: 'notice-list' });
  results.body.appendChild(page.items.length ? cardTable({
    caption: t('notices.title'),
    cols: [{ label: t('notices.col.title'), wide: true }, { label: t('notices.col.where') }, { label: t('notices.col.period') },
      { label: t('notices.col.status') }, ...(publish ? [{ label: t('notices.col.actions') }] : [])],
    rows: page.items.map((n) => [h('span', h('strong', n.title), ' ', badge(categoryLabel(n.category))),
      h('a', { href: `#/board/${n.node_id}` }, n.node_name || ''),
      t('notices.period', { from: fmtDate(n.starts_on), to: fmtDate(n.ends_on) }),
      badge(t(`notices.status.${n.status}`), n.status === 'published' ? 'ok' : ''),
      ...(publish ? [n.status === 'draft' ? button(t('notices.publish'), `/notices/${n.id}/publish`)
        : n.status === 'published' ? button(t('notices.withdraw'), `/notices/${n.id}/withdraw`) : ''] : [])]),
  }) : emptyState(t('notices.none')));
  const parts = [pageTitle(title), h('p.page__intro', t('notices.intro'))];
  if (publish) parts.push(newNoticeForm(councils.items));
  parts.push(results.el);
  replace(outlet, ...parts);
  return title;
}

function button(label, path) {
  return h('button.btn.btn--small.btn--secondary', { type: 'button', async onclick() {
    await post(path, {});
    await refresh();
  } }, label);
}

function newNoticeForm(councils) {
  const places = new Map();
  for (const c of councils) places.set(c.node_id, c.name.replace(/议事会$/, ''));
  const scope = scopeId();
  const options = [...places.entries()].map(([id, name]) => ({ value: id, label: name }));
  if (scope && !places.has(scope)) options.unshift({ value: scope, label: t('notices.myScope') });
  const f = form({
    fields: [field({ name: 'node_id', label: t('notices.col.where'), type: 'select', required: true, options }),
      field({ name: 'title', label: t('notices.col.title'), required: true }),
      field({ name: 'body', label: t('notices.body'), type: 'textarea', required: true }),
      field({ name: 'category', label: t('notices.category'), type: 'select', required: true,
        options: CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })) }),
      field({ name: 'starts_on', label: t('notices.startsOn'), type: 'date', required: true }),
      field({ name: 'ends_on', label: t('notices.endsOn'), type: 'date', required: true }),
      field({ name: 'publish', label: t('notices.publishNow'), type: 'checkbox', value: true })],
    submitLabel: t('notices.add'),
    async onSubmit(v) {
      await post('/notices', { node_id: Number(v.node_id), title: v.title, body: v.body, category: v.category,
        starts_on: v.starts_on, ends_on: v.ends_on, publish: v.publish });
      await refresh();
    },
  });
  return disclosure(t('notices.add'), f.el, { className: 'row-action' });
}
