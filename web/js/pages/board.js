// board.js - 公示栏 (public): a courtyard's notice board for anyone, without login — the page the QR code
// on the real board opens (#/board/ID).  It shows what the server publishes (GET /public/boards/ID): the
// notices current today, the council's members by name and seat, and its latest results with their
// counts.  The server sends no phone, ID number, address or proposer; nothing here asks for any.

import { h, replace } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, section, emptyState, badge } from '../ui.js';
import { seatLabel, categoryLabel, proposalBadge, countsText } from '../council.js';

export async function render({ outlet, params, signal }) {
  const b = await get(`/public/boards/${params.id}`, null, signal);
  const title = t('board.title', { name: b.name });
  const notices = section(t('board.notices'), { id: 'board-notices' });
  notices.body.appendChild(b.notices.length ? h('ul.plain-list', b.notices.map((n) => h('li.board-notice',
    h('h3', n.title, ' ', badge(categoryLabel(n.category))),
    h('p.board-notice__body', n.body),
    h('p.board-notice__meta', t('board.period', { from: fmtDate(n.starts_on), to: fmtDate(n.ends_on), who: n.from || '' })))))
    : emptyState(t('board.noNotices')));
  const parts = [pageTitle(title), h('p.page__intro', t('board.intro', { today: fmtDate(b.today) })), notices.el];
  for (const c of b.councils) {
    const s = section(c.name, { id: `board-council-${b.councils.indexOf(c)}` });
    s.body.append(
      h('p', t('councils.term', { from: fmtDate(c.term_start), to: fmtDate(c.term_end) })),
      h('h3', t('board.members')),
      c.members.length ? h('ul.plain-list', c.members.map((m) => h('li', h('strong', m.name), ' — ', seatLabel(m.seat))))
        : emptyState(t('council.noMembers')),
      h('h3', t('board.results')),
      c.results.length ? h('ul.plain-list', c.results.map((r) => h('li', h('strong', r.title), ' ', proposalBadge(r.status),
        h('br'), countsText(r)))) : emptyState(t('board.noResults')));
    parts.push(s.el);
  }
  replace(outlet, ...parts);
  return title;
}
