import pytest, torch
from mnist_sgd.data import mnist_full_arrays
from test_data import needs_full_mnist  # skips, with the command that prepares it, when full MNIST is missing
from mnist_sgd.ten_digits import (_check_digits, ten_digit_tensors, ten_means, nearest_mean_accuracy, ten_digit_dls,
    linear_10, mlp_10, small_cnn, ten_digit_learner, train_ten_digits, TEN_DIGIT_RUNS, DIGITS)

@pytest.fixture(scope='module')
def a(): return mnist_full_arrays()

@pytest.fixture(scope='module')
def small(a): return {**a, 'train_x': a['train_x'][:2000], 'train_y': a['train_y'][:2000]}

@needs_full_mnist
@pytest.mark.parametrize('change, msg', [
    (lambda a: {**a, 'train_y': a['train_y'] + 1}, 'labels must be digits 0..9'),
    (lambda a: {**a, 'valid_x': a['valid_x'].reshape(-1, 784)}, 'shape (n, 28, 28)'),
    (lambda a: {**a, 'valid_y': a['valid_y'][:-1]}, 'need one label each'),
])
def test_bad_arrays(a, change, msg):
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace(')', r'\)')): ten_digit_tensors(change(a))

@needs_full_mnist
def test_not_bytes(a):
    with pytest.raises(TypeError, match='uint8'): ten_digit_tensors({**a, 'train_x': a['train_x'] / 255})

def test_bad_labels_direct():
    with pytest.raises(ValueError, match='0..9'): _check_digits(torch.zeros(3, 28, 28), torch.tensor([0, 10, 2]))
    with pytest.raises(ValueError, match='0..9'): _check_digits(torch.zeros(3, 28, 28), torch.tensor([0, -1, 2]))
    with pytest.raises(ValueError, match='0..9'): nearest_mean_accuracy(torch.zeros(3, 28, 28), torch.tensor([0, 10, 2]), torch.zeros(10, 28, 28))

def test_missing_digit():
    x, y = torch.rand(20, 28, 28), torch.arange(20) % 9  # no 9s
    with pytest.raises(ValueError, match=r'no images of digit\(s\) \[9\]'): ten_means(x, y)

@needs_full_mnist
def test_dls_and_models():
    dls = ten_digit_dls(64)
    xb, yb = dls.one_batch()
    assert xb.shape == (64, 784) and yb.shape == (64,)
    assert linear_10()(xb).shape == mlp_10()(xb).shape == (64, 10)
    assert mlp_10(hidden=30)[0].out_features == 30
    xc, _ = ten_digit_dls(64, flat=False).one_batch()
    assert xc.shape == (64, 1, 28, 28) and small_cnn()(xc).shape == (64, 10)
    assert list(dls.train.new(shuffle=False).vocab) == list(DIGITS) == [str(d) for d in range(10)]

def test_runs_are_named():
    for run in TEN_DIGIT_RUNS.values(): assert {'model', 'flat', 'epochs', 'lr', 'bs'} <= set(run)

def test_unknown_model():
    with pytest.raises(ValueError, match="choose one of"): ten_digit_learner('resnet')
    with pytest.raises(ValueError, match="choose one of"): train_ten_digits('resnet')

@needs_full_mnist
def test_small_run_is_seeded(small):
    r1 = train_ten_digits('linear', epochs=1, arrays=small)
    assert r1 == train_ten_digits('linear', epochs=1, arrays=small)
    assert r1 != train_ten_digits('linear', epochs=1, arrays=small, seed=1)
    assert 0.6 < r1 < 0.9
