// The extension cannot load the language's limits at activation, so it keeps its own copy of the
// scenario size limit: the two must not drift apart.
import * as assert from 'node:assert/strict';
import { MAX_SCENARIO_BYTES } from '../../src/dsl/limits';
import { SCENARIO_MAX_BYTES } from '../../src/extension/common/launchConfig';

describe('package: one scenario size limit', () => {
  it("the extension reads scenarios within the adapter's default size limit", () => {
    assert.equal(SCENARIO_MAX_BYTES, MAX_SCENARIO_BYTES);
  });
});
