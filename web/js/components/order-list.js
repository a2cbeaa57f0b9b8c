// order-list.js - work orders as a table that turns into cards on a phone, shared by
// the list page and "my tasks"; quick(o) may add buttons for the order's row.

import { h } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { badge } from '../ui.js';
import { stateLabel, stateVariant, typeLabel, cardLabel, dueText } from '../wo.js';

const COLS = ['orders.col.number', 'orders.col.received', 'orders.col.what', 'orders.col.place', 'orders.col.state',
  'orders.col.handler', 'orders.col.deadline'];

export function orderTable(items, { caption, quick } = {}) {
  const cols = quick ? [...COLS, 'orders.col.actions'] : COLS;
  return h('div.table-wrap', h('table.data-table.data-table--cards.order-table',
    caption ? h('caption.sr-only', caption) : null,
    h('thead', h('tr', cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', items.map((o) => {
      const cells = [
        h('a.order-link', { href: `#/orders/${o.id}` }, o.number),
        fmtDateTime(o.received_at),
        h('span', h('span.order-table__type', typeLabel(o.type)), ' ', o.category_path, h('span.order-table__text', o.text)),
        o.node_path || o.address || '',
        h('span.badges', badge(stateLabel(o.state), stateVariant(o.state)),
          o.card && o.card !== 'none' ? badge(cardLabel(o.card), o.card === 'red' ? 'danger' : 'warn') : null),
        o.handler_path || '',
        o.deadline ? dueText(o) : '',
      ];
      if (quick) cells.push(quick(o) || '');
      return h('tr', { dataset: { orderId: String(o.id) } }, cells.map((c, i) => {
        const empty = c === '' || c === null;
        const wide = i === 0 || i === 2 || i === 3 || i === 7;
        return h(i === 0 ? 'th' : 'td', {
          scope: i === 0 ? 'row' : null, 'data-label': t(cols[i]),
          class: [empty ? 'is-empty' : '', wide ? 'is-wide' : ''].join(' ').trim() || null,
        }, h('div.cell', empty ? h('span.muted', t('common.none')) : c));
      }));
    }))));
}
