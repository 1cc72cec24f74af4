"""The exercise checker `mnist_sgd.practice`: for every exercise, at least three right answers written differently pass,
at least three typical wrong answers get their own message (a function that ignores an argument, or reads the
lesson's global, among them), an endless loop gets a verdict within the time limit, and an untouched cell says "not
attempted". The cases a learner's trial found wrong are kept here by name. Imports only the package and pytest."""
import re, json, signal, threading, time
from pathlib import Path
import numpy as np, pytest, torch
import torch.nn.functional as F
from torch import nn, tensor
from mnist_sgd.practice import (LESSONS, RECIPE, Feedback, lesson1, lesson2, lesson3, lesson4, lesson5, lesson7, lesson8,
                                questionnaire, checker)
from mnist_sgd.baseline import mnist_distance
from mnist_sgd.linear import calc_grad, mnist_loss, batch_accuracy
from mnist_sgd.sgd import quadratic, mse

ALL = [(nb, n, q) for nb, l in LESSONS.items() for n, q in zip(l.numbers, l)]
TRAINS = {lesson3.q5, lesson4.q3, lesson4.q4, lesson5.q4}   # these checks train a model (a few seconds each)
_data = checker._data

def _t(): return _data()

# --- right answers, written differently -------------------------------------------------------------------------
def _step_zero_first(params, time, speed, lr):
    params.grad = None
    loss = mse(quadratic(time, params), speed); loss.backward()
    with torch.no_grad(): params -= lr * params.grad
    return loss
def _step_zero_(params, time, speed, lr):
    loss = ((quadratic(time, params) - speed)**2).mean(); loss.backward()
    params.data.sub_(lr * params.grad); params.grad.zero_()
    return loss.item()
def _epoch_none(model, dl, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        for p in params: p.data -= p.grad*lr; p.grad = None
def _epoch_no_grad(model, dl, lr, params):
    for xb, yb in dl:
        for p in params: p.grad = None
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params: p -= lr * p.grad
class _OptimNoGrad:
    def __init__(self, params, lr): self.params, self.lr = list(params), lr
    def step(self):
        with torch.no_grad():
            for p in self.params: p -= self.lr * p.grad
    def zero_grad(self):
        for p in self.params: p.grad.zero_()
class _OptimTuple:
    def __init__(self, params, lr): self.ps = tuple(params); self.lr = lr
    def step(self, *args):
        for p in self.ps: p.data.add_(p.grad, alpha=-self.lr)
    def zero_grad(self, set_to_none=True):
        for p in self.ps: p.grad = None
def _batch_zero_first(model, opt, loss_func, xb, yb):
    opt.zero_grad(); loss = loss_func(model(xb), yb); loss.backward(); opt.step(); return loss
def _batch_item(model, opt, loss_func, xb, yb):
    loss = loss_func(model(xb), yb); loss.backward(); opt.step(); opt.zero_grad(); return loss.item()
def _validate_stack(model, dl, metric):
    with torch.no_grad():
        vals = torch.stack([metric(model(xb), yb).float() * len(yb) for xb, yb in dl])
    return vals.sum() / sum(len(yb) for _, yb in dl)
def _validate_numpy(model, dl, metric):
    with torch.no_grad(): pairs = [(float(metric(model(xb), yb)), len(yb)) for xb, yb in dl]
    v, n = np.array(pairs).T
    return np.average(v, weights=n)

def _learner_fn(make_model, bs=64, epochs=3, lr=1., method='fit', twice=False):
    def train():
        import fastai.callback.progress, fastai.callback.schedule   # `no_bar`, `fit_one_cycle`
        from fastai.learner import Learner
        from fastai.optimizer import SGD
        from mnist_sgd.learner import mnist_dls
        learn = Learner(mnist_dls(bs=bs, shuffle=True), make_model(), opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
        with learn.no_bar(), learn.no_logging():
            getattr(learn, method)(epochs, lr)
            if twice: getattr(learn, method)(epochs, lr)
        return learn
    return train
_two = lambda: nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1))
_three = lambda: nn.Sequential(nn.Linear(784, 60), nn.ReLU(), nn.Linear(60, 20), nn.ReLU(), nn.Linear(20, 1))

