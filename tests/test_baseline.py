import pytest, torch
from mnist_sgd.data import mnist_sample_tensors
from mnist_sgd.baseline import mnist_distance, is_3, is_7, pixel_mean_accuracy

@pytest.fixture(scope='module')
def t(): return mnist_sample_tensors()

@pytest.fixture(scope='module')
def means(t): return t.train3.mean(0), t.train7.mean(0)

def test_book_and_seed_distances(t, means):
    m3, m7 = means
    assert mnist_distance(t.train3[1], m3).item() == pytest.approx(0.1114, abs=1e-4)   # book
    a = t.train3[15]                                                                     # seed
    assert mnist_distance(a, m3).item() == pytest.approx(0.1146, abs=1e-4)
    assert mnist_distance(a, m7).item() == pytest.approx(0.1336, abs=1e-4)
    assert ((a-m3)**2).mean().sqrt().item() == pytest.approx(0.2075, abs=1e-4)
    assert ((a-m7)**2).mean().sqrt().item() == pytest.approx(0.2611, abs=1e-4)

def test_distance_broadcasts(t, means):
    d = mnist_distance(t.valid3, means[0])
    assert d.shape == (1010,)
    assert torch.allclose(d[7], mnist_distance(t.valid3[7], means[0]))

def test_accuracy(t, means):
    a3, a7, a = pixel_mean_accuracy(t.valid3, t.valid7, *means)
    assert (a3, a7, a) == pytest.approx((0.9168, 0.9854, 0.9511), abs=1e-4)

def test_is_7_is_not_is_3(t, means):
    x = t.valid7[:50]
    assert torch.equal(is_7(x, *means), ~is_3(x, *means))
    assert is_7(x, *means).float().mean() > 0.9
