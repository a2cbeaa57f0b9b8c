// i18n.js - message catalogues, formatting of numbers and dates.
// Every text the UI shows comes from web/i18n/<locale>.js; Chinese is the default.

import zhCN from '../i18n/zh-CN.js';
import en from '../i18n/en.js';
import { getPref, setPref } from './prefs.js';

const catalogues = { 'zh-CN': zhCN, en };
export const LOCALES = Object.keys(catalogues);
const DEFAULT = 'zh-CN';
const TZ = 'Asia/Shanghai';

let locale = LOCALES.includes(getPref('locale')) ? getPref('locale') : DEFAULT;
const listeners = new Set();

export function getLocale() {
  return locale;
}

export function setLocale(next) {
  if (!LOCALES.includes(next) || next === locale) return;
  locale = next;
  setPref('locale', next);
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn(next));
}

export function onLocaleChange(fn) {
  listeners.add(fn);
}

/** The message for key, with {name} placeholders filled from params. */
export function t(key, params) {
  let s = catalogues[locale][key];
  if (s === undefined) s = catalogues[DEFAULT][key];
  if (s === undefined) {
    console.warn('i18n: missing key', key);
    return key;
  }
  if (typeof s === 'function') return s(params || {});
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined || params[name] === null ? m : String(params[name])));
}

/** True when the catalogue has the key (in the current or the default locale). */
export function has(key) {
  return catalogues[locale][key] !== undefined || catalogues[DEFAULT][key] !== undefined;
}

export function fmtNumber(n) {
  return new Intl.NumberFormat(locale).format(n);
}

export function fmtPercent(part, whole) {
  if (!whole) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}

/** "YYYY-MM-DD" (a calendar day) for people. */
export function fmtDate(day) {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d);
}

/** A UTC instant shown in Asia/Shanghai local time ({seconds: true} for the audit log). */
export function fmtDateTime(instant, { seconds = false } = {}) {
  if (!instant) return '';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined, hour12: false, timeZone: TZ,
  }).format(d);
}

/** The UTC instant at which a day (YYYY-MM-DD) begins in Asia/Shanghai: "2026-11-28T16:00:00Z". */
export function dayStartUtc(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) return '';
  const d = new Date(`${day}T00:00:00+08:00`);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The day after a YYYY-MM-DD. */
export function nextDay(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export function today() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Fills [data-i18n] text and [data-i18n-attr="attr:key,attr:key"] attributes under root. */
export function translateStatic(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    el.dataset.i18nAttr.split(',').forEach((pair) => {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    });
  });
}

document.documentElement.lang = locale;
