/**
 * `--format junit`: JUnit XML so CI systems show each resource as a test. One `<testsuite>` per
 * application, one `<testcase>` per resource; a `<failure>` for breach, missing and unknown (and
 * warning with `--strict`), its `type` being the status.
 */

import type { AuditReport } from '#shared/application/run-audit.ts';
import type { Freshness } from '#shared/domain/freshness.ts';
import { isFailing } from './common.ts';

// Characters XML 1.0 cannot carry at all, even escaped (controls other than tab/newline/return,
// lone surrogates, U+FFFE/U+FFFF): dropped rather than producing a file CI refuses to read.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text content. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); whitespace is kept as character references. */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const attributes = (attrs: Record<string, string | number>) =>
  Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
    .join('');

function testcase(app: string, f: Freshness, strict: boolean): string {
  const open = `    <testcase${attributes({ classname: app, name: f.resource, time: 0 })}>`;
  const body = isFailing(f.status, strict)
    ? `      <failure${attributes({ type: f.status, message: `${f.status}: ${f.reason}` })}>${xmlText(detail(f))}</failure>`
    : `      <system-out>${xmlText(detail(f))}</system-out>`;
  return [open, body, '    </testcase>'].join('\n');
}

function detail(f: Freshness): string {
  return [
    `status: ${f.status}`,
    `age: ${f.ageSeconds === null ? 'none' : `${f.ageSeconds}s`} (RPO ${f.rpoSeconds}s)`,
    `recovery point: ${f.recoveryPoint ?? 'none'}`,
    ...(f.lastJob
      ? [`last failed job: ${f.lastJob.kind} ${f.lastJob.id} ${f.lastJob.state} at ${f.lastJob.at}`]
      : []),
    `reason: ${f.reason}`,
  ].join('\n');
}

/** The audit as a JUnit XML document. */
export function renderAuditJunit(report: AuditReport, options: { strict: boolean }): string {
  const count = (rows: readonly Freshness[]) =>
    rows.filter((f) => isFailing(f.status, options.strict)).length;
  const all = report.apps.flatMap((a) => a.freshness);
  const suites = report.apps.map((app) =>
    [
      `  <testsuite${attributes({
        name: app.name,
        tests: app.freshness.length,
        failures: count(app.freshness),
        errors: 0,
        skipped: 0,
        timestamp: report.generatedAt,
        time: 0,
      })}>`,
      ...app.freshness.map((f) => testcase(app.name, f, options.strict)),
      '  </testsuite>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'standby audit', tests: all.length, failures: count(all), errors: 0, time: 0 })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
