// end-control.js - "end this" (a role, a care link) in two steps: a button opens
// a small inline form with the end date (today by default) and a confirmation.

import { h, replace, newId } from '../dom.js';
import { t, today, fmtDate } from '../i18n.js';
import { errorState } from '../ui.js';

/** endControl({buttonLabel, ariaLabel, dateLabel, confirmLabel, onEnd(date) -> promise}) */
export function endControl({ buttonLabel, ariaLabel, dateLabel, confirmLabel, onEnd }) {
  const box = h('span.end-control.no-print');
  const open = h('button.btn.btn--small.btn--secondary', { type: 'button', 'aria-label': ariaLabel }, buttonLabel);
  replace(box, open);

  open.addEventListener('click', () => {
    const id = newId('end');
    const date = h('input', { id, type: 'date', value: today(), max: today(), required: true });
    const status = h('span.end-control__status', { 'aria-live': 'polite' });
    const confirm = h('button.btn.btn--small', { type: 'submit' }, confirmLabel);
    const cancel = h('button.btn.btn--small.btn--secondary', { type: 'button' }, t('action.cancel'));
    const form = h('form.end-control__form', { 'aria-label': ariaLabel },
      h('label', { for: id }, dateLabel), date, confirm, cancel, status);
    cancel.addEventListener('click', () => {
      replace(box, open);
      open.focus();
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!date.value || date.value > today()) {
        replace(status, h('span.field__error', date.value ? t('form.dateNotAfter', { date: fmtDate(today()) }) : t('form.required')));
        date.focus();
        return;
      }
      confirm.disabled = true;
      try {
        await onEnd(date.value);
      } catch (e) {
        confirm.disabled = false;
        replace(status, errorState(e, { compact: false }));
      }
    });
    replace(box, form);
    date.focus();
  });
  return box;
}
