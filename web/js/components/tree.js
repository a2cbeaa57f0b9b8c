// tree.js - the organisation tree, expanded lazily: each node's children are
// fetched the first time it is opened (GET /nodes?parent_id=ID, roots with
// ?roots=true, or the user's scope node when they work in one part of the tree).  A disclosure list: Tab reaches every link and toggle; the
// arrow keys move between rows (Right opens, Left closes or goes to the parent).

import { h, clear, announce } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { list, get } from '../api.js';
import { scopeId } from '../session.js';
import { levelLabel, kindLabel } from '../labels.js';
import { loadingState, errorState, emptyState } from '../ui.js';

const PAGE = 100;
/** Expanded node ids, kept while the app is open so a return visit looks the same. */
const expandedIds = new Set();

/**
 * tree({hrefFor, label, expandFirst}) -> element.
 * hrefFor(node): where a node's link goes; expandFirst: open the roots when
 * nothing else is open.
 */
export function tree({ hrefFor, label, expandFirst = true, currentId = null }) {
  const root = h('ul.tree', { 'aria-label': label });
  const wrap = h('div.tree-wrap', root);
  wrap.addEventListener('keydown', onKey);
  loadLevel(root, null, 1, 0, { hrefFor, currentId }).then((nodes) => {
    if (expandFirst && nodes && expandedIds.size === 0 && nodes.length <= 3) {
      nodes.forEach((n) => n._item && n._item.expand(false));
    }
  });
  return wrap;
}

async function loadLevel(ul, parent, depth, offset, opts) {
  const placeholder = h('li.tree__state', loadingState());
  ul.appendChild(placeholder);
  try {
    const params = parent ? { parent_id: parent.id, limit: PAGE, offset } : { roots: true, limit: PAGE, offset };
    // A user who works in one part of the tree starts from there: the roots are outside it.
    const page = !parent && scopeId()
      ? { items: [await get(`/nodes/${scopeId()}`)], total: 1 }
      : await list('/nodes', params);
    placeholder.remove();
    if (!page.items.length && offset === 0) {
      ul.appendChild(h('li.tree__state', emptyState(parent ? t('tree.noChildren') : t('tree.noRoots'))));
      return [];
    }
    page.items.forEach((n, i) => {
      const item = treeItem(n, depth, opts);
      n._item = item;
      ul.appendChild(item.li);
      item.li.dataset.pos = String(offset + i + 1);
    });
    const loaded = offset + page.items.length;
    if (loaded < page.total) {
      const more = h('li.tree__more', h('button.btn.btn--small.btn--secondary', {
        type: 'button',
        onclick: () => {
          more.remove();
          loadLevel(ul, parent, depth, loaded, opts);
        },
      }, t('tree.more', { shown: fmtNumber(loaded), total: fmtNumber(page.total) })));
      ul.appendChild(more);
    }
    return page.items;
  } catch (e) {
    placeholder.remove();
    const li = h('li.tree__state');
    li.appendChild(errorState(e, {
      compact: true,
      retry: () => {
        li.remove();
        loadLevel(ul, parent, depth, offset, opts);
      },
    }));
    ul.appendChild(li);
    return null;
  }
}

function treeItem(n, depth, opts) {
  const hasChildren = n.child_count > 0;
  const childList = h('ul.tree__group', { hidden: true, id: `tree-g-${n.id}` });
  const link = h('a.tree__link', { href: opts.hrefFor(n), 'aria-current': n.id === opts.currentId ? 'page' : null }, n.name);
  const meta = h('span.tree__meta',
    h('span.tree__level', levelLabel(n.level)),
    n.kind ? h('span.tree__kind', kindLabel(n.kind)) : null,
    hasChildren ? h('span.tree__count', t('tree.children', { n: fmtNumber(n.child_count) })) : null);
  let toggle = null;
  let loaded = false;
  const li = h('li.tree__item', { dataset: { id: String(n.id), level: n.level } });

  function setOpen(open) {
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-label', t(open ? 'tree.collapse' : 'tree.expand', { name: n.name }));
    childList.hidden = !open;
    li.classList.toggle('tree__item--open', open);
    if (open) expandedIds.add(n.id);
    else expandedIds.delete(n.id);
  }

  function expand(say = true) {
    if (!toggle) return;
    setOpen(true);
    if (!loaded) {
      loaded = true;
      clear(childList);
      loadLevel(childList, n, depth + 1, 0, opts).then((items) => {
        if (say && items) announce(t('tree.opened', { name: n.name, n: items.length }));
      });
    }
  }

  function collapse() {
    if (toggle) setOpen(false);
  }

  if (hasChildren) {
    toggle = h('button.tree__toggle', { type: 'button', 'aria-controls': childList.id },
      h('span.tree__chevron', { 'aria-hidden': 'true' }));
    toggle.addEventListener('click', () => (toggle.getAttribute('aria-expanded') === 'true' ? collapse() : expand()));
    setOpen(false);
  }
  const row = h('div.tree__row', toggle || h('span.tree__spacer', { 'aria-hidden': 'true' }), h('span.tree__label', link, meta));
  li.append(row, childList);
  li._tree = { expand, collapse, isOpen: () => toggle && toggle.getAttribute('aria-expanded') === 'true', hasChildren };
  if (expandedIds.has(n.id)) expand(false);
  return { li, expand, collapse };
}

function visibleLinks(wrap) {
  return [...wrap.querySelectorAll('.tree__link')].filter((a) => a.offsetParent !== null);
}

function onKey(ev) {
  const link = ev.target.closest('.tree__link');
  if (!link || ev.altKey || ev.ctrlKey || ev.metaKey) return;
  const wrap = ev.currentTarget;
  const li = link.closest('.tree__item');
  const links = visibleLinks(wrap);
  const i = links.indexOf(link);
  let target = null;
  switch (ev.key) {
    case 'ArrowDown': target = links[i + 1]; break;
    case 'ArrowUp': target = links[i - 1]; break;
    case 'Home': target = links[0]; break;
    case 'End': target = links[links.length - 1]; break;
    case 'ArrowRight':
      if (li._tree.hasChildren && !li._tree.isOpen()) li._tree.expand();
      else if (li._tree.isOpen()) target = li.querySelector(':scope > .tree__group .tree__link');
      break;
    case 'ArrowLeft':
      if (li._tree.isOpen()) li._tree.collapse();
      else target = li.parentElement.closest('.tree__item')?.querySelector('.tree__link');
      break;
    default: return;
  }
  ev.preventDefault();
  if (target) target.focus();
}

export function resetTreeState() {
  expandedIds.clear();
}

