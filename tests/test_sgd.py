import pytest, torch
from fastai.torch_core import set_seed
from mnist_sgd.sgd import roller_coaster, quadratic, mse, rmse, apply_step, sgd_fit, quad_features, lstsq_fit, show_preds

def quadratic_data(seed):
    "The book's roller coaster, seeded; the initial parameters continue the same random stream."
    time, speed = roller_coaster(seed)
    return time, speed, torch.randn(3)

def test_roller_coaster_seeding():
    a, b = roller_coaster(0), roller_coaster(0)
    assert torch.equal(a[1], b[1]) and a[0].tolist() == list(range(20))
    set_seed(0); torch.randn(1)
    c = roller_coaster()  # no seed: continues the caller's random stream
    assert not torch.equal(c[1], a[1]) and c[1].shape == (20,)

def test_apply_step_updates_and_clears_grad():
    time, speed, p0 = quadratic_data(42)
    params = p0.clone().requires_grad_()
    loss = apply_step(params, time, speed, lr=1e-5)
    assert isinstance(loss, float) and loss == pytest.approx(160.7, abs=0.1)  # seed 42's start
    assert params.grad is None and not torch.equal(params.detach(), p0)
    assert rmse(quadratic(time, params), speed).item() < loss

@pytest.mark.parametrize('seed', [0, 1, 7])
def test_learning_rates(seed):
    time, speed, p0 = quadratic_data(seed)
    small, right, large = (sgd_fit(p0.clone().requires_grad_(), time, speed, lr, 40) for lr in (1e-5, 1e-3, 3e-2))
    assert len(small) == 41
    assert small[-1] < small[0] and small[-1] > 0.85*small[0]        # 1e-5 crawls
    assert right[-1] == pytest.approx(26.0, abs=3)                    # 1e-3 converges (seed 42: 26.0; 0: 24.2; 1: 23.1)
    assert abs(right[-1] - right[20]) < 0.1                           # ...and has stopped
    assert large[-1] > large[10] > large[0]                           # 3e-2 diverges

@pytest.mark.parametrize('seed', [0, 1, 7])
def test_closed_form_and_the_gap(seed):
    time, speed, p0 = quadratic_data(seed)
    best = lstsq_fit(time, speed)
    best_loss = rmse(quadratic(time, best), speed).item()
    assert best_loss == pytest.approx(2.70, abs=0.5)                  # about the noise (std 3)
    assert best[0].item() == pytest.approx(0.75, abs=0.05)
    sgd_loss = sgd_fit(p0.clone().requires_grad_(), time, speed, 1e-3, 40)[-1]
    assert sgd_loss > 5*best_loss
    tn = (time - time.mean())/time.std()                               # standardised input closes the gap
    assert sgd_fit(p0.clone().requires_grad_(), tn, speed, 1.0, 100)[-1] == pytest.approx(best_loss, abs=1e-3)

def test_closed_form_is_exact_on_a_parabola():
    t = torch.linspace(-2, 2, 7)
    params = torch.tensor([0.5, -1., 2.])
    assert torch.allclose(lstsq_fit(t, quadratic(t, params)), params, atol=1e-4)
    assert mse(quadratic(t, params), quadratic(t, params)).item() == 0

def test_show_preds_draws():
    import matplotlib; matplotlib.use('Agg')
    time, speed, p0 = quadratic_data(42)
    ax = show_preds(time, speed, quadratic(time, p0.clone().requires_grad_()), title='x')
    assert len(ax.collections) == 2 and ax.get_title() == 'x'
