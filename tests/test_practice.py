"""The exercise checker `mnist_sgd.practice`: every solution passes its own check, typical wrong answers get their own
message, and an untouched exercise says "not attempted" without raising. Imports only the package and pytest."""
import pytest, torch
import torch.nn.functional as F
from torch import nn, tensor
from mnist_sgd.practice import LESSONS, RECIPE, Feedback, lesson1, lesson2, lesson3, lesson4, lesson5, lesson7, lesson8, questionnaire
from mnist_sgd.baseline import mnist_distance
from mnist_sgd.linear import calc_grad

ALL = [(nb, n, q) for nb, l in LESSONS.items() for n, q in zip(l.numbers, l)]
FAST = [(nb, n, q) for nb, n, q in ALL if (nb, n) not in {('04_learner', 4), ('05_deeper', 4)}]  # those two train a Learner

@pytest.mark.parametrize('nb,n,q', FAST, ids=[f'{nb}-q{n}' for nb, n, q in FAST])
def test_solution_passes(nb, n, q):
    fb = q.check(q.solve(), quiet=True)
    assert fb and fb.status == 'correct', fb

def test_learner_solutions_pass():
    "The two beat-a-number exercises on a `Learner` (about a second of training each)."
    for q in (lesson4.q4, lesson5.q4):
        fb = q.check(q.solve(), quiet=True)
        assert fb, fb

@pytest.mark.parametrize('nb,n,q', ALL, ids=[f'{nb}-q{n}' for nb, n, q in ALL])
def test_not_attempted(nb, n, q):
    "`...`, and a function or class whose body is `...`, are not attempted: no exception, a falsy verdict."
    def stub(*args): ...
    class Stub: ...
    for answer in (..., stub, Stub):
        fb = q.check(answer, quiet=True)
        assert fb.status == 'not attempted' and not fb, fb

def test_check_prints_once(capsys):
    fb = lesson1.q1.check(...)
    assert capsys.readouterr().out.startswith('✏️ Not attempted yet')
    assert isinstance(fb, Feedback) and lesson1.q1.check(..., quiet=True).message == fb.message
    assert capsys.readouterr().out == ''

def test_errors_are_reported_not_raised():
    def mnist_distance_(a, b): return (a-b).abs().mean((-1, -3, -2, -4))
    fb = lesson1.q1.check(mnist_distance_, quiet=True)
    assert fb.status == 'error' and 'IndexError' in fb.message
    fb = lesson3.q2.check(lambda xb, yb: ((xb.sigmoid() > 0.5) == yb).mean(), quiet=True)
    assert fb.status == 'error' and 'RuntimeError' in fb.message and '.float().mean()' in fb.message

def test_hint_and_solution_print(capsys):
    lesson2.q3.hint(); lesson2.q3.solution()
    out = capsys.readouterr().out
    assert 'Hint' in out and 'params.grad = None' in out

# A learner's typical wrong answers, each with words its feedback must contain.
def _no_zero_step(params, time, speed, lr):
    from mnist_sgd.sgd import quadratic, mse
    loss = mse(quadratic(time, params), speed); loss.backward()
    params.data -= lr * params.grad.data
    return loss.item()
def _uphill_step(params, time, speed, lr):
    from mnist_sgd.sgd import quadratic, mse
    loss = mse(quadratic(time, params), speed); loss.backward()
    params.data += lr * params.grad.data; params.grad = None
    return loss.item()
