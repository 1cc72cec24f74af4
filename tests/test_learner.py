"What 04_learner does not cover itself: its errors, other seeds, other batch sizes and learning rates."
import pytest, torch
from torch import nn
from fastai.optimizer import SGD
from fastai.torch_core import set_seed
from mnist_sgd.core import quiet_fit
from mnist_sgd.data import mnist_sample_tensors
from mnist_sgd.linear import mnist_loss, batch_accuracy, calc_grad
from mnist_sgd.learner import BasicOptim, train_model, mnist_dls, linear_learner

ALL_3S = 1010/2038  # accuracy of a model that calls every validation image a 3

@pytest.fixture(scope='module')
def t(): return mnist_sample_tensors()

@pytest.fixture(scope='module')
def dls(t): return mnist_dls(t=t)

def fit_accs(learn, epochs):
    "Fit quietly and return the accuracy after each epoch."
    quiet_fit(learn, 'fit', epochs)
    return [v[2] for v in learn.recorder.values]

def run(dls, opt_func, seed, epochs=20):
    set_seed(seed, reproducible=True)
    model = nn.Linear(28*28, 1)
    return train_model(model, epochs, dls.train, dls.valid, opt_func(model.parameters(), 1.)), model

@pytest.mark.parametrize('seed', [0, 1])  # the lesson runs seed 42, 20 epochs, and checks its number's floor
def test_basic_optim_matches_fastai_sgd(dls, seed):
    "An equality: two epochs prove it as well as twenty."
    accs, m1 = run(dls, BasicOptim, seed, epochs=2)
    accs2, m2 = run(dls, SGD, seed, epochs=2)
    assert accs2 == accs  # epoch by epoch, to the last digit
    for p, q in zip(m1.parameters(), m2.parameters()): assert torch.equal(p, q)

def test_linear_learner_fit(dls, seed=42):
    "A floor, on the lesson's own seed."
    set_seed(seed, reproducible=True)
    assert fit_accs(linear_learner(dls), 10)[-1] >= 0.96  # the book: 0.9676

@pytest.mark.parametrize('seed', [0, 1])
def test_lr10_freezes_in_book_order(dls, seed):
    set_seed(seed, reproducible=True)
    assert fit_accs(linear_learner(dls, lr=10), 2) == pytest.approx([ALL_3S]*2, abs=1e-6)  # the Korean write-up: 0.4956

def test_lr10_learns_when_shuffled(t, seed=42):
    set_seed(seed, reproducible=True)
    assert fit_accs(linear_learner(mnist_dls(t=t, shuffle=True), lr=10), 3)[-1] >= 0.95

def test_linear_learner_defaults():
    learn = linear_learner()
    assert (len(learn.dls.train), len(learn.dls.valid)) == (49, 8)
    assert (learn.lr, learn.opt_func, learn.loss_func) == (1.0, SGD, mnist_loss)
    assert isinstance(learn.model, nn.Linear) and (learn.model.in_features, learn.model.out_features) == (784, 1)

def test_mnist_dls_other_batch_size(t):
    dls = mnist_dls(bs=100, t=t, num_workers=0)
    xb, yb = dls.one_batch()
    assert (xb.shape, yb.shape) == ((100, 784), (100, 1))
    assert (len(dls.train), len(dls.valid)) == (124, 21)
    assert yb.dtype == torch.int64 and yb.flatten().tolist() == [1]*100

@pytest.mark.parametrize('bs', [0, -1, 2.5, None, '256', True])
def test_mnist_dls_bad_batch_size(t, bs):
    with pytest.raises(ValueError, match=rf'bs must be a whole number of images per batch, at least 1, got {bs!r}'.replace('(', r'\(').replace(')', r'\)')):
        mnist_dls(bs=bs, t=t)

def test_basic_optim_step_at_another_lr(dls):
    m = nn.Linear(28*28, 1)
    opt = BasicOptim(m.parameters(), 0.5)
    xb, yb = dls.one_batch()
    calc_grad(xb, yb, m)
    before, g = m.weight.detach().clone(), m.weight.grad.clone()
    opt.step()
    assert torch.allclose(m.weight, before - 0.5*g)
    opt.zero_grad()
    assert m.weight.grad is None and m.bias.grad is None

def test_basic_optim_errors():
    m = nn.Linear(3, 1)
    with pytest.raises(ValueError, match='got no parameters'): BasicOptim([], 1.)
    gen = m.parameters()
    BasicOptim(gen, 1.)
    with pytest.raises(ValueError, match='got no parameters.*read only once'): BasicOptim(gen, 1.)
    with pytest.raises(ValueError, match=r'parameter 1 .*requires_grad=False'): BasicOptim([m.weight, torch.zeros(1)], 1.)
    with pytest.raises(ValueError, match='parameter 0 must be a tensor.*got float'): BasicOptim([1.0], 1.)
    opt = BasicOptim(m.parameters(), 1.)
    with pytest.raises(RuntimeError, match=r'parameter 0 \(1, 3\) has no gradient.*backward'): opt.step()
    m(torch.ones(2, 3)).sum().backward()
    m.bias.grad = None
    w = m.weight.detach().clone()
    with pytest.raises(RuntimeError, match=r'parameter 1 \(1,\) has no gradient'): opt.step()
    assert torch.equal(m.weight, w)  # checked before any parameter moves

@pytest.mark.parametrize('lr, shown', [('1.0', r"'1\.0' \(str\)"), (None, r'None \(NoneType\)'), (True, r'True \(bool\)'),
                                       ([0.1], r'\[0\.1\] \(list\)'), (torch.ones(2), r'\(Tensor\)')])
def test_basic_optim_lr_must_be_a_number(lr, shown):
    m = nn.Linear(3, 1)
    with pytest.raises(TypeError, match=rf'BasicOptim expects a learning rate that is a number, e.g. 1.0, got .*{shown}: pass it as a float'):
        BasicOptim(m.parameters(), lr)

@pytest.mark.parametrize('lr', [1, 0.1, torch.tensor(0.5), torch.tensor([0.5])])
def test_basic_optim_numbers_accepted(lr):
    m = nn.Linear(3, 1)
    m(torch.ones(2, 3)).sum().backward()
    w, g = m.weight.detach().clone(), m.weight.grad.clone()
    BasicOptim(m.parameters(), lr).step()
    assert torch.allclose(m.weight, w - float(lr)*g)

def test_wrong_output_shape(dls):
    m = nn.Linear(28*28, 2)
    with pytest.raises(ValueError, match=r'predictions \(256, 2\) and targets \(256, 1\) must have the same shape'):
        train_model(m, 1, dls.train, dls.valid, BasicOptim(m.parameters(), 1.))
