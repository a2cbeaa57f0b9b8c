// secret.js - a password the server shows once (a new account, a reset): in
// large letters, selectable, with a copy button where the browser allows it,
// and what to do with it.

import { h, announce } from '../dom.js';
import { t } from '../i18n.js';

export function oneTimePassword({ login, password, title, reset = false }) {
  const code = h('code.secret__value', { tabindex: '0', 'aria-label': t('secret.valueLabel', { login }) }, password);
  code.addEventListener('focus', () => {
    const range = document.createRange();
    range.selectNodeContents(code);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  });
  const copy = navigator.clipboard && window.isSecureContext
    ? h('button.btn.btn--small.btn--secondary', {
      type: 'button',
      onclick: async (ev) => {
        try {
          await navigator.clipboard.writeText(password);
          ev.currentTarget.textContent = t('secret.copied');
          announce(t('secret.copied'));
        } catch {
          announce(t('secret.copyFailed'));
        }
      },
    }, t('secret.copy'))
    : null;
  return h('div.notice.notice--ok.secret', { role: 'status' },
    h('p.notice__title', title),
    h('p.secret__label', t(reset ? 'secret.labelReset' : 'secret.label', { login })),
    h('p.secret__row', code, copy),
    h('p.secret__help', t('secret.help')));
}
