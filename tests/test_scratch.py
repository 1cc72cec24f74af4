import pytest, torch
from torch import nn
from fastcore.basics import AttrDict
from fastai.torch_core import set_seed
from mnist_sgd.learner import mnist_dls, BasicOptim
from mnist_sgd.linear import mnist_loss, batch_accuracy
from mnist_sgd.scratch import BasicLearner, BasicRecorder, fastai_vs_scratch

@pytest.fixture(scope='module')
def dls(): return mnist_dls()

def test_recorder_smoothing():
    r = BasicRecorder(['acc'])
    for l in [1., 1., 0.5]: r.add_loss(l)
    assert r.losses[:2] == pytest.approx([1., 1.])
    assert r.losses[2] == pytest.approx((0.98**2*0.02 + 0.98*0.02 + 0.02*0.5)/(1-0.98**3))
    r.add_epoch([0.4, 0.9])
    assert r.values == [[r.losses[-1], 0.4, 0.9]] and r.iters == [3]
    assert list(r.to_df().columns) == ['train_loss', 'valid_loss', 'acc']
    r.reset()
    assert r.losses == r.values == []

def test_matches_fastai(dls):
    df = fastai_vs_scratch(dls=dls)
    assert len(df) == 10
    for c in ('train_loss', 'valid_loss', 'accuracy'):
        assert df[f'diff_{c}'].max() < 1e-4, c        # the stated tolerance; measured < 1e-6
    assert df.scratch_accuracy.iloc[-1] >= 0.96        # the book: 0.9676

def test_basic_optim_matches_fastai(dls):
    df = fastai_vs_scratch(epochs=3, dls=dls, opt_func=BasicOptim)
    assert df.diff_valid_loss.max() < 1e-4 and df.diff_accuracy.max() < 1e-4

def test_fit_records(dls):
    set_seed(42)
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss, metrics=[batch_accuracy])
    learn.fit(2, 1.0, progress=False)
    assert len(learn.recorder.values) == 2 and len(learn.recorder.losses) == 2*len(dls.train)
    loss, acc = learn.validate()
    assert acc == pytest.approx(learn.recorder.values[-1][2]) and loss == pytest.approx(learn.recorder.values[-1][1])

def test_torch_optim_works(dls):
    set_seed(42)
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss, opt_func=torch.optim.SGD, metrics=batch_accuracy)
    learn.fit(1, 1.0, progress=False)
    assert learn.recorder.values[0][2] > 0.4

def test_bad_input(dls):
    learn = BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss)
    with pytest.raises(ValueError, match='epochs must be a whole number'): learn.fit(1.0, 10)
    with pytest.raises(ValueError, match='lr must be a positive number'): learn.fit(1, -1)
    with pytest.raises(TypeError, match='must be functions'): BasicLearner(dls, nn.Linear(28*28, 1), mnist_loss, metrics=0.5)
    with pytest.raises(ValueError, match='training DataLoader yields no batches'):
        BasicLearner(AttrDict(train=[], valid=dls.valid), nn.Linear(28*28, 1), mnist_loss).fit(1, 1., progress=False)
    bad = BasicLearner(dls, nn.Linear(28*28, 1), lambda p, y: (p - y).abs())
    with pytest.raises(ValueError, match=r'end it with \.mean\(\)'): bad.fit(1, 1., progress=False)
