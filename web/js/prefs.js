// prefs.js - user preferences remembered in localStorage (locale, large text).
// Storage may be unavailable (private mode, blocked): fall back to memory.

const PREFIX = 'yuanluo.';
const memory = new Map();

export function getPref(name, fallback = null) {
  try {
    const v = window.localStorage.getItem(PREFIX + name);
    return v === null ? fallback : v;
  } catch {
    return memory.has(name) ? memory.get(name) : fallback;
  }
}

export function setPref(name, value) {
  memory.set(name, value);
  try {
    window.localStorage.setItem(PREFIX + name, value);
  } catch {
    /* memory only */
  }
}
