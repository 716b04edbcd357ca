// A finding's message from its check's declared texts (as ESLint builds a report from
// meta.messages and a messageId): the reason's template, then the notes the finding lists, each
// filled from the finding's data. A reason, note or placeholder the check does not declare is a
// mistake in the check, not something to report: it throws.

import type { CheckDescription, Severity } from '../core/findings.js';
import { fillTemplate } from '../core/template.js';
import type { CheckMessages, FindingDraft } from '../checks/types.js';

/** What the runner adds to a draft from the check's texts. */
export interface FindingText {
  severity: Severity;
  reason: string;
  message: string;
}

export function findingText(check: CheckDescription & CheckMessages, draft: FindingDraft): FindingText {
  const { reason, data, notes = [] } = draft;
  const template = Object.hasOwn(check.messages, reason) ? check.messages[reason] : undefined;
  if (template === undefined) throw new Error(`check ${check.id}: reason "${reason}" is not one of its messages`);
  let message = fillTemplate(template, data, () => `check ${check.id}, message ${reason}`);
  for (const note of notes) {
    const clause = check.notes && Object.hasOwn(check.notes, note) ? check.notes[note] : undefined;
    if (clause === undefined) throw new Error(`check ${check.id}: note "${note}" is not one of its notes`);
    message += fillTemplate(clause, data, () => `check ${check.id}, note ${note}`);
  }
  return { severity: check.severities?.[reason] ?? check.severity, reason, message };
}
