// The launch configuration's `limits` as package.json offers it (IntelliSense in launch.json) is
// what the adapter accepts: the same names, and defaults that are the real ones.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RUN_LIMITS, MAX_SCENARIO_BYTES, RUN_LIMIT_NAMES, parseRunLimits } from '../../src/dsl/limits';
import { DEFAULT_HISTORY_MIB } from '../../src/debug/timeline';

const ROOT = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const limits = pkg.contributes.debuggers[0].configurationAttributes.launch.properties.limits;

describe('launch configuration schema: limits', () => {
  it('offers every run limit and the two readers\' limits, nothing else', () => {
    assert.deepEqual(Object.keys(limits.properties).sort(), [...RUN_LIMIT_NAMES, 'fileBytes', 'historyMiB'].sort());
    assert.equal(limits.additionalProperties, false);
  });

  it('shows the defaults the adapter uses', () => {
    for (const name of RUN_LIMIT_NAMES) assert.equal(limits.properties[name].default, DEFAULT_RUN_LIMITS[name], name);
    assert.equal(limits.properties.fileBytes.default, MAX_SCENARIO_BYTES);
    assert.equal(limits.properties.historyMiB.default, DEFAULT_HISTORY_MIB);
  });

  it('its defaults, as a launch would send them, are accepted', () => {
    const given = Object.fromEntries(Object.entries(limits.properties as Record<string, { default: number }>).map(([k, v]) => [k, v.default]));
    assert.deepEqual(parseRunLimits(given), DEFAULT_RUN_LIMITS);
  });
});
