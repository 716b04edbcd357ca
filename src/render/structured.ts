// -o json and -o yaml: the Report object as documented in docs/report.md.

import { stringify } from 'yaml';
import type { Report } from '../report/report.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export function renderYaml(report: Report): string {
  return stringify(report, { lineWidth: 0 });
}
