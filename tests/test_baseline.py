import pytest, torch
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from mnist_sgd.data import mnist_sample_tensors
from mnist_sgd.baseline import mnist_distance, is_3, is_7, show_mistakes

@pytest.fixture(scope='module')
def t(): return mnist_sample_tensors()

@pytest.fixture(scope='module')
def means(t): return t.train3.mean(0), t.train7.mean(0)

def test_distance_broadcasts(t, means):
    d = mnist_distance(t.valid3, means[0])
    assert d.shape == (1010,)
    assert torch.allclose(d[7], mnist_distance(t.valid3[7], means[0]))
    assert mnist_distance(t.valid3[:4], torch.stack(means).unsqueeze(1)).shape == (2, 4)  # several references at once

def test_is_7_is_not_is_3(t, means):
    x = t.valid7[:50]
    assert torch.equal(is_7(x, *means), ~is_3(x, *means))
    assert is_7(x, *means).float().mean() > 0.9

def test_show_mistakes_counts_and_shapes(t):
    imgs = t.valid3[:10]
    targ = torch.ones(10)
    pred = torch.tensor([1, 0, 1, 0, 0, 1, 1, 1, 1, 1])
    assert show_mistakes(imgs.view(10, 784), pred.bool(), targ, n=2) == {'3': 3, '7': 0}  # flat images, bool predictions
    assert sum(a.get_title() == '3 → 7' for a in plt.gcf().axes) == 2                       # at most n shown per class
    plt.close('all')
    assert show_mistakes(imgs, targ, targ) == {'3': 0, '7': 0} and not plt.get_fignums()     # nothing wrong: no figure
    assert show_mistakes(imgs, 1-pred, 1-pred.float(), labels=('a', 'b')) == {'a': 0, 'b': 0}

def test_show_mistakes_errors(t):
    with pytest.raises(ValueError, match='got 10 images, 9 predictions, 10 targets'):
        show_mistakes(t.valid3[:10], torch.ones(9), torch.ones(10))
    with pytest.raises(ValueError, match=r'28x28 images.*got \(10, 27, 27\)'):
        show_mistakes(t.valid3[:10, :27, :27], torch.ones(10), torch.ones(10))