def _recorded_acc():
    from fastai.torch_core import set_seed
    from mnist_sgd.core import quiet_fit
    from mnist_sgd.learner import linear_learner, mnist_dls
    set_seed(42, reproducible=True)
    return quiet_fit(linear_learner(mnist_dls(shuffle=True), lr=10), 'fit', 3)

RIGHT = {  # exercise -> answers written differently (callables of no argument build those that need the data)
    lesson1.q1: [lambda a, b: (a-b).abs().mean((-1,-2)), lambda a, b: torch.mean(torch.abs(a-b), dim=(-2, -1)),
                 lambda a, b: F.l1_loss(*torch.broadcast_tensors(a, b), reduction='none').mean((-1,-2)),
                 lambda a, b: (a-b).abs().flatten(-2).mean(-1)],
    lesson1.q2: [(1010, 2), [1010, 2], torch.Size([1010, 2])],
    lesson1.q3: [lambda x, m3, m7: mnist_distance(x, m3) < mnist_distance(x, m7),
                 lambda x, m3, m7: torch.where(mnist_distance(x, m3) < mnist_distance(x, m7), True, False),
                 lambda x, m3, m7: (mnist_distance(x, m7) - mnist_distance(x, m3)) > 0],
    lesson1.q4: ['solve', lambda v: torch.tensor(v), lambda v: np.float64(round(v, 4))],
    lesson2.q1: [lambda p, t: ((p-t)**2).mean(), lambda p, t: F.mse_loss(p, t), lambda p, t: ((p-t)*(p-t)).sum() / p.numel()],
    lesson2.q2: [[4, 8, 12], (4., 8., 12.), torch.tensor([4., 8., 12.])],
    lesson2.q3: ['solve', _step_zero_first, _step_zero_],
    lesson2.q4: [3e-5, 3.5e-5, torch.tensor(3e-5)],
    lesson3.q1: [lambda p, t: torch.where(t==1, 1-p.sigmoid(), p.sigmoid()).mean(),
                 lambda p, t: (t*(1-torch.sigmoid(p)) + (1-t)*torch.sigmoid(p)).mean(),
                 lambda p, t: torch.mean(torch.where(t.bool(), 1-p.sigmoid(), p.sigmoid()))],
    lesson3.q2: [lambda xb, yb: ((xb.sigmoid() > 0.5) == yb).float().mean(), lambda xb, yb: ((xb > 0) == yb).float().mean(),
                 lambda xb, yb: (xb.sigmoid().round() == yb).float().mean()],
    lesson3.q3: [(49, 108), [49, 108], (49., 108.)],
    lesson3.q4: ['solve', _epoch_none, _epoch_no_grad],
    lesson3.q5: [dict(std=0.01, shuffle=True), dict(lr=1., std=0.01, bs=128, shuffle=True, epochs=3), {'std': 0.001, 'shuffle': True, 'epochs': 2}],
    lesson4.q1: ['solve', _OptimNoGrad, _OptimTuple],
    lesson4.q2: [(1, 784), [1, 784], torch.Size([1, 784])],
    lesson4.q3: ['recorded', lambda v: torch.tensor(v), lambda v: round(v, 4)],
    lesson4.q4: ['solve', _learner_fn(lambda: nn.Linear(784, 1), bs=32, epochs=3), _learner_fn(lambda: nn.Linear(784, 1), method='fit_one_cycle', lr=2., bs=32)],
    lesson5.q1: ['solve', lambda xb, w1, b1, w2, b2: F.relu(xb@w1 + b1)@w2 + b2,
                 lambda xb, w1, b1, w2, b2: (xb@w1 + b1).clamp_min(0)@w2 + b2,
                 lambda xb, w1, b1, w2, b2: torch.where(xb@w1 + b1 > 0, xb@w1 + b1, 0.)@w2 + b2],
    lesson5.q2: [23581, 23581., torch.tensor(23581)],
    lesson5.q3: [lambda w1, b1, w2, b2: (w1@w2, b1@w2 + b2), lambda w1, b1, w2, b2: (w1@w2, (b1@w2 + b2).squeeze()),
                 lambda w1, b1, w2, b2: (w1@w2, (b1@w2 + b2).view(1, 1))],
    lesson5.q4: ['solve', _learner_fn(_three, epochs=5, lr=0.5), _learner_fn(_two, method='fit_one_cycle', epochs=5, lr=0.5, bs=32)],
    lesson7.q1: ['solve', _batch_zero_first, _batch_item],
    lesson7.q2: ['solve', _validate_stack, _validate_numpy],
    lesson8.q1: [lambda l, t: F.cross_entropy(l, t), lambda l, t: -F.log_softmax(l, 1)[range(len(t)), t].mean(),
                 lambda l, t: F.nll_loss(torch.log_softmax(l, -1), t)],
    lesson8.q2: [lambda x, m: mnist_distance(x.unsqueeze(1), m).argmin(-1), lambda x, m: torch.stack([mnist_distance(x, mi) for mi in m], 1).argmin(1),
                 lambda x, m: (x[:, None] - m[None]).abs().mean((-1, -2)).argmin(-1)],
    questionnaire.q4: [[2, 6, 10, 14], list(map(lambda o: 2*o, filter(lambda o: o % 2, range(1, 8)))), [o+o for o in [1, 2, 3, 4, 5, 6, 7] if o & 1]],
    questionnaire.q9: [(torch.arange(1, 10).view(3, 3)*2)[1:, 1:], (np.arange(1, 10).reshape(3, 3)*2)[1:, 1:], torch.tensor([[10., 12.], [16., 18.]])],
    questionnaire.q10: [(5, 4, 3), [5, 4, 3], torch.Size([5, 4, 3])],
    questionnaire.q18: [12, 12.0006, torch.tensor(12.)],
    questionnaire.q26: [lambda a, b: list(zip(a, b)), lambda a, b: [(x, y) for x, y in zip(a, b)], lambda a, b: [(a[i], b[i]) for i in range(min(len(a), len(b)))]],
    questionnaire.q34: [lambda x: x.clamp(min=0), F.relu, lambda x: torch.where(x > 0, x, torch.zeros_like(x)), lambda x: x.max(torch.tensor(0.))],
}

