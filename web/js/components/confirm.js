// confirm.js - an action that needs a second step: the button opens a short
// question with "confirm" and "cancel" in place, so nothing happens by a slip.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { errorState } from '../ui.js';

/** confirmButton({label, question, confirmLabel, danger, onConfirm() -> promise}) -> element */
export function confirmButton({ label, ariaLabel, question, confirmLabel, danger = false, onConfirm }) {
  const box = h('div.confirm.no-print');
  const open = h(`button.btn${danger ? '.btn--danger' : '.btn--secondary'}`, { type: 'button', 'aria-label': ariaLabel || null }, label);
  replace(box, open);
  open.addEventListener('click', () => {
    const status = h('div.confirm__status', { 'aria-live': 'polite' });
    const yes = h(`button.btn${danger ? '.btn--danger' : ''}`, { type: 'button' }, confirmLabel);
    const no = h('button.btn.btn--secondary', { type: 'button' }, t('action.cancel'));
    const q = h('p.confirm__question', question);
    const panel = h('div.confirm__panel', { role: 'group', 'aria-label': label }, q, h('div.form__buttons', yes, no), status);
    no.addEventListener('click', () => {
      replace(box, open);
      open.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        await onConfirm();
      } catch (e) {
        yes.disabled = false;
        no.disabled = false;
        replace(status, errorState(e));
      }
    });
    replace(box, panel);
    q.setAttribute('tabindex', '-1');
    q.focus();
  });
  return box;
}
