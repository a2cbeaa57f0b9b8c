// ui.js - shared pieces of every page: states (loading, empty, error), sections,
// definition lists, paging, and forms whose fields show the API's field errors.

import { h, append, clear, replace, newId, announce } from './dom.js';
import { t, has, getLocale, fmtNumber, fmtDate } from './i18n.js';
import { ApiError } from './api.js';
import { permissionLabel } from './labels.js';

export function loadingState(text) {
  return h('p.state.state--loading', { role: 'status' }, h('span.spinner', { 'aria-hidden': 'true' }), text || t('state.loading'));
}

export function emptyState(text) {
  return h('p.state.state--empty', text || t('state.empty'));
}

/** A polite sentence for an error, in the user's language. */
export function errorText(err) {
  if (!(err instanceof ApiError)) return t('error.unexpected');
  if (err.code === 'network') return t('error.network');
  if (err.unavailable) return t('error.unavailable');
  if (err.status === 401) return t('error.unauthorized');
  if (err.status === 403) {
    if (err.code === 'csrf') return t('error.csrf');
    if (err.code === 'password_change_required') return t('error.passwordChange');
    if (err.permission) return t('error.forbiddenPerm', { perm: permissionLabel(err.permission) });
    return t('error.forbidden');
  }
  if (err.status === 404) return t('error.notFound');
  if (err.status === 409) return t('error.conflict');
  if (err.status === 413) return t('error.tooLarge');
  if (err.status === 429) return t('error.busy');
  if (err.status >= 500) return t('error.server');
  return t('error.invalid');
}

/** The server's own words, shown as a detail when they add something. */
function errorDetail(err) {
  if (!(err instanceof ApiError) || err.code === 'network' || err.unavailable || err.status >= 500) return null;
  return err.message || null;
}

export function errorState(err, { retry, compact = false } = {}) {
  const unavailable = err instanceof ApiError && err.unavailable;
  const box = h(`div.notice.${unavailable ? 'notice--info' : 'notice--error'}`, { role: unavailable ? 'status' : 'alert' },
    h('p.notice__title', errorText(err)));
  const detail = errorDetail(err);
  if (detail && !compact) box.appendChild(h('p.notice__detail', { lang: 'en' }, detail));
  if (retry && !unavailable) {
    box.appendChild(h('button.btn.btn--small', { type: 'button', onclick: retry }, t('action.retry')));
  }
  return box;
}

/**
 * Runs load() with a loading state in container, then render(data) into it; on
 * failure an error with a retry button.  Aborts quietly when the page changed.
 */
export async function loadInto(container, load, render, { loadingText } = {}) {
  replace(container, loadingState(loadingText));
  container.setAttribute('aria-busy', 'true');
  try {
    const data = await load();
    clear(container);
    const out = render(data);
    if (out) append(container, [out]);
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    if (!(e instanceof ApiError)) console.error(e); // a bug here, not an answer from the server
    replace(container, errorState(e, { retry: () => loadInto(container, load, render, { loadingText }) }));
  } finally {
    container.setAttribute('aria-busy', 'false');
  }
}

/** A titled section of a page; body is where content goes. */
export function section(title, { id, actions, level = 2, className } = {}) {
  const headingId = newId('h');
  const heading = h(`h${level}.section__title`, { id: headingId }, title);
  const body = h('div.section__body');
  const el = h('section.section', { 'aria-labelledby': headingId, id, class: className },
    h('div.section__head', heading, actions ? h('div.section__actions', actions) : null), body);
  return { el, body, heading };
}

/** A definition list; rows whose value is empty show a dash (or are skipped with skipEmpty). */
export function dl(rows, { skipEmpty = false } = {}) {
  const list = h('dl.facts');
  for (const row of rows) {
    if (!row) continue;
    const [label, value] = row;
    const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);
    if (empty && skipEmpty) continue;
    list.appendChild(h('div.facts__row', h('dt', label), h('dd', empty ? h('span.muted', t('common.none')) : value)));
  }
  return list;
}

export function badge(text, variant = '') {
  return h(`span.badge${variant ? `.badge--${variant}` : ''}`, text);
}

/** "Showing 1–20 of 135" and previous / next links (hrefFor(offset) gives each page's address). */
export function pager({ total, limit, offset, hrefFor }) {
  if (!total) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  const nav = h('nav.pager', { 'aria-label': t('pager.label') },
    h('p.pager__status', t('pager.status', { from: fmtNumber(from), to: fmtNumber(to), total: fmtNumber(total) })));
  const links = h('div.pager__links');
  if (offset > 0) links.appendChild(h('a.btn.btn--secondary', { href: hrefFor(Math.max(0, offset - limit)), rel: 'prev' }, t('pager.prev')));
  if (to < total) links.appendChild(h('a.btn.btn--secondary', { href: hrefFor(offset + limit), rel: 'next' }, t('pager.next')));
  if (links.childNodes.length) nav.appendChild(links);
  return nav;
}

/* Forms. */

/**
 * One labelled field.  spec: {name, label, type ('text', 'select', 'date', 'number',
 * 'checkbox', 'textarea', 'search'), options [{value,label}], required, hint, value,
 * attrs}.  Returns {el, input, name, setError, getValue, setValue}.
 */