def _answer(q, a):
    if isinstance(a, str) and a == 'solve': return q.solve()
    if isinstance(a, str) and a == 'recorded': return _recorded_acc()
    if q is lesson1.q4 and callable(a): return a(lesson1._rmse_baseline()[2])
    if q is lesson4.q3 and callable(a): return a(_recorded_acc())
    return a

def test_every_exercise_has_three_right_answers():
    assert {q for _, _, q in ALL} == set(RIGHT)
    assert min(len(v) for v in RIGHT.values()) >= 3

FAST_RIGHT = [(q, i) for q, v in RIGHT.items() if q not in TRAINS for i in range(len(v))]
@pytest.mark.parametrize('q,i', FAST_RIGHT, ids=[f'{q.title[:30]}-{i}' for q, i in FAST_RIGHT])
def test_right_answers_pass(q, i):
    fb = q.check(_answer(q, RIGHT[q][i]), quiet=True)
    assert fb and fb.status == 'correct', fb

def test_right_answers_that_train_pass():
    "The four exercises whose check trains (a few seconds each)."
    for q in TRAINS:
        for a in RIGHT[q]:
            fb = q.check(_answer(q, a), quiet=True)
            assert fb, (q, fb)

# --- wrong answers, each with words its message must contain --------------------------------------------------------
def _no_zero_step(params, time, speed, lr):
    loss = mse(quadratic(time, params), speed); loss.backward()
    params.data -= lr * params.grad.data
    return loss.item()
def _uphill_step(params, time, speed, lr):
    loss = mse(quadratic(time, params), speed); loss.backward()
    params.data += lr * params.grad.data; params.grad = None
    return loss.item()
def _global_data_step(params, time, speed, lr):
    from mnist_sgd.practice.lesson2 import _roller_start
    t, s, _ = _roller_start()   # the lesson's `time` and `speed`, whatever is passed
    loss = mse(quadratic(t, params), s); loss.backward()
    params.data -= lr * params.grad.data; params.grad = None
    return loss.item()
def _global_lr_step(params, time, speed, lr):
    loss = mse(quadratic(time, params), speed); loss.backward()
    params.data -= 1e-5 * params.grad.data; params.grad = None
    return loss.item()
