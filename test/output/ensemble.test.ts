import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { combineModels, ModelScores, sigmoid } from '../../src/output/ensemble.js';

/** Float32 output: absolute tolerance for values in [0, 1]. */
const TOL = 1e-6;

function assertClose(actual: ArrayLike<number>, expected: number[]): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= TOL, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('sigmoid gives 1/2, 3/4 and 1/4 at 0, ln 3 and -ln 3', () => {
  assert.equal(sigmoid(0), 0.5);
  assert.ok(Math.abs(sigmoid(Math.log(3)) - 0.75) < 1e-15);
  assert.ok(Math.abs(sigmoid(-Math.log(3)) - 0.25) < 1e-15);
});

test('sigmoid stays finite and exact at the extremes of large |x|', () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  // exp(-700) is about 9.9e-305: a naive 1 / (1 + exp(700)) still works here, but the
  // stable form must also keep the tiny value, not round it to zero.
  assert.ok(Math.abs(sigmoid(-700) / Math.exp(-700) - 1) < 1e-12);
});

// Output labels [x, y]. Model A (probabilities, weight 1) has labels [y, x]; model B (logits,
// weight 3) has labels [x, z, y]. Two windows.
function twoModels(): ModelScores[] {
  return [
    { name: 'A', kind: 'probabilities', weight: 1, columnIndex: [1, 0], probs: new Float32Array([0.2, 0.6, 1.0, 0.0]) },
    {
      name: 'B',
      kind: 'logits',
      weight: 3,
      columnIndex: [0, 2],
      probs: new Float32Array([Math.log(3), 5, -Math.log(3), 0, -5, Math.log(9)]),
    },
  ];
}

test('the weighted mean combines aligned columns of a probability model and a logit model', () => {
  // B's sigmoids: window 0 x=0.75 y=0.25; window 1 x=0.5 y=0.9.
  // window 0: x = (0.6 + 3*0.75)/4 = 0.7125, y = (0.2 + 3*0.25)/4 = 0.2375
  // window 1: x = (0.0 + 3*0.5)/4 = 0.375,  y = (1.0 + 3*0.9)/4 = 0.925
  assertClose(combineModels(twoModels(), 2, 2, 'mean'), [0.7125, 0.2375, 0.375, 0.925]);
});

test('the weighted geometric mean floors a zero at 1e-7 and stays finite', () => {
  // window 1 x: model A says 0, floored to 1e-7: (1e-7 * 0.5^3)^(1/4) = (1.25e-8)^(1/4).
  const expected = [(0.6 * 0.75 ** 3) ** 0.25, (0.2 * 0.25 ** 3) ** 0.25, 1.25e-8 ** 0.25, (1.0 * 0.9 ** 3) ** 0.25];
  assertClose(combineModels(twoModels(), 2, 2, 'geometric'), expected);
});

test('logits of ±1000 give finite probabilities in either mode', () => {
  const model: ModelScores = { kind: 'logits', weight: 1, columnIndex: [0, 1], probs: new Float32Array([1000, -1000]) };
  const mean = combineModels([model], 1, 2, 'mean');
  assert.deepEqual(Array.from(mean), [1, 0]);
  const geometric = combineModels([model], 1, 2, 'geometric');
  assert.equal(geometric[0], 1);
  assert.ok(Math.abs(geometric[1] - 1e-7) < 1e-12, `floored value ${geometric[1]}`);
});

test('a NaN from one model is an E_INFERENCE error naming that model', () => {
  const models = twoModels();
  models[1].name = 'student_b0_a';
  models[1].probs[5] = NaN;
  assert.throws(
    () => combineModels(models, 2, 2, 'mean'),
    (err: unknown) =>
      err instanceof AviaryError && err.code === 'E_INFERENCE' && /model "student_b0_a" gave a non-finite score \(NaN\) at window 1/.test(err.message),
  );
});

test('a weight that is not positive is refused with the model and the rule', () => {
  const models = twoModels();
  models[0].weight = 0;
  assert.throws(() => combineModels(models, 2, 2, 'mean'), /model "A" has weight 0; a weight must be a finite number > 0/);
});
