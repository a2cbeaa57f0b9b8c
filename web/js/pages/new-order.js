// new-order.js - 新建诉求: three forms over POST /work-orders.
//   resident  a resident's request (居民诉求), typed in by whoever helps them or by the resident
//   grid      a grid member's report on a phone: a photo from the camera, the place picked from the tree
//   phone     a staff member entering a phone call or a visit (accepted at intake: workorder.dispatch)
// Photos go first to POST /uploads; the order carries their ids.  A retried submission
// carries the same idempotency key, so a double tap files one order.

import { h, replace, announce } from '../dom.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { navigate, href } from '../router.js';
import { can, current } from '../session.js';
import { pageTitle, field, form } from '../ui.js';
import { placePicker } from '../components/place.js';
import { TYPES, URGENCIES, typeLabel, urgencyLabel, uploadPhotos } from '../wo.js';

export const KINDS = ['grid', 'resident', 'phone'];
const GRID_ROLES = ['grid_member', 'mobile_grid_member'];

/** The kinds of form this user may fill. */
export function kindsFor() {
  const me = current();
  const grid = me && GRID_ROLES.includes(me.role);
  return KINDS.filter((k) => (k === 'phone' ? can('workorder.dispatch') : k === 'grid' ? grid : true));
}

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

let categoriesPromise = null;
/** The category tree flattened to options: "城乡建设 > 物业管理" under each root. */
async function categoryOptions(signal) {
  if (!categoriesPromise) {
    categoriesPromise = get('/wo-categories', undefined, signal).catch((e) => {
      categoriesPromise = null;
      throw e;
    });
  }
  const { items } = await categoriesPromise;
  const out = [{ value: '', label: t('form.choose') }];
  for (const root of items) {
    if (!root.active) continue;
    if (!root.children || !root.children.length) out.push({ value: root.id, label: root.name });
    for (const c of root.children || []) if (c.active) out.push({ value: c.id, label: `${root.name} › ${c.name}` });
  }
  return out;
}

export async function render({ outlet, query, signal }) {
  const kinds = kindsFor();
  const me = current();
  const fallback = kinds.includes('grid') ? 'grid' : kinds[kinds.length - 1];
  const kind = kinds.includes(query.kind) ? query.kind : fallback;
  const title = t(`new.title.${kind}`);

  const tabs = h('nav.tabs', { 'aria-label': t('new.kinds') },
    h('ul.tabs__list', kinds.map((k) => h('li', h('a.tabs__link', {
      href: href('/orders/new', { kind: k }), 'aria-current': k === kind ? 'page' : null,
    }, t(`new.tab.${k}`))))));

  const options = await categoryOptions(signal);
  const place = placePicker({ label: t('new.place'), hint: t(kind === 'grid' ? 'new.placeHintGrid' : 'new.placeHint') });
  await place.ready;

  const fields = [];
  let source = null;
  if (kind === 'phone') {
    source = field({
      name: 'source', label: t('new.source'), type: 'select', required: true, value: 'phone',
      options: ['phone', 'walk_in'].map((v) => ({ value: v, label: t(`wo.source.${v}`) })),
    });
    fields.push(source);
  }
  const callerRequired = kind === 'phone';
  const typeField = field({
    name: 'type', label: t('wo.field.type'), type: 'select', required: true, value: kind === 'grid' ? 'report' : 'help',
    options: TYPES.map((v) => ({ value: v, label: typeLabel(v) })),
  });
  const category = field({ name: 'category_id', label: t('wo.field.category'), type: 'select', required: true, options });
  const suggestBox = h('div.suggest', { 'aria-live': 'polite' });
  const text = field({ name: 'text', label: t('wo.field.text'), type: 'textarea', required: true, hint: t(`new.textHint.${kind}`), attrs: { maxlength: 4000 }, extra: suggestBox });
  const address = field({ name: 'address', label: t('wo.field.address'), hint: t('new.addressHint'), attrs: { maxlength: 200, autocomplete: 'off' } });
  const urgency = field({
    name: 'urgency', label: t('wo.field.urgency'), type: 'select', value: 'normal', optionalMark: false,
    options: URGENCIES.map((v) => ({ value: v, label: urgencyLabel(v) })),
  });
  const callerName = field({ name: 'caller_name', label: t('wo.field.callerName'), required: callerRequired, attrs: { maxlength: 50, autocomplete: 'off' } });
  const callerPhone = field({ name: 'caller_phone', label: t('wo.field.callerPhone'), type: 'tel', required: callerRequired, hint: t('new.phoneHint'), attrs: { autocomplete: 'off', inputmode: 'tel', maxlength: 30 } });
  const confidential = field({ name: 'confidential', label: t('wo.field.confidential'), type: 'checkbox', hint: t('new.confidentialHint') });
  const previews = h('div.photo-previews', { 'aria-live': 'polite' });
  const photoAttrs = { accept: 'image/jpeg,image/png,image/*', multiple: true };
  if (kind === 'grid') photoAttrs.capture = 'environment';
  const photos = field({ name: 'photos', label: t('wo.field.photos'), type: 'file', hint: t(kind === 'grid' ? 'new.photoHintGrid' : 'new.photoHint'), attrs: photoAttrs, extra: previews });
  photos.getValue = () => Array.from(photos.input.files || []);
  photos.input.addEventListener('change', () => {
    previews.querySelectorAll('img').forEach((img) => URL.revokeObjectURL(img.src));
    replace(previews, Array.from(photos.input.files || []).map((f) => h('figure.photo-preview',
      h('img', { src: URL.createObjectURL(f), alt: t('new.photoAlt', { name: f.name }) }),
      h('figcaption', f.name))));
  });

  suggestions({ box: suggestBox, text, place, category, typeField, signal });

  if (kind === 'grid') fields.push(photos, place, typeField, category, text, address, urgency, callerName, callerPhone);
  else if (kind === 'phone') fields.push(callerName, callerPhone, confidential, place, address, typeField, category, text, urgency, photos);
  else fields.push(place, address, typeField, category, text, callerName, callerPhone, confidential, photos);

  let key = newKey();
  let uploaded = null;	// photo ids once uploaded, kept if the order itself is refused and sent again
  let uploadedFiles = null;
  const f = form({
    fields,
    submitLabel: t(`new.submit.${kind}`),
    className: 'form--new-order',
    fieldMap: { category: 'category_id', node_id: 'node_id', file: 'photos', photo_ids: 'photos' },
    validate(v) {
      const out = {};
      if (v.caller_phone && !/^[0-9 +\-()]{5,30}$/.test(v.caller_phone)) out.caller_phone = t('new.phoneInvalid');
      if (v.photos.some((file) => file.size > 5 * 1024 * 1024)) out.photos = t('new.photoTooLarge');
      return out;
    },
    async onSubmit(v) {
      const body = {
        source: kind === 'phone' ? v.source : kind === 'grid' ? (me.role === 'mobile_grid_member' ? 'mobile_grid' : 'grid') : 'resident',
        type: v.type,
        category_id: Number(v.category_id),
        node_id: Number(v.node_id),
        text: v.text,
        urgency: v.urgency || 'normal',
        idempotency_key: key,
      };
      if (v.address) body.address = v.address;
      if (v.caller_name) body.caller_name = v.caller_name;
      if (v.caller_phone) body.caller_phone = v.caller_phone;
      if (v.confidential) body.confidential = true;
      if (v.photos.length) {
        if (!uploaded || uploadedFiles !== photos.input.files) {
          f.success(t('new.uploading', { n: v.photos.length }));
          uploaded = await uploadPhotos(v.photos, signal);
          uploadedFiles = photos.input.files;
          replace(f.status);
        }
        body.photo_ids = uploaded;
      }
      const order = await post('/work-orders', body, signal);
      key = newKey();
      announce(t('new.filed', { number: order.number }));
      navigate(`/orders/${order.id}`, { filed: '1' });
    },
  });
  replace(outlet, pageTitle(title), tabs, h('p.page__intro', t(`new.intro.${kind}`)), f.el);
  return title;
}

