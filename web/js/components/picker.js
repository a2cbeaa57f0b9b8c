// picker.js - choose one record by searching for it: a labelled search box, a
// list of result buttons, and the choice shown with a "change" button.  Used for
// nodes (moving a node, filtering people) and persons (a secretary, a role holder).
// It behaves like a form field (see ui.js field()): {el, input, name, setError, getValue, setValue}.

import { h, clear, replace, newId, debounce, announce } from '../dom.js';
import { t } from '../i18n.js';
import { list, getNode } from '../api.js';
import { levelLabel } from '../labels.js';
import { errorState } from '../ui.js';

/**
 * picker({name, label, hint, required, value, search(q, signal) -> items,
 *         describe(item) -> {title, meta}, onChange(item|null), minChars})
 */
export function picker(spec) {
  const id = newId(spec.name);
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const resId = `${id}-res`;
  let chosen = spec.value || null;
  let controller = null;

  const input = h('input', {
    id, type: 'search', autocomplete: 'off', 'aria-describedby': `${hintId} ${errId}`, 'aria-controls': resId,
    placeholder: spec.placeholder || t('picker.placeholder'),
  });
  if (spec.required) input.required = true;
  const results = h('ul.picker__results', { id: resId, hidden: true, 'aria-label': t('picker.results') });
  const status = h('p.picker__status', { 'aria-live': 'polite' });
  const chosenBox = h('div.picker__chosen', { hidden: true });
  const searchBox = h('div.picker__search', input, status, results);
  const err = h('p.field__error', { id: errId, hidden: true });
  const label = h('label.field__label', { for: id }, spec.label,
    spec.required ? h('span.field__req', { 'aria-hidden': 'true' }, ' *') : null,
    !spec.required && spec.optionalMark !== false ? h('span.field__opt', ` ${t('form.optional')}`) : null);
  const el = h('div.field.picker', label, h('p.field__hint', { id: hintId }, spec.hint || t('picker.hint')), chosenBox, searchBox, err);

  function showChosen() {
    if (!chosen) {
      chosenBox.hidden = true;
      searchBox.hidden = false;
      return;
    }
    const d = spec.describe(chosen);
    replace(chosenBox,
      h('span.picker__choice', h('strong', d.title), d.meta ? h('span.muted', ` ${d.meta}`) : null),
      h('button.btn.btn--small.btn--secondary', {
        type: 'button',
        'aria-label': t('picker.changeLabel', { label: spec.label, name: d.title }),
        onclick: () => {
          setChosen(null);
          input.focus();
        },
      }, t('picker.change')));
    chosenBox.hidden = false;
    searchBox.hidden = true;
  }

  function setChosen(item, say = false) {
    chosen = item;
    input.value = '';
    clear(results);
    results.hidden = true;
    clear(status);
    showChosen();
    if (spec.onChange) spec.onChange(item);
    if (item && say) {
      announce(t('picker.chosen', { name: spec.describe(item).title }));
      chosenBox.querySelector('button')?.focus();
    }
  }

  const run = debounce(async () => {
    const q = input.value.trim();
    if (controller) controller.abort();
    if (q.length < (spec.minChars ?? 1)) {
      clear(results);
      results.hidden = true;
      clear(status);
      return;
    }
    controller = new AbortController();
    const signal = controller.signal;
    status.textContent = t('picker.searching');
    try {
      const items = await spec.search(q, signal);
      if (signal.aborted) return;
      clear(results);
      status.textContent = items.length ? t('picker.found', { n: items.length }) : t('picker.none');
      for (const item of items) {
        const d = spec.describe(item);
        results.appendChild(h('li', h('button.picker__option', { type: 'button', onclick: () => setChosen(item, true) },
          h('span.picker__title', d.title), d.meta ? h('span.picker__meta', d.meta) : null)));
      }
      results.hidden = !items.length;
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(status, errorState(e, { compact: true }));
    }
  }, 250);

  input.addEventListener('input', run);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && !results.hidden) {
      ev.preventDefault();
      results.querySelector('button')?.focus();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      run();
    }
  });
  results.addEventListener('keydown', (ev) => {
    const buttons = [...results.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (ev.key === 'ArrowDown' && i < buttons.length - 1) { ev.preventDefault(); buttons[i + 1].focus(); }
    if (ev.key === 'ArrowUp') { ev.preventDefault(); (i > 0 ? buttons[i - 1] : input).focus(); }
    if (ev.key === 'Escape') { ev.preventDefault(); input.focus(); }
  });
  showChosen();

  return {
    el, input, name: spec.name,
    setError(message, detail) {
      if (!message) {
        err.hidden = true;
        clear(err);
        input.removeAttribute('aria-invalid');
        el.classList.remove('field--invalid');
        return;
      }
      replace(err, message, detail ? h('span.field__detail', { lang: 'en' }, ` (${detail})`) : null);
      err.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      el.classList.add('field--invalid');
      if (chosen) chosenBox.querySelector('button')?.setAttribute('aria-describedby', errId);
    },
    getValue: () => (chosen ? chosen.id : ''),
    getItem: () => chosen,
    setValue: (item) => setChosen(item),
  };
}

/** Names the parent of each node so that "1号楼" in two courtyards can be told apart. */
async function withParents(items) {
  await Promise.all(items.map(async (n) => {
    if (n.parent_id && !n._parentName) {
      try {
        n._parentName = (await getNode(n.parent_id)).name;
      } catch {
        n._parentName = '';
      }
    }
  }));
  return items;
}

export function describeNode(n) {
  const meta = [levelLabel(n.level), n._parentName || (n.ancestors && n.ancestors.length ? n.ancestors[n.ancestors.length - 1].name : '')]
    .filter(Boolean).join(' · ');
  return { title: n.name, meta };
}

/** A node chosen by name or code, of the given levels (all when empty). */
export function nodePicker({ name, label, hint, levels = [], required, value, onChange, exclude, optionalMark }) {
  return picker({
    name, label, hint, required, value, onChange, optionalMark,
    placeholder: t('picker.nodePlaceholder'),
    describe: describeNode,
    async search(q, signal) {
      const lv = levels.length ? levels : [null];
      const pages = await Promise.all(lv.map((level) => list('/nodes', { q, level, limit: 10 }, signal)));
      const items = pages.flatMap((p) => p.items).filter((n) => !exclude || !exclude(n)).slice(0, 12);
      return withParents(items);
    },
  });
}

export function describePerson(p) {
  const meta = [p.birth_year ? t('person.born', { year: p.birth_year }) : '', p.party_member ? t('person.partyMember') : '']
    .filter(Boolean).join(' · ');
  return { title: p.name, meta };
}

/** A person chosen by name (optionally among those living under a node). */
export function personPicker({ name, label, hint, required, value, onChange, under }) {
  return picker({
    name, label, hint, required, value, onChange,
    placeholder: t('picker.personPlaceholder'),
    describe: describePerson,
    async search(q, signal) {
      const page = await list('/persons', { q, under, limit: 10 }, signal);
      return page.items;
    },
  });
}
