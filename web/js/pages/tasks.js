// tasks.js - 我的任务: the lists of GET /work-orders/mine for this user's role (to sign,
// in progress, carded; to accept, dispatch, decide; to review, call back; reported),
// each order with the action its list is for.  An action that takes nothing
// (sign, accept) is done here; the others open the order with that action's form.

import { h, replace, announce } from '../dom.js';
import { t, has, fmtNumber, fmtDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, errorState, badge } from '../ui.js';
import { orderTable } from '../components/order-list.js';
import { TASK_LISTS, taskLabel, actionLabel, stateLabel, cardLabel } from '../wo.js';

/** The action each list is for: [action, done here?]. */
const LIST_ACTION = {
  to_sign: ['sign', true],
  in_progress: ['reply', false],
  carded: ['reply', false],
  to_accept: ['accept', true],
  to_dispatch: ['dispatch', false],
  to_review: ['approve_review', false],
  to_call_back: ['callback', false],
};

export async function render({ outlet, signal }) {
  const title = t('tasks.title');
  // The work-order lists only for those who read work orders (the project roles do not).
  const mine = can('workorder.read') ? await get('/work-orders/mine', { limit: 20 }, signal) : {};
  // Every other kind of time node (GET /tasks lists work orders first, shown above with their lists).
  const inbox = await get('/tasks', { limit: 20 }, signal);
  const others = inbox.items.filter((i) => i.kind !== 'workorder');
  const lists = TASK_LISTS.filter((name) => mine[name]);
  const total = lists.filter((n) => n !== 'reported').reduce((sum, n) => sum + mine[n].count, 0);
  const summary = h('ul.task-summary', lists.map((name) => h('li',
    h('a.task-summary__link', { href: `#/tasks`, dataset: { list: name }, onclick: (ev) => { ev.preventDefault(); document.getElementById(`list-${name}`)?.scrollIntoView(); } },
      h('span.task-summary__count', fmtNumber(mine[name].count)),
      h('span.task-summary__name', taskLabel(name))))));
  const newLink = can('workorder.create') ? h('a.btn.no-print', { href: '#/orders/new' }, t('nav.new')) : null;
  replace(outlet,
    h('div.page__head', pageTitle(title), newLink),
    h('p.page__intro', total ? t('tasks.intro', { n: fmtNumber(total) }) : t('tasks.introNone')),
    summary,
    lists.map((name) => listSection(name, mine[name]).el),
    others.length ? otherSection(others).el : null);
  return title;
}

function listSection(name, data) {
  const s = section(t('tasks.listTitle', { name: taskLabel(name), n: fmtNumber(data.count) }), { id: `list-${name}` });
  if (!data.items.length) {
    s.body.appendChild(emptyState(t(`tasks.empty.${name}`)));
    return s;
  }
  const [action, here] = LIST_ACTION[name] || [];
  const quick = action ? (o) => quickAction(o, action, here) : null;
  s.body.appendChild(orderTable(data.items, { caption: taskLabel(name), quick }));
  if (data.count > data.items.length) {
    s.body.appendChild(h('p', h('a', { href: '#/orders' }, t('tasks.more', { n: fmtNumber(data.count - data.items.length) }))));
  }
  return s;
}

/** Where a thing of another kind opens, for the kinds that have a page of their own. */
const KIND_HREF = {
  volunteer_short: (i) => `#/volunteers/shifts/${i.id}`,
};

/** Things of the other kinds: title, kind, deadline and card. */
function otherSection(items) {
  const s = section(t('tasks.others', { n: fmtNumber(items.length) }), { id: 'list-others' });
  s.body.appendChild(h('ul.task-others', items.map((i) => h('li',
    h('span.task-others__title', KIND_HREF[i.kind] ? h('a', { href: KIND_HREF[i.kind](i) }, i.title) : i.title),
    ' ', badge(has(`tasks.kind.${i.kind}`) ? t(`tasks.kind.${i.kind}`) : i.kind),
    i.deadline ? [' ', t('tasks.due', { at: fmtDateTime(i.deadline) })] : null,
    i.card !== 'none' ? [' ', badge(cardLabel(i.card), 'warn')] : null))));
  return s;
}

function quickAction(o, action, here) {
  const label = t('tasks.actionOn', { action: actionLabel(action), number: o.number });
  if (!here) return h('a.btn.btn--small', { href: `#/orders/${o.id}?action=${action}`, 'aria-label': label }, actionLabel(action));
  const status = h('span.task-status', { 'aria-live': 'polite' });
  const btn = h('button.btn.btn--small', {
    type: 'button', 'aria-label': label, dataset: { action },
    async onclick() {
      btn.disabled = true;
      try {
        const after = await post(`/work-orders/${o.id}/actions`, { action });
        announce(t('order.done', { action: actionLabel(action), state: stateLabel(after.state) }));
        await refresh({ keepFocus: true });
      } catch (e) {
        btn.disabled = false;
        replace(status, errorState(e, { compact: true }));
      }
    },
  }, actionLabel(action));
  return h('span.task-actions', btn, h('a.btn.btn--small.btn--secondary', { href: `#/orders/${o.id}` }, t('tasks.open')), status);
}
