/**
 * The TextMate grammar for feedback files: valid JSON, regexes that compile in
 * JavaScript, and the same reading of every line as the agent's parser.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parseFeedbackLine, type FeedbackLine } from '../../../agent/tasks/feedbackParser';

const GRAMMAR_PATH = join(import.meta.dirname, '../../../syntaxes/feedback.tmLanguage.json');
const FIXTURES = join(import.meta.dirname, '../../fixtures/feedback');

interface Rule {
  readonly match?: string;
  readonly name?: string;
  readonly include?: string;
  readonly captures?: Record<string, { readonly name: string }>;
}

interface Grammar {
  readonly scopeName: string;
  readonly patterns: readonly Rule[];
  readonly repository: Record<string, Rule>;
}

const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as Grammar;

/** Every regex in the grammar, with where it is, found by walking the whole JSON. */
function regexesOf(node: unknown, where = '$'): [where: string, source: string][] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]): [string, string][] =>
    ['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string'
      ? [[`${where}.${key}`, value]]
      : regexesOf(value, `${where}.${key}`),
  );
}

/** The top-level rules, includes resolved. */
function topRules(): { id: string; rule: Rule }[] {
  return grammar.patterns.map((pattern) => {
    const id = pattern.include?.replace(/^#/, '') ?? '';
    const rule = grammar.repository[id];
    assert.ok(rule, `include ${pattern.include ?? '(none)'} names a repository rule`);
    return { id, rule };
  });
}

interface Token {
  readonly rule: string;
  readonly scope: string;
  /** Captured text by capture scope name (without the language suffix). */
  readonly captures: Record<string, string>;
}

/** Tokenizes one line the way TextMate picks a rule: earliest match, then first listed. */
function tokenize(line: string): Token | null {
  let best: { id: string; rule: Rule; match: RegExpExecArray } | null = null;
  for (const { id, rule } of topRules()) {
    const match = new RegExp(rule.match ?? '(?!)', 'd').exec(line);
    if (match && (best === null || match.index < best.match.index)) best = { id, rule, match };
  }
  if (best === null) return null;
  const captures: Record<string, string> = {};
  for (const [group, { name }] of Object.entries(best.rule.captures ?? {})) {
    const text = best.match[Number(group)];
    if (text !== undefined) captures[name.replace(/\.taskwarden-feedback$/, '')] = text;
  }
  return { rule: best.id, scope: best.rule.name ?? '', captures };
}

/** What the grammar's token says about a line, in the parser's terms. */
function kindOf(token: Token | null): FeedbackLine['kind'] {
  switch (token?.rule) {
    case 'assignment':
      return 'set';
    case 'deletion':
      return 'delete';
    case 'clear-all':
      return 'clear';
    default:
      return 'ignored';
  }
}

describe('feedback grammar file', () => {
  test('it is valid JSON with the taskwarden feedback scope name', () => {
    assert.equal(grammar.scopeName, 'source.taskwarden-feedback');
    assert.ok(grammar.patterns.length > 0);
  });

  test('every regex in it compiles in JavaScript', () => {
    const regexes = regexesOf(grammar);
    assert.ok(regexes.length >= 4);
    for (const [where, source] of regexes) {
      assert.doesNotThrow(() => new RegExp(source), `${where}: ${source}`);
    }
  });

  test('every scope name ends with the language suffix', () => {
    const scopes = Object.values(grammar.repository).flatMap((rule) => [
      rule.name ?? '',
      ...Object.values(rule.captures ?? {}).map((capture) => capture.name),
    ]);
    assert.ok(scopes.length >= 10);
    for (const scope of scopes.flatMap((names) => names.split(' '))) {
      assert.match(scope, /\.taskwarden-feedback$/, scope);
    }
  });
});

describe('feedback grammar highlighting', () => {
  test('a comment line is a number-sign comment', () => {
    assert.equal(tokenize('# progress report')?.scope, 'comment.line.number-sign.taskwarden-feedback');
  });

  test('a key with a value scopes the key and the value', () => {
    const token = tokenize('[jsample]{ "items" : [1, 2] }');
    assert.equal(token?.rule, 'assignment');
    assert.equal(token?.captures['support.type.property-name'], 'jsample');
    assert.equal(token?.captures['string.unquoted.value'], '{ "items" : [1, 2] }');
  });

  test('a key alone is a deletion', () => {
    const token = tokenize('[info]');
    assert.equal(token?.scope, 'meta.deletion.taskwarden-feedback markup.deleted.taskwarden-feedback');
    assert.equal(token?.captures['support.type.property-name'], 'info');
  });

  test('empty brackets are a clear-all', () => {
    assert.equal(tokenize('[]')?.scope, 'keyword.control.clear-all.taskwarden-feedback');
  });

  test('malformed lines get no scope', () => {
    for (const line of ['[a key]x', '[]x', 'plain text', '[open']) assert.equal(tokenize(line), null, line);
  });

  test('it reads every line of every fixture and edge case as the parser does', () => {
    const lines = [
      ...['taskwatcher', '.']
        .flatMap((folder) => readdirSync(join(FIXTURES, folder)).map((file) => join(FIXTURES, folder, file)))
        .filter((path) => /\.(log|txt)$/.test(path))
        .flatMap((path) => readFileSync(path, 'utf8').split(/\r\n|\r|\n/)),
      '[k]   ',
      '  []\t',
      '\t[k] v ',
      '[k]]x',
      '[9]nine',
      '#[k]v',
      '[é]x',
    ];
    for (const line of lines) {
      const parsed = parseFeedbackLine(line);
      const token = tokenize(line);
      assert.equal(kindOf(token), parsed.kind, JSON.stringify(line));
      if (parsed.kind === 'set' || parsed.kind === 'delete') {
        assert.equal(token?.captures['support.type.property-name'], parsed.key, JSON.stringify(line));
      }
      if (parsed.kind === 'set') {
        assert.equal(token?.captures['string.unquoted.value']?.trimEnd(), parsed.value, JSON.stringify(line));
      }
    }
  });
});
