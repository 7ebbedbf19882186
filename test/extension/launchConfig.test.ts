// Launch configurations: F5 with no launch.json, settings, dynamic configurations, terminal line.
import * as assert from 'node:assert/strict';
import {
  applySettings, commandLaunch, dynamicConfigurations, effectiveKernel, fillLaunch, outputMode, shellQuote, terminalCommand,
} from '../../src/extension/common/launchConfig';

describe('extension: launch configurations', () => {
  it('F5 with no launch.json debugs the active .gvt, stopping on entry', () => {
    assert.deepEqual(fillLaunch({}, '/w/samples/05-shadow-ppgtt-lifecycle.gvt'), {
      type: 'gvt', request: 'launch', name: 'Debug 05-shadow-ppgtt-lifecycle.gvt', program: '/w/samples/05-shadow-ppgtt-lifecycle.gvt', stopOnEntry: true,
    });
  });

  it('F5 where VS Code guessed only the type is the same', () => {
    assert.deepEqual(fillLaunch({ type: 'gvt' }, '/w/a.gvt'), { type: 'gvt', request: 'launch', name: 'Debug a.gvt', program: '/w/a.gvt', stopOnEntry: true });
  });

  it('says what to do when nothing can be debugged', () => {
    assert.match(String(fillLaunch({}, undefined)), /Open a \.gvt scenario/);
    assert.match(String(fillLaunch({ type: 'gvt', request: 'launch', name: 'x' }, undefined)), /no "program"/);
    assert.match(String(fillLaunch({ type: 'gvt', request: 'attach', name: 'x', program: '/a.gvt' }, undefined)), /"request": "launch"/);
  });

  it('keeps what launch.json says; fills a missing program from the active file', () => {
    const c = { type: 'gvt', request: 'launch', name: 'mine', program: '/a.gvt', stopOnEntry: false, kernel: 'legacy' as const };
    assert.deepEqual(fillLaunch(c, '/b.gvt'), c);
    assert.equal((fillLaunch({ type: 'gvt', request: 'launch', name: 'x' }, '/b.gvt') as { program: string }).program, '/b.gvt');
  });

  const settings: Array<[string, string | undefined, object, string | undefined, string]> = [
    // case, scenario text, config, → kernel, → output
    ['no kernel line: the setting', 'vgpu vm1\n', {}, 'legacy', 'trace'],
    ['the scenario\'s kernel line wins', 'kernel newest\nvgpu vm1\n', {}, undefined, 'trace'],
    ['launch.json\'s kernel wins', 'vgpu vm1\n', { kernel: 'newest' }, 'newest', 'trace'],
    ['launch.json\'s output wins', 'vgpu vm1\n', { output: 'quiet' }, 'legacy', 'quiet'],
    ['unreadable scenario: the setting', undefined, {}, 'legacy', 'trace'],
  ];
  for (const [name, text, config, kernel, output] of settings) {
    it(`settings: ${name}`, () => {
      const c = applySettings({ type: 'gvt', request: 'launch', name: 'x', program: '/a.gvt', ...config }, text, { kernel: 'legacy', verbosity: 'notes' });
      assert.equal(c.kernel, kernel);
      assert.equal(c.output, output);
    });
  }
  it('the newest default adds no kernel attribute; verbosity maps to output', () => {
    assert.equal(applySettings({ program: '/a.gvt' }, 'vgpu vm1\n', { kernel: 'newest', verbosity: 'frames' }).kernel, undefined);
    assert.deepEqual((['quiet', 'notes', 'frames'] as const).map(outputMode), ['quiet', 'trace', 'frames']);
  });

  it('the kernel a session runs with', () => {
    assert.equal(effectiveKernel({ kernel: 'legacy' }, 'kernel newest\n'), 'legacy');
    assert.equal(effectiveKernel({}, 'kernel legacy\n'), 'legacy');
    assert.equal(effectiveKernel({}, undefined), 'newest');
  });

  it('Run and Debug commands', () => {
    assert.deepEqual(commandLaunch('/w/a.gvt', true), { type: 'gvt', request: 'launch', name: 'Run a.gvt', program: '/w/a.gvt', noDebug: true });
    assert.deepEqual(commandLaunch('C:\\w\\a.gvt', false), { type: 'gvt', request: 'launch', name: 'Debug a.gvt', program: 'C:\\w\\a.gvt', stopOnEntry: true });
  });

  it('dynamic configurations: one per scenario, sorted, bounded', () => {
    const c = dynamicConfigurations([{ relative: 'samples\\02.gvt' }, { relative: 'samples/01.gvt' }]);
    assert.deepEqual(c.map((x) => [x.name, x.program]), [
      ['Debug samples/01.gvt', '${workspaceFolder}/samples/01.gvt'],
      ['Debug samples/02.gvt', '${workspaceFolder}/samples/02.gvt'],
    ]);
    assert.equal(dynamicConfigurations(Array.from({ length: 50 }, (_, i) => ({ relative: `${i}.gvt` })), 30).length, 30);
  });

  const quotes: Array<[string, boolean, string]> = [
    ['samples/05.gvt', false, 'samples/05.gvt'],
    ['my dir/a.gvt', false, `'my dir/a.gvt'`],
    [`it's.gvt`, false, `'it'\\''s.gvt'`],
    ['C:\\my dir\\a.gvt', true, '"C:\\my dir\\a.gvt"'],
  ];
  for (const [arg, windows, want] of quotes) it(`quotes ${arg}`, () => assert.equal(shellQuote(arg, windows), want));
  it('the terminal line', () => assert.equal(terminalCommand('npx gvt-scenario', 'samples/05.gvt', false), 'npx gvt-scenario run samples/05.gvt'));
});
