/**
 * Nagios plugin output and performance data, with the examples of the Nagios
 * plugin guidelines, odd quoting, units and missing fields; and the verdict of
 * an exit status.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pluginVerdict } from '../../../agent/jobs/handlers/commandHandler';
import { parsePerfData, parsePluginOutput } from '../../../agent/jobs/handlers/pluginOutput';

const datum = (
  label: string,
  value: number | null,
  uom = '',
  warn: string | null = null,
  crit: string | null = null,
  min: number | null = null,
  max: number | null = null,
) => ({ label, value, uom, warn, crit, min, max });

describe('plugin output', () => {
  it('takes the first line before | as the output and gathers perfdata from the first and the long-text lines (the guidelines’ example)', () => {
    const stdout = [
      'DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968',
      '/ 15272 MB (77%);',
      '/boot 68 MB (69%);',
      '/home 69357 MB (27%);',
      '/var/log 819 MB (84%); | /boot=68MB;88;93;0;98',
      '/home=69357MB;253404;253409;0;253414',
      '/var/log=818MB;970;975;0;980',
      '',
    ].join('\n');
    const parsed = parsePluginOutput(stdout);
    assert.equal(parsed.output, 'DISK OK - free space: / 3326 MB (56%);');
    assert.deepEqual(parsed.perfData, [
      datum('/', 2643, 'MB', '5948', '5958', 0, 5968),
      datum('/boot', 68, 'MB', '88', '93', 0, 98),
      datum('/home', 69357, 'MB', '253404', '253409', 0, 253414),
      datum('/var/log', 818, 'MB', '970', '975', 0, 980),
    ]);
  });

  it('reads check_ping and check_http shapes: units s, ms, %, B, c, thresholds as ranges kept as written', () => {
    assert.deepEqual(
      parsePerfData('rta=0.080000ms;100.000000;500.000000;0.000000 pl=0%;20;60;0 time=0.002s;;;0.000000 size=612B;;;0 hits=12c @10:20;~:5'),
      [
        datum('rta', 0.08, 'ms', '100.000000', '500.000000', 0),
        datum('pl', 0, '%', '20', '60', 0),
        datum('time', 0.002, 's', null, null, 0),
        datum('size', 612, 'B', null, null, 0),
        datum('hits', 12, 'c'),
      ],
    );
    assert.deepEqual(parsePerfData('load1=0.5;@10:20;~:30'), [datum('load1', 0.5, '', '@10:20', '~:30')]);
  });

  it("unquotes labels with spaces and = and a doubled quote ('it''s')", () => {
    assert.deepEqual(parsePerfData("'round trip'=3ms 'a=b'=1 'it''s ok'=2;;;; plain=-4.5e1KB"), [
      datum('round trip', 3, 'ms'),
      datum('a=b', 1),
      datum("it's ok", 2),
      datum('plain', -45, 'KB'),
    ]);
  });

  it('keeps U as an undetermined value and skips what does not parse', () => {
    assert.deepEqual(parsePerfData("x=U;1;2 junk =3 'open=4 y=abc z=7"), [datum('x', null, '', '1', '2')]);
  });

  it('has no perfdata and an empty output when the plugin printed nothing', () => {
    assert.deepEqual(parsePluginOutput(''), { output: '', perfData: [] });
    assert.deepEqual(parsePluginOutput('OK\r\nmore\r\n'), { output: 'OK', perfData: [] });
  });
});

describe('the verdict of a plugin', () => {
  it('is its exit status 0-3; another exit or a signal is UNKNOWN, saying why', () => {
    assert.deepEqual(pluginVerdict({ code: 1, signal: null }, 'LOAD WARNING - 5.1 | load=5.1'), {
      state: 1,
      output: 'LOAD WARNING - 5.1',
      perfData: [datum('load', 5.1)],
    });
    assert.deepEqual(pluginVerdict({ code: 0, signal: null }, ''), { state: 0, output: '(No output returned from plugin)' });
    assert.deepEqual(pluginVerdict({ code: 127, signal: null }, 'sh: nope: not found'), {
      state: 3,
      output: 'sh: nope: not found (exit code 127 is out of bounds (0-3))',
    });
    assert.deepEqual(pluginVerdict({ code: null, signal: 'SIGSEGV' }, ''), { state: 3, output: '(killed by SIGSEGV)' });
  });
});