def _no_zero_epoch(model, dl, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        for p in params: p.data -= p.grad*lr
def _once_epoch(model, dl, lr, params):
    for xb, yb in dl: calc_grad(xb, yb, model)
    for p in params: p.data -= p.grad*lr; p.grad.zero_()
class _GenOptim:
    def __init__(self, params, lr): self.params, self.lr = params, lr
    def step(self):
        for p in self.params: p.data -= p.grad.data * self.lr
    def zero_grad(self):
        for p in self.params: p.grad = None
class _NoZeroOptim(_GenOptim):
    def __init__(self, params, lr): self.params, self.lr = list(params), lr
    def zero_grad(self): pass
class _UphillOptim(_NoZeroOptim):
    def step(self):
        for p in self.params: p.data += p.grad.data * self.lr
    def zero_grad(self):
        for p in self.params: p.grad = None
def _no_zero_batch(model, opt, loss_func, xb, yb):
    loss = loss_func(model(xb), yb); loss.backward(); opt.step(); return loss
def _no_step_batch(model, opt, loss_func, xb, yb):
    loss = loss_func(model(xb), yb); loss.backward(); return loss
def _plain_mean_validate(model, dl, metric):
    with torch.no_grad(): return torch.stack([metric(model(xb), yb) for xb, yb in dl]).mean()
def _sum_validate(model, dl, metric):
    with torch.no_grad(): return sum(float(metric(model(xb), yb)) for xb, yb in dl)

def _sm(lg): return torch.exp(lg) / torch.exp(lg).sum(1, keepdim=True)

WRONG = [  # (exercise, wrong answer, words the feedback must contain)
    (lesson1.q1, lambda a, b: (a-b).abs().mean(), 'one number for the whole stack'),
    (lesson1.q1, lambda a, b: (a-b).mean((-1, -2)), 'cancel'),
    (lesson1.q1, lambda a, b: ((a-b)**2).mean((-1, -2)).sqrt(), 'RMSE'),
    (lesson1.q1, lambda a, b: (a-b).abs().mean(0), 'averaged over the images (axis 0)'),
    (lesson1.q2, (2, 1010), 'from the right'),
    (lesson1.q2, (1010, 2, 28, 28), 'averages away the last two axes'),
    (lesson1.q3, lambda x, m3, m7: mnist_distance(x, m3) > mnist_distance(x, m7), 'swapped'),
    (lesson1.q3, lambda x, m3, m7: mnist_distance(x, m3) - mnist_distance(x, m7), 'not a decision'),
    (lesson1.q4, 0.9511, "L1 baseline"),
    (lesson1.q4, 96.6, 'percentage'),
    (lesson2.q1, lambda p, t: ((p-t)**2).mean().sqrt(), 'RMSE'),
    (lesson2.q1, lambda p, t: ((p-t)**2).sum(), 'summed'),
    (lesson2.q1, lambda p, t: (p-t).mean(), 'cancel'),
    (lesson2.q2, [2., 4., 6.], '*adds*'),
    (lesson2.q2, [1, 4, 9], 'values of x²'),
    (lesson2.q3, _no_zero_step, 'gradient was never zeroed'),
    (lesson2.q3, _uphill_step, 'uphill'),
    (lesson2.q4, 4e-5, 'blows up'),
    (lesson2.q4, 1e-5, 'not the largest'),
    (lesson3.q1, lambda p, y: torch.where(y==1, 1-p, p).mean(), 'raw logits'),
    (lesson3.q1, lambda p, y: torch.where(y==1, 1-p.sigmoid(), p.sigmoid()), 'one loss per image'),
    (lesson3.q1, lambda p, y: torch.where(y==1, p.sigmoid(), 1-p.sigmoid()).mean(), 'swapped'),
    (lesson3.q2, lambda xb, yb: ((xb > 0.5) == yb).float().mean(), 'threshold is 0'),
    (lesson3.q2, lambda xb, yb: ((xb.sigmoid() > 0) == yb).float().mean(), 'always above 0'),
    (lesson3.q3, (48, 108), 'drop_last'),
    (lesson3.q3, (49, 256), 'what is left'),
    (lesson3.q4, _no_zero_epoch, 'never zeroed'),
    (lesson3.q4, _once_epoch, 'one step per epoch'),
    (lesson3.q5, RECIPE, 'std 1'),
    (lesson3.q5, {**RECIPE, 'epochs': 21}, 'epochs must be 1, 2 or 3'),
    (lesson4.q1, _GenOptim, 'generator'),
    (lesson4.q1, _NoZeroOptim, 'gradients are still there'),
    (lesson4.q1, _UphillOptim, 'uphill'),
    (lesson4.q2, (784, 1), 'one row per output'),
    (lesson4.q2, (784,), 'matrix'),
    (lesson4.q3, 0.4956, 'unshuffled'),
    (lesson4.q3, 0.9, 'shuffle=True'),
    (lesson4.q4, 0.98, 'expected a fastai `Learner`'),
    (lesson5.q1, lambda xb, w1, b1, w2, b2: (xb@w1 + b1)@w2 + b2, 'no ReLU'),
    (lesson5.q1, lambda xb, w1, b1, w2, b2: ((xb@w1 + b1).relu()@w2 + b2).relu(), 'never be below 0'),
    (lesson5.q2, 23550, 'leaves out its biases (30) and its bias (1)'),
    (lesson5.q2, 784*30, "leaves out"),
    (lesson5.q3, lambda w1, b1, w2, b2: (w1@w2, b2), 'not just `b2`'),
    (lesson5.q3, lambda w1, b1, w2, b2: w1@w2, 'return two things'),
    (lesson5.q4, nn.Linear(784, 1), 'expected a fastai `Learner`'),
    (lesson7.q1, _no_zero_batch, 'still there'),
    (lesson7.q1, _no_step_batch, 'opt.step()'),
    (lesson7.q2, _plain_mean_validate, 'plain mean'),
    (lesson7.q2, _sum_validate, 'sum of the batch accuracies'),
    (lesson8.q1, lambda lg, t: _sm(lg)[range(len(t)), t].log().mean(), '*minus*'),
    (lesson8.q1, lambda lg, t: -_sm(lg)[:, t].log().mean(), 'sm[range(n), targs]'),
    (lesson8.q1, lambda lg, t: -(torch.exp(lg) / torch.exp(lg).sum(0, keepdim=True))[range(len(t)), t].log().mean(), 'axis 0'),
    (lesson8.q2, lambda x, m: mnist_distance(x.unsqueeze(1), m).argmax(-1), 'farthest'),
    (lesson8.q2, lambda x, m: mnist_distance(x, m).argmin(-1), 'must match the size'),
    (questionnaire.q4, [2, 4, 6, 8, 10, 12, 14], 'doubled every number'),
    (questionnaire.q4, [1, 3, 5, 7], 'did not double'),
    (questionnaire.q9, torch.arange(1, 10).view(3, 3)[1:, 1:], 'not doubled'),
    (questionnaire.q9, (torch.arange(1, 10).view(3, 3)*2)[:2, :2], 'top-left'),
    (questionnaire.q10, (5, 1, 3), 'stretches'),
    (questionnaire.q10, (4, 5, 3), '*right*'),
    (questionnaire.q18, 8, 'value of x³'),
    (questionnaire.q18, 4, 'slope of x²'),
    (questionnaire.q26, lambda a, b: zip(a, b), 'lazy iterator'),
    (questionnaire.q26, lambda a, b: [[x, y] for x, y in zip(a, b)], 'tuple'),
    (questionnaire.q34, lambda x: x.abs(), 'absolute value'),
    (questionnaire.q34, lambda x: x.clamp(max=0), 'zeroed the positives'),
]

@pytest.mark.parametrize('q,answer,words', WRONG, ids=[f'{q.title[:30]}-{w[:20]}' for q, a, w in WRONG])
def test_wrong_answer_named(q, answer, words):
    fb = q.check(answer, quiet=True)
    assert not fb and fb.status in ('incorrect', 'error'), fb
    assert words in fb.message, fb

def _untrained(model):
    from fastai.learner import Learner
    from fastai.optimizer import SGD
    from mnist_sgd.learner import mnist_dls
    from mnist_sgd.linear import mnist_loss
    return Learner(mnist_dls(), model, opt_func=SGD, loss_func=mnist_loss)

LEARNER_WRONG = [  # (exercise, model of an untrained Learner, words)
    (lesson4.q4, lambda: nn.Linear(784, 1), 'not been trained'),
    (lesson4.q4, lambda: nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1)), '785 parameters'),
    (lesson5.q4, lambda: nn.Linear(784, 1), 'no ReLU'),
    (lesson5.q4, lambda: nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1)), 'not been trained'),
]

def test_learner_wrong_answers_named():
    for q, model, words in LEARNER_WRONG:
        fb = q.check(_untrained(model()), quiet=True)
        assert not fb and words in fb.message, fb

def test_every_exercise_has_two_wrong_answers():
    counts = {id(q): 0 for _, _, q in ALL}
    for q, _, _ in WRONG + LEARNER_WRONG: counts[id(q)] += 1
    assert min(counts.values()) >= 2, [q.title for _, _, q in ALL if counts[id(q)] < 2]

def test_checks_leave_the_random_state_alone():
    torch.manual_seed(123); a = torch.rand(3)
    torch.manual_seed(123); lesson2.q3.check(lesson2.q3.solve(), quiet=True); b = torch.rand(3)
    assert torch.equal(a, b)
