import { describe, expect, it } from 'vitest';
import { type EvidenceRecord, sealRecord } from '#shared/domain/evidence.ts';
import { EXPORT_FORMAT, exportChain, verifyExport } from '#shared/domain/evidence-export.ts';

const at = new Date('2026-11-30T12:00:00Z');

function chain(n: number): EvidenceRecord[] {
  const records: EvidenceRecord[] = [];
  for (let i = 0; i < n; i++)
    records.push(
      sealRecord('case-management', records.at(-1), {
        kind: 'phase',
        at: `2026-11-21T12:0${i}:00.000Z`,
        ref: `failover/f1/phase/${i}`,
        data: { phase: i === 0 ? 'restoring' : 'completed' },
      }),
    );
  return records;
}

const exported = (n = 4) =>
  exportChain(
    'case-management',
    chain(n).map((value, i) => ({ position: i + 1, value })),
    at,
  );
const lines = (text: string) => text.trimEnd().split('\n');
const join = (l: readonly string[]) => `${l.join('\n')}\n`;

describe('exportChain', () => {
  it('writes a header line, then every record as stored, one JSON document per line', () => {
    const records = chain(2);
    const text = exported(2);
    expect(lines(text).map((l) => JSON.parse(l))).toEqual([
      {
        format: EXPORT_FORMAT,
        app: 'case-management',
        exportedAt: '2026-11-30T12:00:00.000Z',
        records: 2,
        head: { seq: 2, hash: records[1]!.hash },
      },
      records[0],
      records[1],
    ]);
    expect(EXPORT_FORMAT).toBe('standby-evidence/v1');
  });

  it('exports an empty chain with a null head, and verifies it', () => {
    const text = exportChain('x', [], at);
    expect(JSON.parse(text)).toMatchObject({ records: 0, head: null });
    expect(verifyExport(text)).toEqual({ ok: true, app: 'x', records: 0 });
  });
});

describe('verifyExport names the first record tampered with', () => {
  it('passes an intact export', () => {
    expect(verifyExport(exported())).toEqual({ ok: true, app: 'case-management', records: 4 });
  });

  it.each([
    {
      tamper: 'a record changed',
      change: (l: string[]) => {
        l[2] = l[2]!.replace('"completed"', '"aborted"');
      },
      seq: 2,
      kind: 'changed',
    },
    {
      tamper: 'a record removed',
      change: (l: string[]) => {
        l.splice(2, 1);
      },
      seq: 2,
      kind: 'removed',
    },
    {
      tamper: 'two records swapped',
      change: (l: string[]) => {
        [l[2], l[3]] = [l[3]!, l[2]!];
      },
      seq: 2,
      kind: 'reordered',
    },
    {
      tamper: 'the last record cut off, the header left',
      change: (l: string[]) => {
        l.pop();
      },
      seq: 4,
      kind: 'removed',
    },
    {
      tamper: 'a record re-sealed (self-consistent, but the next one holds the old hash)',
      change: (l: string[]) => {
        const r = JSON.parse(l[2]!) as EvidenceRecord;
        const { hash: _old, ...rest } = r;
        const resealed = sealRecord('case-management', JSON.parse(l[1]!) as EvidenceRecord, {
          kind: rest.kind,
          at: rest.at,
          ref: rest.ref,
          data: { phase: 'aborted' },
        });
        l[2] = JSON.stringify(resealed);
      },
      seq: 2,
      kind: 'changed',
    },
    {
      tamper: "the header's head changed",
      change: (l: string[]) => {
        l[0] = l[0]!.replace(/"hash":"[0-9a-f]{4}/, '"hash":"0000');
      },
      seq: 4,
      kind: 'changed',
    },
  ])('$tamper: record $seq $kind', ({ change, seq, kind }) => {
    const l = lines(exported());
    change(l);
    expect(verifyExport(join(l))).toMatchObject({ ok: false, seq, tamper: kind });
  });

  it.each([
    ['not JSON', 'oops\n', 'line 1 is not JSON'],
    ['no header', `${lines(exported())[1]}\n`, 'line 1 is not a standby-evidence/v1 header'],
    ['another format', '{"format":"other/v9","app":"a"}\n', 'line 1 is not a standby-evidence/v1 header'],
    ['a broken line', `${lines(exported())[0]}\n{"seq":\n`, 'line 2 is not JSON'],
  ])('refuses %s, naming the line', (_name, text, problem) => {
    expect(verifyExport(text)).toEqual({ ok: false, problem });
  });
});
