"What 05_deeper does not check itself: other sizes and folders, and the errors (bench/run.py trains the CPU variant under other seeds)."
import pytest, torch
from fastai.learner import Learner
import fastai.callback.progress  # adds `Learner.no_bar`
from mnist_sgd.core import quiet_fit
from fastai.optimizer import SGD
from mnist_sgd.data import mnist_sample_tensors
from mnist_sgd.linear import mnist_loss, batch_accuracy
from mnist_sgd.learner import mnist_dls
from mnist_sgd.deeper import simple_net, mnist_image_dls, resnet18_from_folder, resnet18_accuracy

@pytest.fixture(scope='module')
def t(): return mnist_sample_tensors()

def test_simple_net_sizes():
    net = simple_net(8, n_in=10, n_out=3)
    assert [tuple(p.shape) for p in net.parameters()] == [(8, 10), (8,), (3, 8), (3,)]
    assert net(torch.rand(5, 10)).shape == (5, 3)

@pytest.mark.parametrize('kw, named', [(dict(n_hidden=0), 'n_hidden=0'), (dict(n_hidden=-1), 'n_hidden=-1'),
                                       (dict(n_hidden=2.5), 'n_hidden=2.5'), (dict(n_hidden=True), 'n_hidden=True'),
                                       (dict(n_in=0), 'n_in=0'), (dict(n_out='1'), "n_out='1'")])
def test_simple_net_refuses_a_size_below_1(kw, named):
    with pytest.raises(ValueError, match=f"simple_net: {named.replace('.', '[.]')}: a layer needs a whole number of units, 1 or more"):
        simple_net(**kw)

def test_wrong_output_shape_for_mnist_loss(t):
    learn = Learner(mnist_dls(t=t), simple_net(n_out=2), opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
    with pytest.raises(ValueError, match=r'predictions \(256, 2\) and targets \(256, 1\)'):
        quiet_fit(learn, 'fit', 1, 0.1)

def test_image_dls_other_batch_size(t):
    dls = mnist_image_dls(bs=100, t=t)
    assert (len(dls.train), len(dls.valid)) == (123, 21)  # the training set drops its last partial batch
    vx, vy = dls.valid.one_batch()
    assert vx.shape == (100, 3, 28, 28) and torch.equal(vx[:, 2], t.valid3[:100]) and vy.tolist() == [0]*100

def test_from_folder_other_path(sample_dir):
    learn = resnet18_from_folder(sample_dir, bs=32, num_workers=0)
    xb, yb = learn.dls.one_batch()
    assert xb.shape == (32, 3, 28, 28) and learn.dls.vocab == ['3', '7']
    assert learn.model.eval()(xb).shape == (32, 2)

@pytest.mark.parametrize('recipe', ['fast', 'Book', None])
def test_resnet18_accuracy_unknown_recipe(recipe):
    with pytest.raises(ValueError, match=r"recipe must be one of \['book', 'variant'\], got " + repr(recipe)):
        resnet18_accuracy(recipe)

@pytest.mark.parametrize('recipe', ['book', 'variant'])
def test_resnet18_recipe_smoke_run(recipe, sample_dir, monkeypatch):
    "A smoke run of each resnet18 recipe on two batches (ShortEpochCallback stops the epoch after its second): it builds, steps and scores; the course trains them in full."
    from fastai.callback.training import ShortEpochCallback
    from mnist_sgd import deeper
    make, lr = deeper.RESNET18_RECIPES[recipe]
    learn = make(sample_dir, num_workers=0) if recipe == 'book' else make()
    before = [p.detach().clone() for p in learn.model.parameters()]
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, lr, cbs=ShortEpochCallback(pct=1e-9, short_valid=True))  # no metric to return: not quiet_fit
    assert learn.train_iter == 2, 'two training batches'
    assert learn.recorder.losses and all(torch.isfinite(l) for l in learn.recorder.losses), learn.recorder.losses
    xb, yb = learn.dls.valid.one_batch()
    with torch.no_grad(): preds = learn.model.eval()(xb)
    assert preds.shape == (len(yb), 2) and torch.isfinite(preds).all()
    assert any(not torch.equal(a, b) for a, b in zip(before, learn.model.parameters())), 'the step changed the weights'
