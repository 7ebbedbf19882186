// package.json's contributions against the ids declared once in src/extension/common/ids.ts: every
// command, view, context key, item context and setting used there is declared, and the other way
// round; activation events, the walkthrough's media and the icon exist.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, ContextKey, INTERNAL_COMMANDS, ItemContext, Setting, View, WALKTHROUGH_ID } from '../../src/extension/common/ids';

const ROOT = join(__dirname, '..', '..', '..');

interface MenuItem { command: string; when?: string; group?: string }
interface Pkg {
  icon?: string;
  activationEvents?: string[];
  contributes: {
    commands: Array<{ command: string; title: string; icon?: string }>;
    menus: Record<string, MenuItem[]>;
    views: Record<string, Array<{ id: string; name: string; when?: string }>>;
    viewsWelcome: Array<{ view: string; contents: string; when?: string }>;
    configuration: { properties: Record<string, unknown> };
    walkthroughs: Array<{ id: string; steps: Array<{ id: string; description: string; media: { markdown?: string; image?: string } }> }>;
  };
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Pkg;
const commands = Object.values(Command) as string[];
const views = Object.values(View) as string[];
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

describe('extension: package.json contributions', () => {
  it('contributes exactly the declared commands', () => {
    assert.deepEqual(sorted(pkg.contributes.commands.map((c) => c.command)), sorted(commands));
  });

  it('activates on the language, the debug type and every command', () => {
    const ev = new Set(pkg.activationEvents);
    for (const e of ['onLanguage:gvt', 'onDebugResolve:gvt', 'onDebugDynamicConfigurations:gvt']) assert.ok(ev.has(e), e);
    for (const c of commands) assert.ok(ev.has(`onCommand:${c}`), c);
  });

  it('hides the commands that need a tree item from the palette', () => {
    const palette = pkg.contributes.menus.commandPalette;
    for (const c of INTERNAL_COMMANDS) assert.ok(palette.some((m) => m.command === c && m.when === 'false'), c);
  });

  it('puts Run, Debug and Run in Terminal on the editor title of .gvt files', () => {
    const run = pkg.contributes.menus['editor/title/run'];
    assert.deepEqual(run.map((m) => m.command), [Command.debugScenario, Command.runScenario, Command.runInTerminal]);
    const [debug, runIt, terminal] = run;
    assert.equal(debug.when, 'resourceLangId == gvt && (gvt.webHost || !virtualWorkspace)');
    assert.equal(runIt.when, debug.when);
    assert.equal(terminal.when, 'resourceLangId == gvt && !gvt.webHost && !virtualWorkspace');
  });

  it('shows the three views in Run and Debug while a gvt session is debugged', () => {
    assert.deepEqual(sorted(pkg.contributes.views.debug.map((v) => v.id)), sorted(views));
    for (const v of pkg.contributes.views.debug) assert.equal(v.when, ContextKey.debugging);
    assert.deepEqual(Object.keys(pkg.contributes.views), ['debug']);
  });

  it('the Page Track Table\'s context menu has the five row actions', () => {
    const ctx = pkg.contributes.menus['view/item/context'].filter((m) => m.when?.includes(`view == ${View.trackTable}`) && !m.group?.startsWith('inline'));
    assert.deepEqual(ctx.map((m) => m.command), [Command.breakOnGfn, Command.showGuestPage, Command.revealRegistration, Command.showHistory, Command.why]);
  });

  it('menus name only declared commands; when clauses only declared keys, views and item contexts', () => {
    const contexts = new Set<string>(Object.values(ContextKey));
    const items = new Set<string>(Object.values(ItemContext));
    const whens: string[] = [];
    for (const list of Object.values(pkg.contributes.menus)) {
      for (const m of list) {
        assert.ok(commands.includes(m.command), `menu command ${m.command}`);
        if (m.when) whens.push(m.when);
      }
    }
    for (const v of pkg.contributes.views.debug) if (v.when) whens.push(v.when);
    for (const w of pkg.contributes.viewsWelcome) if (w.when) whens.push(w.when);
    for (const when of whens) {
      for (const [, key] of when.matchAll(/(?<![\w.])(gvt\.[\w.]+)/g)) {
        assert.ok(contexts.has(key) || views.includes(key), `${key} in "${when}" is not a declared context key or view`);
      }
      for (const [, v] of when.matchAll(/\bview == ([\w.]+)/g)) assert.ok(views.includes(v), `view ${v}`);
      for (const [, i] of when.matchAll(/\bviewItem == (\w+)/g)) assert.ok(items.has(i), `viewItem ${i}`);
      for (const [, re] of when.matchAll(/\bviewItem =~ \/(.+?)\//g)) assert.ok([...items].some((i) => new RegExp(re).test(i)), `viewItem =~ /${re}/`);
    }
  });

  it('welcome content links only declared commands', () => {
    for (const w of pkg.contributes.viewsWelcome) {
      assert.ok(w.view === 'debug' || views.includes(w.view), w.view);
      for (const [, c] of w.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.includes(c), c);
    }
  });

  it('declares exactly the settings of ids.ts', () => {
    assert.deepEqual(sorted(Object.keys(pkg.contributes.configuration.properties)), sorted(Object.values(Setting)));
  });

  it('the walkthrough: its id, media that exist, links to declared commands or views', () => {
    const [w] = pkg.contributes.walkthroughs;
    assert.equal(w.id, WALKTHROUGH_ID);
    assert.ok(w.steps.length >= 3);
    for (const s of w.steps) {
      const media = s.media.markdown ?? s.media.image;
      assert.ok(media && existsSync(join(ROOT, media)), `${s.id}: ${media}`);
      for (const [, c] of s.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.includes(c) || views.some((v) => c === `${v}.focus`), `${s.id}: ${c}`);
      }
    }
    assert.ok(w.steps.some((s) => s.description.includes(`command:${Command.debugSample}`)), 'a step starts debugging');
  });

  it('the icon is a 128x128 PNG', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    const png = readFileSync(join(ROOT, pkg.icon));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });
});

// What package.json promises for Restricted Mode and virtual workspaces, checked against what the
// extension does: the only setting that names something to execute is restricted, and the commands
// that read a scenario from disk (debugging reads with node:fs, src/node/regularFile.ts) are hidden
// in virtual workspaces wherever they are offered.
describe('extension: workspace trust and virtual workspaces', () => {
  interface Capabilities {
    untrustedWorkspaces: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces: boolean | { supported: boolean | 'limited'; description?: string };
  }
  const full = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Pkg & { capabilities?: Capabilities };
  const DISK_COMMANDS: string[] = [Command.debugScenario, Command.runScenario, Command.runInTerminal];

  it('declares both capabilities with a description', () => {
    const caps = full.capabilities;
    assert.ok(caps, 'package.json declares capabilities');
    assert.equal(caps.untrustedWorkspaces.supported, 'limited');
    assert.ok(caps.untrustedWorkspaces.description);
    assert.equal(typeof caps.virtualWorkspaces, 'object');
    const virtual = caps.virtualWorkspaces as { supported: unknown; description?: string };
    assert.equal(virtual.supported, 'limited');
    assert.ok(virtual.description);
  });

  it('restricts exactly the settings that name a command line to run, and they exist', () => {
    const restricted = full.capabilities?.untrustedWorkspaces.restrictedConfigurations ?? [];
    assert.deepEqual(sorted(restricted), [Setting.terminalCommand]);
    for (const s of restricted) assert.ok(s in pkg.contributes.configuration.properties, `${s} is a declared setting`);
  });

  it('in the browser offers Debug and Run (they read through workspace.fs) and hides Run in Terminal, in every menu', () => {
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items) {
        if (item.command === Command.runInTerminal) assert.match(item.when ?? '', /!gvt\.webHost\b/, `${menu}: run in terminal`);
        if (item.command === Command.debugScenario || item.command === Command.runScenario) {
          assert.match(item.when ?? '', /\(gvt\.webHost \|\| !virtualWorkspace\)/, `${menu}: ${item.command}`);
        }
      }
    }
    assert.equal((pkg as { browser?: string }).browser, './dist/web/extension.js');
  });

  it('hides the commands that read scenarios from disk in virtual workspaces, in every menu', () => {
    let seen = 0;
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items.filter((i) => DISK_COMMANDS.includes(i.command))) {
        seen++;
        assert.match(item.when ?? '', /!virtualWorkspace\b/, `${menu}: ${item.command} is hidden in virtual workspaces`);
      }
    }
    assert.ok(seen >= DISK_COMMANDS.length, 'the disk commands are offered in menus');
  });
});
