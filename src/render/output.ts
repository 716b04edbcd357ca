// The -o formats of diagnose, rendered from one diagnosis: the one-shot command prints this, and
// --watch keeps it on screen.

import type { Diagnosis } from '../report/diagnosis.js';
import type { Palette } from './colour.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderJson, renderYaml } from './structured.js';
import { renderText } from './text.js';
import { renderTree, type TreeOptions } from './tree.js';
import type { Severity } from '../core/findings.js';
import { failingServices } from '../report/report.js';
import { resourceOfKind } from '../core/kinds.js';
import { terminalText } from '../core/terminal-text.js';
import type { ServiceOrder } from './sort-by.js';
import { columnValue, executeTemplate, type Column, type TemplateNode } from './jsonpath.js';
import { plainTable } from './table.js';

export const OUTPUTS = ['text', 'wide', 'json', 'yaml', 'name', 'tree', 'junit', 'markdown'] as const;
/** The formats that take a template after "=": -o jsonpath=TEMPLATE, -o custom-columns=SPEC. */
export const TEMPLATE_OUTPUTS = ['jsonpath', 'custom-columns'] as const;
export type Output = (typeof OUTPUTS)[number] | (typeof TEMPLATE_OUTPUTS)[number];

export interface OutputOptions {
  output: Output;
  failOn: Severity | 'never';
  /** How many checks were chosen (junit counts a Service none of them could check as skipped). */
  checksChosen: number;
  ascii: boolean;
  showEndpoints: boolean;
  /** Text output: why each check matters, and more pods per finding (--explain, -v); concise without. */
  explain?: boolean;
  /** Text and wide output: the table without its head row (--no-headers). */
  noHeaders?: boolean;
  /** Text output: the table without healthy Services (--show-ok=false). */
  hideOk?: boolean;
  /** What the input was searched for Services, as the empty result says it: "in namespace shop". */
  searched?: string;
  /** Text and name output: the order of the Services (--sort-by). */
  sortBy?: ServiceOrder;
  /** -o jsonpath: the parsed template. */
  template?: TemplateNode[];
  /** -o custom-columns: the parsed columns. */
  columns?: Column[];
  /** Extra tree branches under each Service (the probe's Dataplane/NODE rows). */
  branches?: TreeOptions['branches'];
}

export function renderOutput(d: Diagnosis, options: OutputOptions, colours: Palette): string {
  const { report, run, model, checks } = d;
  switch (options.output) {
    case 'json':
      return renderJson(report);
    case 'yaml':
      return renderYaml(report);
    case 'name': {
      // As kubectl get -o name: one resource/name per line, here the Services that fail --fail-on.
      const failing = failingServices(report, options.failOn);
      const listed = report.services.filter((s) => failing.has(`${s.namespace}/${s.name}`));
      // A finding about an object naming a Service that does not exist names that object instead.
      const keys = new Set(report.services.map((s) => `${s.namespace}/${s.name}`));
      const subjects = new Set(
        report.findings
          .filter(
            (f) => f.subject && failing.has(`${f.namespace}/${f.service}`) && !keys.has(`${f.namespace}/${f.service}`),
          )
          .map((f) => `${resourceOfKind(f.subject!.kind)}/${terminalText(f.subject!.name)}\n`),
      );
      return [
        ...(options.sortBy ? listed.sort(options.sortBy) : listed).map((s) => `service/${terminalText(s.name)}\n`),
        ...subjects,
      ].join('');
    }
    case 'junit':
      return renderJunit(report, {
        failOn: options.failOn,
        checksRun: options.checksChosen - run.skipped.length,
        checks,
      });
    case 'markdown':
      return renderMarkdown(report, checks, options.failOn);
    case 'tree':
      return renderTree(
        run.services.map((s) => s.service),
        model,
        report,
        colours,
        {
          ascii: options.ascii,
          showEndpoints: options.showEndpoints,
          now: new Date(),
          branches: options.branches,
        },
      );
    case 'text':
      return renderText(report, checks, colours, options);
    case 'wide':
      return renderText(report, checks, colours, { ...options, wide: true });
    case 'jsonpath':
      // Over the report as -o json writes it (a plain JSON document).
      return executeTemplate(options.template ?? [], JSON.parse(JSON.stringify(report)) as unknown);
    case 'custom-columns': {
      const columns = options.columns ?? [];
      const entries = options.sortBy ? [...report.services].sort(options.sortBy) : report.services;
      const rows = entries.map((s) => columns.map((c) => columnValue(c, s)));
      return `${plainTable(
        columns.map((c) => c.header),
        rows,
        !options.noHeaders,
      )}\n`;
    }
  }
}