export function field(spec) {
  const id = newId(spec.name);
  const hintId = spec.hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  let input;
  const common = { id, name: spec.name, ...(spec.attrs || {}) };
  if (spec.required) common.required = true;
  if (spec.type === 'select') {
    input = h('select', common, (spec.options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(spec.value ?? '') }, o.label)));
  } else if (spec.type === 'textarea') {
    input = h('textarea', { ...common, rows: 3 });
    input.value = spec.value ?? '';
  } else if (spec.type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: Boolean(spec.value) });
  } else {
    input = h('input', { ...common, type: spec.type || 'text' });
    if (spec.value !== undefined && spec.value !== null) input.value = spec.value;
  }
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  const label = h('label.field__label', { for: id }, spec.label,
    spec.required ? h('span.field__req', { 'aria-hidden': 'true' }, ' *') : null,
    !spec.required && spec.optionalMark !== false && spec.type !== 'checkbox' ? h('span.field__opt', ` ${t('form.optional')}`) : null);
  const err = h('p.field__error', { id: errId, hidden: true });
  const hint = spec.hint ? h('p.field__hint', { id: hintId }, spec.hint) : null;
  const el = spec.type === 'checkbox'
    ? h('div.field.field--check', input, label, hint, err)
    : h('div.field', label, hint, input, err);
  if (spec.extra) el.appendChild(spec.extra);

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
    },
    getValue() {
      if (spec.type === 'checkbox') return input.checked;
      if (spec.type === 'password') return input.value; // spaces are part of a password
      return input.value.trim();
    },
    setValue(v) {
      if (spec.type === 'checkbox') input.checked = Boolean(v);
      else input.value = v ?? '';
    },
  };
}

/** The localized message for an API error on a field, and the server's words as detail. */
export function fieldErrorMessages(err) {
  const keys = [`apierr.${err.field}.${err.code}`, `apierr.${err.field}`];
  const key = keys.find((k) => has(k));
  if (getLocale() !== 'zh-CN') return { message: err.message || errorText(err), detail: null };
  return { message: key ? t(key) : errorText(err), detail: err.message };
}

/**
 * A form: fields (from field()), a submit button, a form-level message area.
 * onSubmit(values, form) returns a promise; an ApiError naming a field shows next
 * to that field (fieldMap maps API field names to form field names), others at
 * the top.  validate(values) returns {name: message} for checks made before sending.
 */
export function form({ fields, submitLabel, onSubmit, validate, fieldMap = {}, className, cancel }) {
  const status = h('div.form__status', { 'aria-live': 'polite' });
  const submit = h('button.btn', { type: 'submit' }, submitLabel);
  const buttons = h('div.form__buttons', submit, cancel ? h('button.btn.btn--secondary', { type: 'button', onclick: cancel }, t('action.cancel')) : null);
  const el = h('form.form', { novalidate: true, class: className }, status, fields.map((f) => f.el), buttons);
  const byName = new Map(fields.map((f) => [f.name, f]));

  function values() {
    const out = {};
    for (const f of fields) out[f.name] = f.getValue();
    return out;
  }

  function clearErrors() {
    fields.forEach((f) => f.setError(null));
    clear(status);
  }

  function showError(e) {
    const target = e instanceof ApiError && e.field ? byName.get(fieldMap[e.field] || e.field) : null;
    if (target && !target.el.hidden) {
      const { message, detail } = fieldErrorMessages(e);
      target.setError(message, detail);
      target.input.focus();
      announce(message);
    } else {
      replace(status, errorState(e));
      status.focus?.();
      announce(errorText(e));
    }
  }

  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (submit.disabled) return;
    clearErrors();
    const vals = values();
    const problems = validate ? validate(vals) || {} : {};
    // Required fields, checked here in the user's language before asking the server.
    for (const f of fields) {
      if (f.el.hidden || problems[f.name]) continue;
      const v = vals[f.name];
      if (f.input.required && (v === '' || v === null)) problems[f.name] = t('form.required');
      else if (f.input.type === 'date' && v) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) problems[f.name] = t('form.dateInvalid');
        else if (f.input.max && v > f.input.max) problems[f.name] = t('form.dateNotAfter', { date: fmtDate(f.input.max) });
        else if (f.input.min && v < f.input.min) problems[f.name] = t('form.dateNotBefore', { date: fmtDate(f.input.min) });
      }
    }
    // In the order the fields appear, so focus goes to the first one on screen.
    const names = fields.map((f) => f.name).filter((n) => problems[n]);
    if (names.length) {
      names.forEach((n) => byName.get(n)?.setError(problems[n]));
      byName.get(names[0])?.input.focus();
      announce(problems[names[0]]);
      return;
    }
    submit.disabled = true;
    el.setAttribute('aria-busy', 'true');
    const label = submit.textContent;
    submit.textContent = t('form.saving');
    try {
      await onSubmit(vals, api);
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      showError(e);
    } finally {
      submit.disabled = false;
      submit.textContent = label;
      el.setAttribute('aria-busy', 'false');
    }
  });

  const api = {
    el, status, values, clearErrors, showError,
    field: (n) => byName.get(n),
    success(message, extra) {
      replace(status, h('div.notice.notice--ok', { role: 'status' }, h('p.notice__title', message), extra || null));
      announce(message);
    },
    reset() {
      el.reset();
      clearErrors();
    },
  };
  return api;
}

/** A native disclosure: <details><summary>title</summary>…</details>, keyboard-ready. */
export function disclosure(title, content, { open = false, className } = {}) {
  return h('details.disclosure', { open, class: className }, h('summary.disclosure__summary', title), h('div.disclosure__body', content));
}

/** Sets the document title and the page heading together. */
export function pageTitle(text) {
  document.title = `${text} · ${t('app.name')}`;
  return h('h1.page__title', { tabindex: '-1' }, text);
}

/**
 * After a save that re-renders the page: puts focus back on the heading of the
 * section that was being edited (found by its text), so keyboard and screen
 * reader users are not thrown back to the top, and says it was saved.
 */
export async function refreshAndFocus(refresh, headingText, message) {
  await refresh({ keepFocus: true });
  const heading = [...document.querySelectorAll('#main h1, #main h2')].find((el) => el.textContent === headingText)
    || document.querySelector('#main h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
  announce(message || t('form.saved'));
}
