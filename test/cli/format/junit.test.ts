import { describe, expect, it } from 'vitest';
import { renderAuditJunit, xmlAttribute, xmlText } from '#cli/format/junit.ts';
import { sampleReport } from './sample-report.ts';
import { parseXml, type XmlElement } from './xml-parser.ts';

const failuresOf = (suite: XmlElement) =>
  suite.children
    .filter((tc) => tc.children.some((c) => c.name === 'failure'))
    .map((tc) => tc.attributes['name']);

describe('renderAuditJunit', () => {
  it('writes a well-formed document with one testsuite per app and one testcase per resource', () => {
    const root = parseXml(renderAuditJunit(sampleReport, { strict: false }));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '5', failures: '3' });
    expect(root.children.map((s) => [s.attributes['name'], s.attributes['tests']])).toEqual([
      ['alpha', '3'],
      ['beta', '2'],
    ]);
    expect(root.children[0]?.children.map((tc) => tc.attributes['name'])).toEqual([
      'db',
      'files',
      'documents-long-name',
    ]);
  });

  it.each([
    { strict: false, alpha: ['documents-long-name'], failures: '3' },
    { strict: true, alpha: ['files', 'documents-long-name'], failures: '4' },
  ])(
    'fails breach, missing and unknown, and warning only when strict ($strict)',
    ({ strict, alpha, failures }) => {
      const root = parseXml(renderAuditJunit(sampleReport, { strict }));
      expect(root.attributes['failures']).toBe(failures);
      expect(failuresOf(root.children[0]!)).toEqual(alpha);
      expect(failuresOf(root.children[1]!)).toEqual(['vm', 'aks']);
    },
  );

  it('escapes the reason so it reads back exactly, minus characters XML cannot carry', () => {
    const root = parseXml(renderAuditJunit(sampleReport, { strict: false }));
    const failure = root.children[0]?.children[2]?.children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes['type']).toBe('breach');
    expect(failure?.attributes['message']).toBe('breach: older than <RPO> & "stale" | it\'s\nbad ');
    expect(failure?.text).toContain('reason: older than <RPO> & "stale" | it\'s\nbad ');
  });
});

describe('xml escaping', () => {
  it.each([
    ['a & b', 'a &amp; b', 'a &amp; b'],
    ['<x>', '&lt;x&gt;', '&lt;x&gt;'],
    ['"q" \'a\'', '"q" \'a\'', '&quot;q&quot; &apos;a&apos;'],
    ['line\nbreak\ttab', 'line\nbreak\ttab', 'line&#10;break&#9;tab'],
    ['bell\u0007 and \uFFFF', 'bell and ', 'bell and '],
  ])('escapes %j for text and attributes', (input, text, attribute) => {
    expect(xmlText(input)).toBe(text);
    expect(xmlAttribute(input)).toBe(attribute);
  });
});
