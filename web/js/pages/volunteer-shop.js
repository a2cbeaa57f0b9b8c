// volunteer-shop.js - 积分超市 (#/volunteers/shop): the points shops' items of the user's scope with price and
// stock; a volunteer exchanges their own points, staff record an exchange for a person and add items; the
// recent exchanges (a volunteer: their own).  More points than held, or more than in stock, is refused by the
// server and nothing changes.

import { h, replace, announce } from '../dom.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { get, list, post } from '../api.js';
import { refresh } from '../router.js';
import { can } from '../session.js';
import { pageTitle, section, emptyState, field, form, disclosure, errorState } from '../ui.js';
import { cardTable } from '../components/card-table.js';
import { nodePicker, personPicker } from '../components/picker.js';
import { nodesById } from '../format.js';

export async function render({ outlet, signal }) {
  const title = t('vol.shop.title');
  const [items, me, done] = await Promise.all([
    list('/volunteer-shop-items', { limit: 200 }, signal), get('/volunteer-me', null, signal),
    list('/volunteer-redemptions', { limit: 20 }, signal),
  ]);
  const nodes = await nodesById(items.items.map((x) => x.node_id));
  const staff = can('volunteer.write');
  const mine = me.person && can('volunteer.act');
  const shop = section(t('vol.shop.items', { n: fmtNumber(items.total) }), { id: 'vol-shop' });
  shop.body.appendChild(items.items.length ? cardTable({
    caption: title,
    cols: [{ label: t('vol.shop.item'), wide: true }, { label: t('vol.shop.price') }, { label: t('vol.shop.stock') },
      { label: t('vol.col.place') }, ...(mine ? [{ label: t('vol.shop.exchange') }] : [])],
    rows: items.items.map((x) => [x.name, t('vol.shop.points', { n: fmtNumber(x.points) }), fmtNumber(x.stock),
      nodes.get(x.node_id)?.name || '', ...(mine ? [redeemButton(x, me.balance.points)] : [])]),
  }) : emptyState(t('vol.shop.none')));
  const parts = [pageTitle(title)];
  if (mine) parts.push(h('p.page__intro', t('vol.shop.held', { n: fmtNumber(me.balance.points) })));
  parts.push(shop.el);
  if (staff) parts.push(staffRedeemForm(items.items), newItemForm());
  const hist = section(t('vol.shop.done'), { id: 'vol-shop-done' });
  hist.body.appendChild(done.items.length ? cardTable({
    caption: t('vol.shop.done'),
    cols: [{ label: t('vol.shop.when') }, { label: t('vol.col.name') }, { label: t('vol.shop.item'), wide: true },
      { label: t('vol.ledger.points') }],
    rows: done.items.map((r) => [fmtDateTime(r.at), r.person_name, `${r.item_name} × ${r.quantity}`, fmtNumber(r.points)]),
  }) : emptyState(t('vol.shop.noneDone')));
  parts.push(hist.el);
  replace(outlet, h('p.no-print', h('a', { href: '#/volunteers' }, t('vol.me.back'))), ...parts);
  return title;
}

function redeemButton(item, held) {
  const status = h('span', { 'aria-live': 'polite' });
  const btn = h('button.btn.btn--small', {
    type: 'button', disabled: item.stock < 1 || held < item.points,
    'aria-label': t('vol.shop.exchangeOf', { item: item.name }),
    async onclick() {
      btn.disabled = true;
      try {
        const r = await post(`/volunteer-shop-items/${item.id}/redeem`, { quantity: 1 });
        announce(t('vol.shop.exchanged', { item: item.name, n: fmtNumber(r.balance) }));
        await refresh({ keepFocus: true });
      } catch (e) {
        btn.disabled = false;
        replace(status, errorState(e, { compact: true }));
      }
    },
  }, t('vol.shop.exchange'));
  return h('span', btn, status);
}

function staffRedeemForm(items) {
  const f = form({
    fields: [
      personPicker({ name: 'person_id', label: t('vol.col.name'), required: true }),
      field({ name: 'item', label: t('vol.shop.item'), type: 'select', required: true,
        options: items.map((x) => ({ value: x.id, label: `${x.name} (${t('vol.shop.points', { n: x.points })})` })) }),
      field({ name: 'quantity', label: t('vol.shop.quantity'), type: 'number', required: true, value: 1, attrs: { min: 1, max: 100 } }),
    ],
    submitLabel: t('vol.shop.record'),
    async onSubmit(v) {
      await post(`/volunteer-shop-items/${v.item}/redeem`, { person_id: Number(v.person_id), quantity: Number(v.quantity) });
      await refresh();
    },
  });
  return disclosure(t('vol.shop.record'), f.el, { className: 'no-print' });
}

function newItemForm() {
  const f = form({
    fields: [
      field({ name: 'name', label: t('vol.shop.item'), required: true, attrs: { maxlength: 100 } }),
      nodePicker({ name: 'node_id', label: t('vol.col.place'), levels: ['courtyard', 'community', 'subdistrict'], required: true }),
      field({ name: 'points', label: t('vol.shop.price'), type: 'number', required: true, attrs: { min: 1, inputmode: 'numeric' } }),
      field({ name: 'stock', label: t('vol.shop.stock'), type: 'number', required: true, value: 0, attrs: { min: 0, inputmode: 'numeric' } }),
    ],
    submitLabel: t('vol.shop.add'),
    async onSubmit(v) {
      await post('/volunteer-shop-items', { name: v.name, node_id: Number(v.node_id), points: Number(v.points), stock: Number(v.stock) });
      await refresh();
    },
  });
  return disclosure(t('vol.shop.add'), f.el, { className: 'no-print' });
}
