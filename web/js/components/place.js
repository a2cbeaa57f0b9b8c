// place.js - the place of a request picked from the tree, one level at a time:
// a labelled select of the children of the last choice (community, courtyard,
// building, unit, household), starting at the user's scope node.  Works with a
// thumb on a phone and from the keyboard.  Behaves like a form field (ui.js
// field()): {el, input, name, setError, getValue, setValue}; the value is the
// deepest node chosen.  A user who may not read the tree (a mobile grid member)
// files about their scope node and says where in the address.

import { h, clear, replace, newId } from '../dom.js';
import { t } from '../i18n.js';
import { list, getNode } from '../api.js';
import { can, scopeId } from '../session.js';
import { levelLabel } from '../labels.js';
import { errorState } from '../ui.js';

const PAGE = 500;

export function placePicker({ name = 'node_id', label, hint, required = true, stopAt = 'household' }) {
  const id = newId(name);
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const legendId = `${id}-legend`;
  const levels = h('div.place__levels');
  const chosenText = h('p.place__chosen', { 'aria-live': 'polite' });
  const err = h('p.field__error', { id: errId, hidden: true });
  const el = h('fieldset.field.fieldset.place', { 'aria-describedby': `${hintId} ${errId}` },
    h('legend.field__label', { id: legendId }, label, required ? h('span.field__req', { 'aria-hidden': 'true' }, ' *') : null),
    h('p.field__hint', { id: hintId }, hint || t('place.hint')),
    levels, chosenText, err);
  const chain = [];	// [{node, select}] the nodes chosen so far, top down
  let base = null;	// the node the choice starts from (the scope), itself a valid place
  // A stand-in the form can focus and check for "required".
  const api = {
    el, name,
    input: null,
    setError(message) {
      if (!message) {
        err.hidden = true;
        clear(err);
        el.classList.remove('field--invalid');
        return;
      }
      replace(err, message);
      err.hidden = false;
      el.classList.add('field--invalid');
    },
    getValue() {
      const last = chain.filter((c) => c.node).pop();
      if (last) return last.node.id;
      return base ? base.id : '';
    },
    setValue() { /* starts over from the scope */ },
    /** The chosen nodes, top down (for showing the place in words). */
    path() {
      return [base, ...chain.map((c) => c.node)].filter(Boolean);
    },
  };

  function showChosen() {
    const names = api.path().map((n) => n.name);
    replace(chosenText, names.length ? t('place.chosen', { path: names.join(' / ') }) : '');
  }

  async function addLevel(parent) {
    let page;
    try {
      page = parent
        ? await list('/nodes', { parent_id: parent.id, limit: PAGE })
        : await list('/nodes', { roots: true, limit: PAGE });
    } catch (e) {
      levels.appendChild(errorState(e, { compact: true }));
      return;
    }
    const kids = page.items;
    if (!kids.length) return;
    const selId = newId('place');
    const level = kids[0].level;
    const select = h('select', { id: selId, 'aria-describedby': `${hintId} ${errId}` },
      h('option', { value: '' }, parent ? t('place.any', { name: parent.name }) : t('form.choose')),
      kids.map((n) => h('option', { value: String(n.id) }, n.name)));
    if (required && !parent && !base) select.required = true;
    const entry = { node: null, select, kids };
    chain.push(entry);
    const wrap = h('div.place__level', h('label.place__label', { for: selId }, levelLabel(level)), select);
    entry.wrap = wrap;
    levels.appendChild(wrap);
    if (!api.input) api.input = select;
    select.addEventListener('change', async () => {
      const i = chain.indexOf(entry);
      chain.splice(i + 1).forEach((c) => c.wrap.remove());
      levels.querySelectorAll('.notice').forEach((n) => n.remove());
      entry.node = kids.find((n) => String(n.id) === select.value) || null;
      showChosen();
      api.setError(null);
      if (entry.node && entry.node.level !== stopAt) await addLevel(entry.node);
    });
  }

  api.ready = (async () => {
    const scope = scopeId();
    if (!can('org.read')) {
      // No tree to browse: the scope node is the place; the address says where.
      base = scope ? { id: scope, name: t('place.myArea') } : null;
      replace(levels, h('p', t('place.noTree')));
      showChosen();
      return;
    }
    if (scope) {
      try {
        base = await getNode(scope);
      } catch {
        base = { id: scope, name: t('place.myArea') };
      }
    }
    await addLevel(base);
    if (!api.input) api.input = h('input', { type: 'hidden' });
    showChosen();
  })();
  return api;
}
