// org.js - 组织架构: the tree from its roots, a search over all nodes, and a form
// for a new subdistrict (a root).

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { list, post, forgetNode, getNode } from '../api.js';
import { href, navigate } from '../router.js';
import { levelLabel, kindLabel } from '../labels.js';
import { pageTitle, section, field, form, disclosure, loadInto, emptyState, pager } from '../ui.js';
import { tree } from '../components/tree.js';
import { describeNode } from '../components/picker.js';
import { can, scopeId } from '../session.js';

export async function render({ outlet, query, signal }) {
  const title = t('org.title');
  const q = (query.q || '').trim();
  const offset = Math.max(0, parseInt(query.offset, 10) || 0);

  const searchField = field({ name: 'q', label: t('org.searchLabel'), type: 'search', value: q, hint: t('org.searchHint'), optionalMark: false });
  const searchForm = h('form.search-form', { role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    navigate('/org', { q: searchField.getValue() });
  } }, searchField.el, h('div.search-form__buttons',
    h('button.btn', { type: 'submit' }, t('action.search')),
    q ? h('a.btn.btn--secondary', { href: '#/org' }, t('action.clear')) : null));

  const page = [pageTitle(title), h('p.page__intro', t('org.intro')), searchForm];

  if (q) {
    const results = section(t('org.searchResults', { q }));
    page.push(results.el);
    loadInto(results.body, () => list('/nodes', { q, limit: 20, offset }, signal).then(async (r) => {
      await Promise.all(r.items.map(async (n) => {
        if (n.parent_id) n._parentName = (await getNode(n.parent_id).catch(() => ({ name: '' }))).name;
      }));
      return r;
    }), (r) => {
      if (!r.items.length) return emptyState(t('org.searchNone'));
      return h('div',
        h('ul.result-list', r.items.map((n) => {
          const d = describeNode(n);
          return h('li.result-list__item', h('a.result-list__link', { href: `#/org/node/${n.id}` }, d.title),
            h('span.muted', ` ${d.meta}${n.kind ? ` · ${kindLabel(n.kind)}` : ''}`));
        })),
        pager({ total: r.total, limit: r.limit, offset: r.offset, hrefFor: (o) => href('/org', { q, offset: o }) }));
    });
  }

  const treeSection = section(t('org.treeTitle'));
  const treeBox = h('div');
  const drawTree = () => replace(treeBox, tree({ hrefFor: (n) => `#/org/node/${n.id}`, label: t('org.treeTitle') }));
  drawTree();
  treeSection.body.append(h('p.hint', t('org.treeHint')), treeBox);
  page.push(treeSection.el);

  // A new subdistrict is a root: only for those who may write the whole tree.
  if (can('org.write') && !scopeId()) page.push(newRootForm(drawTree));
  replace(outlet, ...page);
  return title;
}

function newRootForm(onCreated) {
  const name = field({ name: 'name', label: t('node.field.name'), required: true, attrs: { maxlength: 100, autocomplete: 'off' } });
  const code = field({ name: 'code', label: t('node.field.code'), hint: t('node.field.codeHint'), attrs: { maxlength: 64, autocomplete: 'off' } });
  const address = field({ name: 'address', label: t('node.field.address'), attrs: { maxlength: 200 } });
  const f = form({
    fields: [name, code, address],
    submitLabel: t('org.createRoot'),
    async onSubmit(v, fm) {
      const body = { level: 'subdistrict', name: v.name };
      if (v.code) body.code = v.code;
      if (v.address) body.address = v.address;
      const n = await post('/nodes', body);
      forgetNode();
      fm.reset();
      fm.success(t('node.created', { name: n.name, level: levelLabel(n.level) }),
        h('a', { href: `#/org/node/${n.id}` }, t('node.open', { name: n.name })));
      onCreated();
    },
  });
  return disclosure(t('org.newRoot'), [h('p.hint', t('org.newRootHint')), f.el], { className: 'no-print' });
}