def _no_zero_epoch(model, dl, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        for p in params: p.data -= p.grad*lr
def _once_epoch(model, dl, lr, params):
    for xb, yb in dl: calc_grad(xb, yb, model)
    for p in params: p.data -= p.grad*lr; p.grad.zero_()
_GLOBAL_W = torch.zeros(784, 1, requires_grad=True)
def _global_params_epoch(model, dl, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        _GLOBAL_W.data -= lr * 0.   # the lesson's `weights`, not the params given
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
class _FixedLrOptim(_UphillOptim):
    def step(self):
        for p in self.params: p.data -= p.grad.data * 0.1
def _no_zero_batch(model, opt, loss_func, xb, yb):
    loss = loss_func(model(xb), yb); loss.backward(); opt.step(); return loss
def _no_step_batch(model, opt, loss_func, xb, yb):
    loss = loss_func(model(xb), yb); loss.backward(); return loss
def _mnist_loss_batch(model, opt, loss_func, xb, yb):
    loss = mnist_loss(model(xb), yb); loss.backward(); opt.step(); opt.zero_grad(); return loss
def _plain_mean_validate(model, dl, metric):
    with torch.no_grad(): return torch.stack([metric(model(xb), yb) for xb, yb in dl]).mean()
def _sum_validate(model, dl, metric):
    with torch.no_grad(): return sum(float(metric(model(xb), yb)) for xb, yb in dl)
def _accuracy_validate(model, dl, metric):
    with torch.no_grad(): return sum(float(batch_accuracy(model(xb), yb))*len(yb) for xb, yb in dl) / sum(len(yb) for _, yb in dl)
def _sm(lg): return torch.exp(lg) / torch.exp(lg).sum(1, keepdim=True)
_T = torch.tensor([3, 7, 0, 9, 1, 3])
_YB = torch.tensor([[0], [1], [1], [0], [1], [1], [1], [1], [1], [0]])   # the globals a learner's notebook holds: the check's own data
_Y3 = lesson3._logits_targets()[1]
torch.manual_seed(0); _T2 = (torch.randn(20)*10, torch.randn(20)*10)[1]
_W1 = lesson5._net_params()[1]

def _trained_learner():
    return _learner_fn(lambda: nn.Linear(784, 1), epochs=1)()
_PREBUILT = []
def _prebuilt():
    if not _PREBUILT: _PREBUILT.append(_learner_fn(lambda: nn.Linear(784, 1), epochs=1)())
    return _PREBUILT[0]
def _untrained():
    from fastai.learner import Learner
    from mnist_sgd.learner import mnist_dls
    return Learner(mnist_dls(), nn.Linear(784, 1), loss_func=mnist_loss)

WRONG = [  # (exercise, wrong answer, words the feedback must contain); a callable of no argument builds the answer
    (lesson1.q1, lambda a, b: (a-b).abs().mean(), 'one number for the whole stack'),
    (lesson1.q1, lambda a, b: (a-b).mean((-1, -2)), 'cancel'),
    (lesson1.q1, lambda a, b: ((a-b)**2).mean((-1, -2)).sqrt(), 'RMSE'),
    (lesson1.q1, lambda a, b: (a-b).abs().mean(0), 'averaged over the images (axis 0)'),
    (lesson1.q1, lambda a, b: (a - _t().mean3).abs().mean((-1, -2)), "whatever `b` is: use the argument, not the lesson's `mean3`"),
    (lesson1.q2, (2, 1010), 'from the right'),
    (lesson1.q2, (1010, 2, 28, 28), 'averages away the last two axes'),
    (lesson1.q2, (1010,), 'makes room'),
    (lesson1.q3, lambda x, m3, m7: mnist_distance(x, m3) > mnist_distance(x, m7), 'swapped'),
    (lesson1.q3, lambda x, m3, m7: mnist_distance(x, m3) - mnist_distance(x, m7), 'not a decision'),
    (lesson1.q3, lambda x, m3, m7: mnist_distance(x, _t().mean3) < mnist_distance(x, _t().mean7), 'whatever `mean3` is'),
    (lesson1.q3, lambda x, m3, m7: mnist_distance(x, m3) < mnist_distance(x, _t().mean7), 'whatever `mean7` is'),
    (lesson1.q4, 0.9511, 'L1 baseline'),
    (lesson1.q4, 96.6, 'percentage'),
    (lesson1.q4, 1.0, 'too high'),
    (lesson2.q1, lambda p, t: ((p-t)**2).mean().sqrt(), 'RMSE'),
    (lesson2.q1, lambda p, t: ((p-t)**2).sum(), 'summed'),
    (lesson2.q1, lambda p, t: (p-t).mean(), 'cancel'),
    (lesson2.q1, lambda p, t: ((p - _T2)**2).mean(), 'whatever `targets` is'),
    (lesson2.q2, [2., 4., 6.], '*adds*'),
    (lesson2.q2, [1, 4, 9], 'values of x²'),
    (lesson2.q2, [8, 16, 24], 'four times'),
    (lesson2.q3, _no_zero_step, 'never zeroed'),
    (lesson2.q3, _uphill_step, 'uphill'),
    (lesson2.q3, _global_data_step, "not the lesson's `time` and `speed`"),
    (lesson2.q3, _global_lr_step, "lesson's `lr`"),
    (lesson2.q4, 4e-5, 'blows up'),
    (lesson2.q4, 1e-5, 'not the largest'),
    (lesson2.q4, -1e-5, 'positive'),
    (lesson3.q1, lambda p, y: torch.where(y==1, 1-p, p).mean(), 'raw logits'),
    (lesson3.q1, lambda p, y: torch.where(y==1, 1-p.sigmoid(), p.sigmoid()), 'one loss per image'),
    (lesson3.q1, lambda p, y: torch.where(y==1, p.sigmoid(), 1-p.sigmoid()).mean(), 'swapped'),
    (lesson3.q1, lambda p, y: torch.where(y.squeeze()==1, 1-p.sigmoid(), p.sigmoid()).mean(), '(n, n) grid'),
    (lesson3.q1, lambda p, y: torch.where(_Y3==1, 1-p.sigmoid(), p.sigmoid()).mean(), 'whatever `targets` is'),
    (lesson3.q2, lambda xb, yb: ((xb > 0.5) == yb).float().mean(), 'threshold is 0'),
    (lesson3.q2, lambda xb, yb: ((xb.sigmoid() > 0) == yb).float().mean(), 'always above 0'),
    (lesson3.q2, lambda xb, yb: ((xb.sigmoid() > 0.5) == yb.squeeze()).float().mean(), '(n, n) grid'),
    (lesson3.q2, lambda xb, yb: ((xb > 0) == _YB).float().mean(), 'whatever `yb` is'),
    (lesson3.q3, (48, 108), 'drop_last'),
    (lesson3.q3, (49, 256), 'what is left'),
    (lesson3.q3, (8, 246), 'validation set'),
    (lesson3.q4, _no_zero_epoch, 'never zeroed'),
    (lesson3.q4, _once_epoch, 'one step per epoch'),
    (lesson3.q4, _global_params_epoch, "not the lesson's `weights` and `bias`"),
    (lesson3.q5, RECIPE, 'std 1'),
    (lesson3.q5, {**RECIPE, 'epochs': 21}, 'epochs must be 1, 2 or 3'),
    (lesson3.q5, dict(std=0.01, shuffle='False'), "even 'False', as true"),
    (lesson3.q5, dict(std=0.01, shuffle=True, bs=True), 'bs must be a whole number'),
    (lesson4.q1, _GenOptim, 'generator'),
    (lesson4.q1, _NoZeroOptim, 'gradients are still there'),
    (lesson4.q1, _UphillOptim, 'uphill'),
    (lesson4.q1, _FixedLrOptim, 'a learning rate of its own'),
    (lesson4.q2, (784, 1), 'one row per output'),
    (lesson4.q2, (784,), 'matrix'),
    (lesson4.q2, (1,), 'bias'),
    (lesson4.q3, 0.4956, 'unshuffled'),
    (lesson4.q3, 0.999, 'is not what this run gives'),
    (lesson4.q3, 1.0, 'is not what this run gives'),
    (lesson4.q3, 0.9, 'mnist_dls(shuffle=True)'),
    (lesson4.q4, 0.98, 'expected a function'),
    (lesson4.q4, _trained_learner, 'pass the function'),
    (lesson4.q4, _learner_fn(lambda: nn.Linear(784, 1), epochs=3, twice=True), 'fit(3) twice is 6'),
    (lesson4.q4, _learner_fn(_two, epochs=1), '785 parameters'),
    (lesson4.q4, lambda: (lambda: _untrained()), 'has not been trained'),
    (lesson4.q4, lambda: (_prebuilt(), lambda: _prebuilt())[1], 'made before it ran'),
    (lesson5.q1, lambda xb, w1, b1, w2, b2: (xb@w1 + b1)@w2 + b2, 'no ReLU'),
    (lesson5.q1, lambda xb, w1, b1, w2, b2: ((xb@w1 + b1).relu()@w2 + b2).relu(), 'never be below 0'),
    (lesson5.q1, lambda xb, w1, b1, w2, b2: (xb@w1 + b1).sigmoid()@w2 + b2, 'sigmoid'),
    (lesson5.q1, lambda xb, w1, b1, w2, b2: (xb@_W1 + b1).relu()@w2 + b2, 'whatever `w1` is'),
    (lesson5.q2, 23550, 'leaves out its biases (30) and its bias (1)'),
    (lesson5.q2, 784*30, 'leaves out'),
    (lesson5.q2, 23582, 'more than the net has'),
    (lesson5.q3, lambda w1, b1, w2, b2: (w1@w2, b2), 'not just `b2`'),
    (lesson5.q3, lambda w1, b1, w2, b2: w1@w2, 'return two things'),
    (lesson5.q3, lambda w1, b1, w2, b2: (_W1@w2, b1@w2 + b2), 'whatever `w1` is'),
    (lesson5.q3, lambda w1, b1, w2, b2: (w1@w2, b1*w2.T), 'one output needs one bias'),
    (lesson5.q4, _learner_fn(lambda: nn.Linear(784, 1), epochs=1), 'no ReLU'),
    (lesson5.q4, _learner_fn(_two, epochs=3, twice=True), 'the limit is 5'),
    (lesson5.q4, _learner_fn(lambda: nn.Sequential(nn.Linear(784, 30), nn.Sigmoid(), nn.Linear(30, 1)), epochs=1), "'Sigmoid'"),
    (lesson5.q4, _trained_learner, 'pass the function'),
    (lesson7.q1, _no_zero_batch, 'pile up'),
    (lesson7.q1, _no_step_batch, 'opt.step()'),
    (lesson7.q1, _mnist_loss_batch, 'the `loss_func` argument'),
    (lesson7.q2, _plain_mean_validate, 'plain mean'),
    (lesson7.q2, _sum_validate, 'sum of the batch values'),
    (lesson7.q2, _accuracy_validate, 'call the `metric` argument'),
    (lesson8.q1, lambda lg, t: _sm(lg)[range(len(t)), t].log().mean(), '*minus*'),
    (lesson8.q1, lambda lg, t: -_sm(lg)[:, t].log().mean(), 'sm[range(n), targs]'),
    (lesson8.q1, lambda lg, t: -(torch.exp(lg) / torch.exp(lg).sum(0, keepdim=True))[range(len(t)), t].log().mean(), 'axis 0'),
    (lesson8.q1, lambda lg, t: -_sm(lg)[range(len(t)), _T[:len(t)]].log().mean(), 'whatever `targs` is'),
    (lesson8.q2, lambda x, m: mnist_distance(x.unsqueeze(1), m).argmax(-1), 'farthest'),
    (lesson8.q2, lambda x, m: mnist_distance(x, m).argmin(-1), 'must match the size'),
    (lesson8.q2, lambda x, m: mnist_distance(x.unsqueeze(1), torch.cat([_t().train3[:5], _t().train7[:5]])).argmin(-1), 'whatever `means` is'),
    (questionnaire.q4, [2, 4, 6, 8, 10, 12, 14], 'doubled every number'),
    (questionnaire.q4, [1, 3, 5, 7], 'did not double'),
    (questionnaire.q4, [4, 8, 12], '*even*'),
    (questionnaire.q9, torch.arange(1, 10).view(3, 3)[1:, 1:], 'not doubled'),
    (questionnaire.q9, (torch.arange(1, 10).view(3, 3)*2)[:2, :2], 'top-left'),
    (questionnaire.q9, np.arange(1, 10).reshape(3, 3)*2, 'whole doubled tensor'),
    (questionnaire.q10, (5, 1, 3), 'stretches'),
    (questionnaire.q10, (4, 5, 3), '*right*'),
    (questionnaire.q10, (5, 4, 1), 'larger size'),
    (questionnaire.q18, 8, 'value of x³'),
    (questionnaire.q18, 4, 'slope of x²'),
    (questionnaire.q18, 13, 'not it'),
    (questionnaire.q26, lambda a, b: zip(a, b), 'lazy iterator'),
    (questionnaire.q26, lambda a, b: [[x, y] for x, y in zip(a, b)], 'tuple'),
    (questionnaire.q26, lambda a, b: [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')], "pairs(['x', 'y']"),
    (questionnaire.q34, lambda x: x.abs(), 'absolute value'),
    (questionnaire.q34, lambda x: x.clamp(max=0), 'zeroed the positives'),
    (questionnaire.q34, lambda x: x.sigmoid(), 'sigmoid'),
]
_BUILT = {lesson4.q4: {_trained_learner}, lesson5.q4: {_trained_learner}}   # answers built before the check

def test_every_exercise_has_three_wrong_answers():
    counts = {q: 0 for _, _, q in ALL}
    for q, _, _ in WRONG: counts[q] += 1
    assert min(counts.values()) >= 3, [q.title for q, n in counts.items() if n < 3]

@pytest.mark.parametrize('q,answer,words', WRONG, ids=[f'{q.title[:30]}-{w[:24]}' for q, a, w in WRONG])
def test_wrong_answer_named(q, answer, words):
    if answer in _BUILT.get(q, ()) or (q in (lesson4.q4,) and getattr(answer, '__name__', '') == '<lambda>'):
        answer = answer()
    fb = q.check(answer, quiet=True)
    assert not fb and fb.status in ('incorrect', 'error'), fb
    assert words in fb.message, fb

# --- every check ends --------------------------------------------------------------------------------------------
def _forever(*args, **kwargs):
    while True:
        try: pass
        except Exception: pass   # a learner's `except Exception` does not swallow the time limit
class _ForeverOptim:
    def __init__(self, params, lr): self.params = list(params)
    def step(self): _forever()
    def zero_grad(self): pass
FUNCTIONS = [(nb, n, q) for nb, n, q in ALL if any(callable(a) and not isinstance(a, type) for a in RIGHT[q][:1])
             or q in (lesson2.q3, lesson3.q4, lesson4.q4, lesson5.q1, lesson5.q4, lesson7.q1, lesson7.q2)]

@pytest.mark.parametrize('nb,n,q', FUNCTIONS + [('04_learner', 1, lesson4.q1)], ids=[f'{nb}-q{n}' for nb, n, q in FUNCTIONS] + ['04_learner-q1'])
def test_endless_loop_stops(nb, n, q, monkeypatch):
    monkeypatch.setattr(q, 'limit', 0.5)
    t0 = time.perf_counter()
    fb = q.check(_ForeverOptim if q is lesson4.q1 else _forever, quiet=True)
    assert time.perf_counter() - t0 < 5
    assert fb.status == 'error' and 'ran for more than 0.5 s' in fb.message, fb
    monkeypatch.undo()   # the kernel is fine: the next check runs as ever
    assert q.check(q.solve() if q not in TRAINS else ..., quiet=True).status in ('correct', 'not attempted')

def test_the_default_limit_is_stated():
    assert checker.TIME_LIMIT == 10 and checker.TRAIN_LIMIT == 120
    assert all(q.limit == checker.TRAIN_LIMIT for q in TRAINS)

def test_ctrl_c_still_stops_a_check():
    def interrupt(): time.sleep(0.3); signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=interrupt).start()
        with pytest.raises(KeyboardInterrupt): lesson1.q1.check(_forever, quiet=True)
    finally: signal.signal(signal.SIGINT, old)

def test_no_limit_off_the_main_thread(capsys):
    "In another thread no alarm can stop the code: the check says so once and runs it as it is."
    out = []
    checker._said.discard('no limit')
    th = threading.Thread(target=lambda: out.append(lesson1.q2.check((1010, 2), quiet=True)))
    th.start(); th.join()
    assert out[0] and 'without a time limit' in capsys.readouterr().out

# --- untouched, printing, errors ----------------------------------------------------------------------------------
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

def test_checks_leave_the_random_state_alone():
    torch.manual_seed(123); a = torch.rand(3)
    torch.manual_seed(123); lesson2.q3.check(lesson2.q3.solve(), quiet=True); b = torch.rand(3)
    assert torch.equal(a, b)

def test_no_module_over_400_lines():
    import mnist_sgd.practice as p
    sizes = {f.name: len(f.read_text().splitlines()) for f in Path(p.__file__).parent.glob('*.py')}
    assert len(sizes) == 10 and max(sizes.values()) <= 400, sizes
