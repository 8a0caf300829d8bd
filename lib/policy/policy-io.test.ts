import { describe, expect, it } from 'vitest';

import { AppError } from '../errors';
import { parsePolicy, serializePolicy, type PolicyIssue } from './policy-io';
import { policyDocumentSchema } from './policy-schema';
import { defaultPolicy } from './presets';

/** The issues parsePolicy reports for `doc` (written as JSON). */
function issuesOf(doc: unknown): PolicyIssue[] {
  try {
    parsePolicy(JSON.stringify(doc), 'json');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_input');
    return (error as AppError).details!.issues as PolicyIssue[];
  }
  throw new Error('expected the policy to be refused');
}

const rule = (extra: Record<string, unknown> = {}) => ({
  id: 'r1',
  name: 'Rule 1',
  match: {},
  effect: 'allow',
  ...extra,
});

describe('parsePolicy / serializePolicy', () => {
  it('round-trips the default policy through JSON and YAML', () => {
    const doc = defaultPolicy();
    for (const format of ['json', 'yaml'] as const) {
      const text = serializePolicy(doc, format);
      expect(parsePolicy(text, format)).toEqual(doc);
      expect(serializePolicy(parsePolicy(text, format), format)).toBe(text);
    }
  });

  it('round-trips freeze windows of every shape and custom thresholds', () => {
    const doc = policyDocumentSchema.parse({
      defaultEffect: 'block',
      rules: [
        rule({
          description: 'd',
          enabled: false,
          match: { paths: { any: ['docs/**'], all: ['**/*.md'] }, minFiles: 2 },
        }),
        rule({ id: 'r2', effect: 'require_approval', approvals: 2, match: { branches: ['$room', 'release/**'] } }),
      ],
      freezeWindows: [
        { name: 'xmas', timeZone: 'Europe/Berlin', start: '2025-12-24T00:00', end: '2025-12-27T00:00' },
        { name: 'nights', timeZone: 'UTC', days: ['mon', 'fri'], startTime: '22:00', endTime: '06:00' },
        {
          name: 'weekend',
          timeZone: 'Europe/Berlin',
          startDay: 'fri',
          startTime: '18:00',
          endDay: 'mon',
          endTime: '08:00',
        },
      ],
      blastRadius: { medium: { files: 3, lines: 50 } },
    });
    for (const format of ['json', 'yaml'] as const) {
      expect(parsePolicy(serializePolicy(doc, format), format)).toEqual(doc);
    }
  });

  it('reads hand-written YAML and applies defaults', () => {
    const doc = parsePolicy(
      [
        'rules:',
        '  - id: docs',
        '    name: Docs only',
        '    match:',
        '      tools: [push_files]',
        '      paths: { all: ["docs/**", "*.md"] }',
        '    effect: allow',
        '  - id: big',
        '    name: Big changes',
        '    match: { minLines: 1000 }',
        '    effect: require_approval',
      ].join('\n'),
      'yaml',
    );
    expect(doc.defaultEffect).toBe('require_approval');
    expect(doc.rules[0]!.enabled).toBe(true);
    expect(doc.rules[1]!.approvals).toBe(1);
    expect(doc.freezeWindows).toEqual([]);
    expect(doc.blastRadius.high).toEqual({ files: 20, lines: 500 });
  });

  it('refuses syntax errors, duplicate YAML keys and empty text', () => {
    expect(() => parsePolicy('{"rules": [', 'json')).toThrow(/not valid JSON/);
    expect(() => parsePolicy('rules: [\n', 'yaml')).toThrow(/not valid YAML/);
    expect(() => parsePolicy('defaultEffect: block\ndefaultEffect: allow\n', 'yaml')).toThrow(/not valid YAML/);
    expect(() => parsePolicy('   ', 'json')).toThrow(/empty/);
    expect(() => parsePolicy('{}', 'toml' as 'json')).toThrow(/Unknown policy format/);
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    expect(() => parsePolicy(lines.join('\n'), 'yaml')).toThrow(AppError);
  });
});

