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

export const OUTPUTS = ['text', 'json', 'yaml', 'tree', 'junit', 'markdown'] as const;
export type Output = (typeof OUTPUTS)[number];

export interface OutputOptions {
  output: Output;
  failOn: Severity | 'never';
  /** How many checks were chosen (junit counts a Service none of them could check as skipped). */
  checksChosen: number;
  ascii: boolean;
  showEndpoints: boolean;
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
      return renderText(report, checks, colours);
  }
}
