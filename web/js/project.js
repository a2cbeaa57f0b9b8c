// project.js - key projects in words: stages, problem kinds and states, cards.

import { t } from './i18n.js';
import { badge } from './ui.js';

export const STAGES = ['planning', 'signed', 'to_start', 'building', 'completed'];

export const stageLabel = (s, kind) => (kind ? t('projects.stageKind', { stage: t(`projects.stage.${s}`), kind: t(`projects.build.${kind}`) })
  : t(`projects.stage.${s}`));
export const problemKindLabel = (k) => t(`projects.kind.${k}`);
export const statusLabel = (s) => t(`projects.status.${s}`);

/** A time node's card as a badge (none: nothing). */
export function cardBadge(card) {
  if (!card || card === 'none') return null;
  return badge(t(`projects.card.${card}`), card === 'red' ? 'danger' : 'warn');
}