/*
 * The category suggested for the words typed (GET /suggestions, learned from the subdistrict's closed orders),
 * with who usually settles such requests there: buttons that fill the category in, never a silent choice.
 * Asked again a moment after the words or the place change; nothing shown without workorder.read.
 */
function suggestions({ box, text, place, category, typeField, signal }) {
  if (!can('workorder.read')) return;
  let timer = null;
  let asked = '';
  const ask = async () => {
    const words = text.input.value.trim();
    const node = place.getValue();
    const key = `${node}|${typeField.input.value}|${words}`;
    if (words.length < 4 || !node || key === asked) return;
    asked = key;
    let r;
    try {
      r = await get('/suggestions', { text: words, node_id: node, type: typeField.input.value }, signal);
    } catch {
      replace(box);
      return;
    }
    if (!r || key !== asked) return;	// the page was left, or the words changed meanwhile
    if (!r.categories.length) {
      replace(box);
      return;
    }
    const chosen = String(category.input.value);
    const handler = r.handlers[0];
    replace(box,
      h('p.suggest__label', t('suggest.categories')),
      h('ul.suggest__list', r.categories.map((c) => h('li', h('button.btn.btn--small.btn--secondary', {
        type: 'button',
        'aria-pressed': String(String(c.category_id) === chosen),
        onclick: () => {
          category.input.value = String(c.category_id);
          category.input.dispatchEvent(new Event('change', { bubbles: true }));
          asked = '';
          ask();
        },
      }, t('suggest.category', { path: c.path, percent: c.confidence < 0.005 ? '<1' : Math.round(c.confidence * 100) }))))),
      handler && handler.name ? h('p.suggest__handler', t('suggest.handler', {
        name: handler.name, orders: handler.orders, percent: Math.round(handler.share * 100),
      })) : null);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 600);
  };
  text.input.addEventListener('input', later);
  place.el.addEventListener('change', later);
  typeField.input.addEventListener('change', later);
  signal?.addEventListener('abort', () => clearTimeout(timer));
}
