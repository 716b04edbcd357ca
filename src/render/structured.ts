// -o json and -o yaml: the Report object as documented in docs/report.md. Both escape, in their
// own syntax, every character a terminal would act on (the output often goes to one): JSON and
// YAML escape C0 controls themselves, but print DEL, C1 controls and bidi controls raw.

import { Document, Scalar, visit } from 'yaml';
import type { Report } from '../report/report.js';
import { BEYOND_C0, unicodeEscape } from '../core/terminal-text.js';

const HAS_BEYOND_C0 = new RegExp(BEYOND_C0.source);

export function renderJson(report: Report | object): string {
  // Such characters only ever sit inside JSON strings, where \uXXXX means the same character.
  return JSON.stringify(report, null, 2).replace(BEYOND_C0, unicodeEscape) + '\n';
}

export function renderYaml(report: Report | object): string {
  const doc = new Document(report);
  const text = doc.toString({ lineWidth: 0 });
  if (!HAS_BEYOND_C0.test(text)) return text;
  // Only a double-quoted scalar reads \uXXXX as an escape: quote every string holding such a
  // character that way, then write them as escapes (lineWidth 0: no scalar is folded over lines).
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && HAS_BEYOND_C0.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 }).replace(BEYOND_C0, unicodeEscape);
}
