// card-table.js - rows as a table on wide screens and a stack of cards on a phone
// (.data-table--cards in app.css): cols [{ label, wide }], rows of cells (text or
// elements; the first cell is the row's header).  Empty cells show a dash.

import { h } from '../dom.js';
import { t } from '../i18n.js';

export function cardTable({ caption, cols, rows, className }) {
  return h('div.table-wrap', h(`table.data-table.data-table--cards${className ? `.${className}` : ''}`,
    caption ? h('caption.sr-only', caption) : null,
    h('thead', h('tr', cols.map((c) => h('th', { scope: 'col' }, c.label)))),
    h('tbody', rows.map((cells) => h('tr', cells.map((c, i) => {
      const empty = c === '' || c === null || c === undefined;
      return h(i === 0 ? 'th' : 'td', {
        scope: i === 0 ? 'row' : null, 'data-label': cols[i].label,
        class: [empty ? 'is-empty' : '', cols[i].wide ? 'is-wide' : ''].join(' ').trim() || null,
      }, h('div.cell', empty ? h('span.muted', t('common.none')) : c));
    }))))));
}
