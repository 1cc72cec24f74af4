import pytest, torch
from torch import nn
from fastai.learner import Learner
import fastai.callback.progress  # adds `Learner.no_bar`
from fastai.optimizer import SGD
from fastai.torch_core import set_seed
from mnist_sgd.data import mnist_sample_tensors
from mnist_sgd.linear import mnist_loss, batch_accuracy, calc_grad
from mnist_sgd.learner import BasicOptim, train_model, mnist_dls

ALL_3S = 1010/2038  # accuracy of a model that calls every validation image a 3

@pytest.fixture(scope='module')
def t(): return mnist_sample_tensors()

@pytest.fixture(scope='module')
def dls(t): return mnist_dls(t=t)

def run(dls, opt_func, seed, epochs=20):
    set_seed(seed)
    model = nn.Linear(28*28, 1)
    return train_model(model, epochs, dls.train, dls.valid, opt_func(model.parameters(), 1.)), model

@pytest.mark.parametrize('seed', [42, 0])  # the book and the seed: 0.9785 (42 gives it exactly)
def test_basic_optim_matches_fastai_sgd(dls, seed):
    accs, m1 = run(dls, BasicOptim, seed)
    assert accs[-1] >= 0.975, accs
    accs2, m2 = run(dls, SGD, seed)
    assert accs2 == accs  # epoch by epoch, to the last digit
    for p, q in zip(m1.parameters(), m2.parameters()): assert torch.equal(p, q)

@pytest.mark.parametrize('seed', [42, 0])
def test_learner_fit(dls, seed):
    set_seed(seed)
    learn = Learner(dls, nn.Linear(28*28,1), opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
    with learn.no_bar(), learn.no_logging(): learn.fit(10, lr=1.0)
    assert learn.recorder.values[-1][2] >= 0.96  # the book: 0.9676

def test_lr10_freezes_in_book_order(dls):
    set_seed(42)
    learn = Learner(dls, nn.Linear(28*28,1), opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
    with learn.no_bar(), learn.no_logging(): learn.fit(4, 10)
    assert [v[2] for v in learn.recorder.values] == pytest.approx([ALL_3S]*4, abs=1e-6)  # the seed: 0.4956

@pytest.mark.parametrize('seed', [42, 0])
def test_lr10_learns_when_shuffled(t, seed):
    set_seed(seed)
    learn = Learner(mnist_dls(t=t, shuffle=True), nn.Linear(28*28,1), opt_func=SGD, loss_func=mnist_loss,
                    metrics=batch_accuracy)
    with learn.no_bar(), learn.no_logging(): learn.fit(3, 10)
    assert learn.recorder.values[-1][2] >= 0.95

def test_mnist_dls(t):
    dls = mnist_dls(bs=100, t=t, num_workers=0)
    xb, yb = dls.one_batch()
    assert (xb.shape, yb.shape) == ((100, 784), (100, 1))
    assert (len(dls.train), len(dls.valid)) == (124, 21)
    assert yb.dtype == torch.int64 and yb.flatten().tolist() == [1]*100

def test_basic_optim_step_and_zero_grad(dls):
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

def test_wrong_output_shape(dls):
    m = nn.Linear(28*28, 2)
    with pytest.raises(ValueError, match=r'predictions \(256, 2\) and targets \(256, 1\) must have the same shape'):
        train_model(m, 1, dls.train, dls.valid, BasicOptim(m.parameters(), 1.))
