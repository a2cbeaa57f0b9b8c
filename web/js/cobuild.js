// cobuild.js - the vocabulary of co-building (双报到, issue 18) shared by its pages: the kinds of units,
// needs and resources, the states of needs, projects and claims, and the places one may name (the
// scope's node and the nodes under it, from GET /nodes).

import { t } from './i18n.js';
import { list, getNode } from './api.js';
import { scopeId } from './session.js';
import { badge } from './ui.js';
import { h, newId } from './dom.js';

export const UNIT_KINDS = ['government', 'institution', 'enterprise', 'bank', 'school', 'hospital', 'social_org', 'other'];
export const NEED_KINDS = ['facility', 'care', 'health', 'legal', 'education', 'culture', 'environment', 'finance', 'employment', 'other'];
export const NEED_SOURCES = ['resident', 'grid_member', 'council', 'work_order'];
export const RESOURCE_KINDS = ['venue', 'professional', 'legal', 'medical', 'funding', 'volunteer', 'training', 'other'];
export const PROJECT_STATES = ['open', 'claimed', 'reported', 'rated'];

export const word = (group, w) => t(`cobuild.${group}.${w}`);
export const options = (group, words) => words.map((w) => ({ value: w, label: word(group, w) }));

/** A state as a badge: done states green. */
export function stateBadge(group, s) {
  return badge(word(group, s), s === 'met' || s === 'rated' ? 'ok' : '');
}

/** The places one may name: the scope's node and what lies under it down to buildings (at most 500). */
export async function places(signal) {
  const scope = scopeId();
  const page = await list('/nodes', scope ? { under: scope, limit: 500 } : { limit: 500 }, signal);
  const out = [];
  if (scope && !page.items.some((n) => n.id === scope)) {
    const n = await getNode(scope);
    if (n) out.push(n);
  }
  for (const n of page.items) if (['subdistrict', 'community', 'courtyard', 'building'].includes(n.level)) out.push(n);
  return out.map((n) => ({ value: n.id, label: n.name }));
}

/**
 * A group of checkboxes as one form field (the form's contract: el, input, name, setError, getValue,
 * setValue): the values checked, as numbers.
 */
export function checkGroup({ name, legend, items, hint }) {
  const errId = newId(`${name}-err`);
  const hintId = hint ? newId(`${name}-hint`) : null;
  const boxes = items.map((it) => {
    const id = newId(name);
    return { it, id, box: h('input', { type: 'checkbox', id, name, value: String(it.value) }) };
  });
  const err = h('p.field__error', { id: errId, hidden: true });
  const fs = h('fieldset.field', { 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') },
    h('legend.field__label', legend), hint ? h('p.field__hint', { id: hintId }, hint) : null,
    h('div.check-group__items', boxes.map(({ it, id, box }) => h('div.field--check', box, h('label.field__label', { for: id }, it.label)))),
    err);
  const first = boxes[0]?.box;
  return {
    el: fs, name, input: { required: false, type: 'group', focus: () => first?.focus() },
    setError(message) {
      err.hidden = !message;
      err.textContent = message || '';
      fs.classList.toggle('field--invalid', Boolean(message));
    },
    getValue: () => boxes.filter((b) => b.box.checked).map((b) => Number(b.box.value)),
    setValue: (v) => boxes.forEach((b) => { b.box.checked = (v || []).includes(Number(b.box.value)); }),
  };
}
