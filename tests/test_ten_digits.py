import pytest, torch
from mnist_sgd.data import mnist_full_arrays, mnist_sample_tensors
from mnist_sgd.ten_digits import (check_digits, ten_digit_tensors, ten_means, nearest_mean, nearest_mean_accuracy,
    ten_means_baseline, ten_digit_dls, linear_10, mlp_10, small_cnn, ten_digit_learner, train_ten_digits,
    confusion_matrix, most_confused, TEN_DIGIT_RUNS)

@pytest.fixture(scope='module')
def a(): return mnist_full_arrays()

@pytest.fixture(scope='module')
def t(a): return ten_digit_tensors(a)

def test_tensors(t):
    assert t.train_x.shape == (60000, 28, 28) and t.valid_x.shape == (10000, 28, 28)
    assert t.train_x.dtype == torch.float32 and t.valid_y.dtype == torch.int64
    assert 0 <= t.train_x.min() and t.train_x.max() == 1
    assert torch.bincount(t.valid_y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]

@pytest.mark.parametrize('change, msg', [
    (lambda a: {**a, 'train_y': a['train_y'] + 1}, 'labels must be digits 0..9'),
    (lambda a: {**a, 'valid_x': a['valid_x'].reshape(-1, 784)}, 'shape (n, 28, 28)'),
    (lambda a: {**a, 'valid_y': a['valid_y'][:-1]}, 'need one label each'),
])
def test_bad_arrays(a, change, msg):
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace(')', r'\)')): ten_digit_tensors(change(a))

def test_not_bytes(a):
    with pytest.raises(TypeError, match='uint8'): ten_digit_tensors({**a, 'train_x': a['train_x'] / 255})

def test_bad_labels_direct():
    with pytest.raises(ValueError, match='0..9'): check_digits(torch.zeros(3, 28, 28), torch.tensor([0, 10, 2]))
    with pytest.raises(ValueError, match='0..9'): check_digits(torch.zeros(3, 28, 28), torch.tensor([0, -1, 2]))

def test_baseline(t):
    means = ten_means(t.train_x, t.train_y)
    assert means.shape == (10, 28, 28)
    assert torch.allclose(means[3], mnist_sample_tensors().train3.mean(0), atol=1e-5)
    assert nearest_mean_accuracy(t.valid_x, t.valid_y, means) == pytest.approx(0.6685, abs=1e-4)
    assert nearest_mean(t.valid_x[:2], means).tolist() == [7, 1]
    assert ten_means_baseline() == pytest.approx(0.6685, abs=1e-4)

def test_baseline_on_3s_and_7s():
    s = mnist_sample_tensors()
    m = torch.stack([s.train3.mean(0), s.train7.mean(0)])
    x, y = torch.cat([s.valid3, s.valid7]), torch.tensor([0]*1010 + [1]*1028)
    assert nearest_mean_accuracy(x, y, m) == pytest.approx(0.9514, abs=1e-4)

def test_missing_digit(t):
    with pytest.raises(ValueError, match='no images of digit'): ten_means(t.train_x[:50], t.train_y[:50] * 0)

def test_dls_and_models():
    dls = ten_digit_dls(64)
    xb, yb = dls.one_batch()
    assert xb.shape == (64, 784) and yb.shape == (64,)
    assert linear_10()(xb).shape == mlp_10()(xb).shape == (64, 10)
    assert mlp_10(hidden=30)[0].out_features == 30
    xc, _ = ten_digit_dls(64, flat=False).one_batch()
    assert xc.shape == (64, 1, 28, 28) and small_cnn()(xc).shape == (64, 10)

def test_unknown_model():
    with pytest.raises(ValueError, match="choose one of"): ten_digit_learner('resnet')

def test_confusion():
    cm = confusion_matrix(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 1, 2, 2]), n=3)
    assert cm.tolist() == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
    assert most_confused(cm, 1) == [(2, 1, 1)]

def test_small_run_is_seeded(a):
    small = {**a, 'train_x': a['train_x'][:2000], 'train_y': a['train_y'][:2000]}
    r1 = train_ten_digits('linear', epochs=1, arrays=small)
    assert r1 == train_ten_digits('linear', epochs=1, arrays=small)
    assert 0.6 < r1 < 0.9

@pytest.mark.slow
@pytest.mark.parametrize('model, floor', [('linear', 0.915), ('mlp', 0.975), ('cnn', 0.988)])
def test_trained_floors(model, floor):
    assert train_ten_digits(model, seed=42) >= floor
