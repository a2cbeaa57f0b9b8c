// labels.js - the organisation tree's vocabulary: levels, kinds, party organisations, roles.

import { t, has, getLocale } from './i18n.js';

export const LEVELS = ['subdistrict', 'community', 'courtyard', 'building', 'unit', 'household'];

/** The kinds a level takes (as the server's node.c): courtyard needs one, community may have one. */
export const LEVEL_KINDS = {
  community: ['urban', 'rural'],
  courtyard: ['residential', 'dormitory', 'business_alliance'],
};
export const KIND_REQUIRED = { courtyard: true };

/** The party organisation a level carries (org.h party_org_kind_for); a unit has none. */
export const PARTY_KIND_FOR_LEVEL = {
  subdistrict: 'working_committee',
  community: 'general_branch',
  courtyard: 'courtyard_branch',
  building: 'building_group',
  household: 'central_household',
};

export function childLevels(level) {
  switch (level) {
    case 'subdistrict': return ['community'];
    case 'community': return ['courtyard'];
    case 'courtyard': return ['building'];
    case 'building': return ['unit', 'household'];
    case 'unit': return ['household'];
    default: return [];
  }
}

export function parentLevels(level) {
  return LEVELS.filter((p) => childLevels(p).includes(level));
}

export function levelLabel(level) {
  return has(`level.${level}`) ? t(`level.${level}`) : level;
}

export function kindLabel(kind) {
  if (!kind) return '';
  return has(`kind.${kind}`) ? t(`kind.${kind}`) : kind;
}

export function partyKindLabel(kind) {
  return has(`party.kind.${kind}`) ? t(`party.kind.${kind}`) : kind;
}

/** A role's name in the current language, from the dictionary row or its code. */
export function roleName(role, code) {
  if (role) return getLocale() === 'zh-CN' ? role.name : (role.name_en || role.name);
  if (code && has(`role.${code}`)) return t(`role.${code}`);
  return code || '';
}

export function genderLabel(g) {
  return g ? t(`person.gender.${g}`) : '';
}

/** 138****1234: phone numbers are masked wherever they are shown (PIPL). */
export function maskPhone(phone) {
  if (!phone) return '';
  const d = String(phone);
  if (d.includes('*')) return d;
  if (d.length >= 7) return `${d.slice(0, 3)}${'*'.repeat(Math.max(d.length - 7, 1))}${d.slice(-4)}`;
  return '*'.repeat(d.length);
}

/** An access role (admin, grid_member …): the catalogue's name, or the code. */
export function accessRoleLabel(code) {
  return code && has(`access.role.${code}`) ? t(`access.role.${code}`) : (code || '');
}

/** A permission (people.reveal …) in words. */
export function permissionLabel(p) {
  return p && has(`perm.${p}`) ? t(`perm.${p}`) : (p || '');
}

/**
 * An 18-character resident ID (GB 11643): 17 digits and a check character
 * (0-9 or X), a real birth date in positions 7-14.  The server checks the same.
 */
export function idNumberValid(raw) {
  const id = String(raw || '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}