describe('validation messages name the field', () => {
  it('reports unknown keys at their own path', () => {
    const issues = issuesOf({ rules: [rule({ match: { brnaches: ['main'] } })], extra: 1 });
    expect(issues).toContainEqual({ path: 'rules[0].match.brnaches', message: 'Unknown field "brnaches"' });
    expect(issues).toContainEqual({ path: 'extra', message: 'Unknown field "extra"' });
  });

  it('reports unknown keys inside freeze windows', () => {
    const issues = issuesOf({
      freezeWindows: [{ name: 'x', timeZone: 'UTC', days: ['mon'], startTime: '01:00', endTime: '02:00', until: 'x' }],
    });
    expect(issues).toContainEqual({ path: 'freezeWindows[0].until', message: 'Unknown field "until"' });
  });

  it('reports bad values with clear messages', () => {
    const issues = issuesOf({
      defaultEffect: 'rewrite',
      rules: [
        rule({ effect: 'deny' }),
        rule({ id: 'r2', match: { tools: ['push'], roles: ['GUEST'], branches: [] } }),
        rule({ id: 'r3', match: { branches: ['/main', 'ok/*'], paths: { any: ['a//b'] } } }),
        rule({ id: 'r4', effect: 'block', approvals: 2 }),
        rule({ id: 'r5', effect: 'require_approval', approvals: 0 }),
        rule({ id: 'r9' }),
        rule({ id: 'bad id!' }),
        rule({ id: 'r6', match: { paths: {} } }),
        rule({ id: 'r7', match: { minFiles: 1.5, blastRadius: 'huge', ciStatus: ['green'] } }),
      ],
    });
    const at = (path: string) => issues.filter((i) => i.path === path).map((i) => i.message);
    expect(at('defaultEffect')[0]).toMatch(/expected one of/);
    expect(at('rules[0].effect')[0]).toMatch(/expected one of/);
    expect(at('rules[1].match.tools[0]')[0]).toMatch(/expected one of/);
    expect(at('rules[1].match.roles[0]')[0]).toMatch(/expected one of/);
    expect(at('rules[1].match.branches')[0]).toMatch(/at least one branch pattern/);
    expect(at('rules[2].match.branches[0]')[0]).toBe('Branch pattern "/main" must not start or end with "/"');
    expect(at('rules[2].match.paths.any[0]')[0]).toMatch(/Path pattern "a\/\/b"/);
    expect(at('rules[3].approvals')[0]).toMatch(/Only a require_approval rule/);
    expect(at('rules[4].approvals')[0]).toMatch(/At least 1/);
    expect(at('rules[6].id')[0]).toMatch(/letters, digits/);
    expect(at('rules[7].match.paths')[0]).toMatch(/"any" or "all"/);
    expect(at('rules[8].match.minFiles')[0]).toMatch(/whole number/);
    expect(at('rules[8].match.blastRadius')[0]).toMatch(/expected one of/);
    expect(at('rules[8].match.ciStatus[0]')[0]).toMatch(/expected one of/);
  });

  it('reports duplicate rule ids', () => {
    const issues = issuesOf({ rules: [rule(), rule({ id: 'r2', effect: 'deny' }), rule()] });
    expect(issues).toContainEqual({ path: 'rules[2].id', message: 'Rule id "r1" is already used by rule 1' });
  });

  it('reports bad freeze windows', () => {
    const issues = issuesOf({
      freezeWindows: [
        { name: 'a', timeZone: 'Mars/Olympus', days: ['mon'], startTime: '01:00', endTime: '02:00' },
        { name: 'b', timeZone: '+02:00', days: ['mon'], startTime: '01:00', endTime: '02:00' },
        { name: 'c', timeZone: 'UTC', start: '2025-12-27T00:00', end: '2025-12-24T00:00' },
        { name: 'd', timeZone: 'UTC', start: '2025-02-30T00:00', end: '2025-03-01T00:00Z' },
        { name: 'e', timeZone: 'UTC', days: ['someday'], startTime: '25:00', endTime: '7pm' },
        { name: 'f', timeZone: 'UTC', startDay: 'fri', startTime: '18:00', endDay: 'fri', endTime: '18:00' },
        { name: 'g', timeZone: 'UTC' },
        { name: 'h', timeZone: 'UTC', days: ['mon', 'mon'], startTime: '01:00', endTime: '02:00' },
      ],
    });
    const at = (path: string) => issues.filter((i) => i.path === path).map((i) => i.message);
    expect(at('freezeWindows[0].timeZone')[0]).toMatch(/Unknown time zone "Mars\/Olympus"/);
    expect(at('freezeWindows[1].timeZone')[0]).toMatch(/Unknown time zone/);
    expect(at('freezeWindows[2].end')[0]).toMatch(/end after it starts/);
    expect(at('freezeWindows[3].start')[0]).toMatch(/not a local date and time/);
    expect(at('freezeWindows[3].end')[0]).toMatch(/no time-zone offset/);
    expect(at('freezeWindows[4].days[0]')[0]).toMatch(/expected one of/);
    expect(at('freezeWindows[4].startTime')[0]).toMatch(/24-hour time/);
    expect(at('freezeWindows[4].endTime')[0]).toMatch(/24-hour time/);
    expect(at('freezeWindows[5].endTime')[0]).toMatch(/must not end when it starts/);
    expect(at('freezeWindows[6]')[0]).toMatch(/needs either start and end/);
    expect(at('freezeWindows[7].days')[0]).toMatch(/each day once/);
  });

  it('reports thresholds that are out of order', () => {
    const issues = issuesOf({ blastRadius: { medium: { files: 30, lines: 100 } } });
    expect(issues).toContainEqual({ path: 'blastRadius.high.files', message: 'Must be at least medium.files (30)' });
  });

  it('summarises the problems in the error message', () => {
    expect(() => parsePolicy(JSON.stringify({ rules: [rule({ effect: 'deny' })] }), 'json')).toThrow(
      /The policy is invalid: rules\[0\]\.effect: /,
    );
  });
});
