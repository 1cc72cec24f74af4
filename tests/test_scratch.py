import pytest, torch
from torch import nn
from fastcore.basics import AttrDict
from fastai.torch_core import set_seed
from mnist_sgd.learner import mnist_dls, BasicOptim
from mnist_sgd.linear import mnist_loss, batch_accuracy
from mnist_sgd.scratch import BasicLearner, BasicRecorder, fastai_vs_scratch

@pytest.fixture(scope='module')
def dls(): return mnist_dls()

def test_recorder_edges():
    r = BasicRecorder(['acc'], beta=0.)  # no smoothing: each batch's loss as it is
    for l in [1., 0.5, 0.25]: r.add_loss(l)
    assert r.losses == [1., 0.5, 0.25]
    r.add_epoch([0.4, 0.9])
    assert list(r.to_df().columns) == ['train_loss', 'valid_loss', 'acc'] and r.iters == [3]
    r.reset()
    assert r.losses == r.values == r.iters == []

@pytest.mark.parametrize('seed', [0, 1])
def test_matches_fastai_other_seeds(dls, seed):
    df = fastai_vs_scratch(epochs=2, seed=seed, dls=dls, opt_func=BasicOptim)  # an equality: two epochs prove it
    assert df.filter(like='diff_').to_numpy().max() < 1e-5  # measured < 1e-6

def test_validate_after_fit_is_last_record(dls):
    set_seed(42)
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss, metrics=[batch_accuracy])
    learn.fit(2, 1.0, progress=False)
    assert len(learn.recorder.values) == 2 and len(learn.recorder.losses) == 2*len(dls.train)
    assert learn.validate() == pytest.approx(learn.recorder.values[-1][1:])

def test_torch_optim_works(dls, seed=42):  # a floor: the lesson's seed
    set_seed(seed)
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss, opt_func=torch.optim.SGD, metrics=batch_accuracy)
    learn.fit(10, 1.0, progress=False)
    assert learn.recorder.values[-1][2] > 0.95  # a dead model (all 3s) scores 0.4956

def test_zero_epochs_is_no_op(dls):
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss)
    w = learn.model.weight.detach().clone()
    learn.fit(0, 1.0, progress=False)
    assert torch.equal(learn.model.weight, w) and learn.recorder.values == []

def test_bad_input(dls):
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss)
    with pytest.raises(ValueError, match='epochs must be a whole number'): learn.fit(1.0, 10)
    with pytest.raises(ValueError, match='epochs must be a whole number'): learn.fit(-1, 1.)
    with pytest.raises(ValueError, match='lr must be a positive number'): learn.fit(1, -1)
    with pytest.raises(ValueError, match='lr must be a positive number'): learn.fit(1, '0.1')
    with pytest.raises(TypeError, match='must be functions'): BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss, metrics=0.5)
    with pytest.raises(TypeError, match='must be functions'): BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss(torch.zeros(2, 1), torch.ones(2, 1)))
    with pytest.raises(ValueError, match='training DataLoader yields no batches'):
        BasicLearner(AttrDict(train=[], valid=dls.valid), nn.Linear(28*28, 1), mnist_loss).fit(1, 1., progress=False)
    with pytest.raises(ValueError, match='validation DataLoader yields no batches'):
        BasicLearner(AttrDict(train=dls.train, valid=[]), nn.Linear(28*28, 1), mnist_loss).fit(1, 1., progress=False)
    bad = BasicLearner(dls, nn.Linear(28*28, 1), lambda p, y: (p - y).abs())
    with pytest.raises(ValueError, match=r'end it with \.mean\(\)'): bad.fit(1, 1., progress=False)
