// Config: every setting read defensively (settings.json can hold anything), and one table of what a change triggers.
import '../../support/vscode/register';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Config, effectsOf } from '../../../src/extension/config';
import { fake } from '../../support/vscode/fake';

const changed = (...sections: string[]) => ({
  affectsConfiguration: (s: string) => sections.some((c) => c === s || c.startsWith(`${s}.`)),
});

describe('effectsOf', () => {
  it('re-reads the runs for the settings that decide what a run is', () => {
    for (const key of ['exclude', 'aliases', 'countEmbeddingParameters', 'watch.debounceMs', 'watch.usePolling'])
      assert.equal(effectsOf(changed(`scalingLens.${key}`).affectsConfiguration).rescanRuns, true, key);
    assert.equal(effectsOf(changed('scalingLens.fit.bootstrap').affectsConfiguration).rescanRuns, false);
  });

  it('re-registers the hover only for its languages, and refreshes hovers on any of our settings', () => {
    const languages = effectsOf(changed('scalingLens.hover.languages').affectsConfiguration);
    assert.deepEqual(languages, { rescanRuns: false, reregisterHover: true, refreshHover: true });
    const artifact = effectsOf(changed('scalingLens.fitArtifact').affectsConfiguration);
    assert.deepEqual(artifact, { rescanRuns: false, reregisterHover: false, refreshHover: true });
  });

  it('has nothing to do for other extensions’ settings', () => {
    assert.deepEqual(effectsOf(changed('editor.fontSize').affectsConfiguration), {
      rescanRuns: false,
      reregisterHover: false,
      refreshHover: false,
    });
  });
});

describe('Config', () => {
  afterEach(() => {
    fake.reset();
  });

  it('falls back to the defaults for malformed values', () => {
    const config = new Config();
    fake.settings.set('scalingLens.exclude', 'not-a-list');
    fake.settings.set('scalingLens.aliases', { d_model: ['width', 3], bad: 'x' });
    fake.settings.set('scalingLens.fit.bootstrap', 'lots');
    fake.settings.set('scalingLens.watch.pollIntervalMs', 10);
    fake.settings.set('scalingLens.hover.languages', 'yaml');
    fake.settings.set('scalingLens.fitArtifact', '  fits/a.json ');
    fake.settings.set('scalingLens.countEmbeddingParameters', 'yes');
    assert.deepEqual(config.exclude(), []);
    assert.deepEqual(config.aliases(), { d_model: ['width'] });
    assert.equal(config.fitBootstrap(), 0);
    assert.equal(config.pollIntervalMs(), 250);
    assert.deepEqual(config.hoverLanguages(), ['yaml', 'json', 'jsonc', 'toml', 'python']);
    assert.equal(config.fitArtifact(), 'fits/a.json');
    assert.equal(config.countEmbeddings(), false);
    config.dispose();
  });

  it('reads the defaults when nothing is set', () => {
    const config = new Config();
    assert.equal(config.fitBootstrap(), 200);
    assert.equal(config.fitHoldout(), 0);
    assert.equal(config.autoRefit(), true);
    assert.equal(config.debounceMs(), 300);
    assert.equal(config.codeLensEnabled(), true);
    config.dispose();
  });

  it('fires one event per change of our settings, with its effects', () => {
    const config = new Config();
    const seen: unknown[] = [];
    config.onDidChange((e) => seen.push(e));
    fake.configurationChanged.fire(changed('editor.tabSize'));
    fake.configurationChanged.fire(changed('scalingLens.exclude'));
    assert.deepEqual(seen, [{ rescanRuns: true, reregisterHover: false, refreshHover: true }]);
    config.dispose();
    fake.configurationChanged.fire(changed('scalingLens.exclude'));
    assert.equal(seen.length, 1, 'a disposed Config listens no more');
  });
});
