import { test } from 'node:test';
import assert from 'node:assert/strict';
test('x', () => { assert.equal(1, 1); });
