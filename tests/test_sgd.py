import pytest, torch
from fastai.torch_core import set_seed
from mnist_sgd.sgd import quadratic, mse, rmse, apply_step, sgd_fit, quad_features, lstsq_fit, show_preds

def quadratic_data(seed):
    "The book's roller coaster, seeded; the initial parameters continue the same random stream."
    set_seed(seed)
    time = torch.arange(0, 20).float()
    speed = torch.randn(20)*3 + 0.75*(time-9.5)**2 + 1
    return time, speed, torch.randn(3)

def test_gradients():
    xt = torch.tensor(3.).requires_grad_()
    (xt**2).backward()
    assert xt.grad.item() == 6
    xt = torch.tensor([3., 4., 10.]).requires_grad_()
    with pytest.raises(RuntimeError, match='grad can be implicitly created only for scalar outputs'): (xt**2).backward()
    (xt**2).sum().backward()
    assert xt.grad.tolist() == [6., 8., 20.]

def test_model_and_losses():
    assert quadratic(torch.tensor([0., 1., 2.]), torch.tensor([1., 2., 3.])).tolist() == [3., 6., 11.]
    p, t = torch.tensor([1., 2., 3.]), torch.tensor([1., 2., 6.])
    assert mse(p, t).item() == 3.
    assert rmse(p, t).item() == pytest.approx(3**0.5)
    t = torch.linspace(-2, 2, 7)
    params = torch.tensor([0.5, -1., 2.])
    assert torch.allclose(quad_features(t) @ params, quadratic(t, params))

def test_apply_step_updates_and_clears_grad():
    time, speed, p0 = quadratic_data(42)
    params = p0.clone().requires_grad_()
    loss = apply_step(params, time, speed, lr=1e-5)
    assert isinstance(loss, float) and loss == pytest.approx(160.7, abs=0.1)  # seed 42's start
    assert params.grad is None and not torch.equal(params.detach(), p0)
    assert rmse(quadratic(time, params), speed).item() < loss

@pytest.mark.parametrize('seed', [42, 0, 1])
def test_learning_rates(seed):
    time, speed, p0 = quadratic_data(seed)
    small, right, large = (sgd_fit(p0.clone().requires_grad_(), time, speed, lr, 40) for lr in (1e-5, 1e-3, 3e-2))
    assert len(small) == 41
    assert small[-1] < small[0] and small[-1] > 0.85*small[0]        # 1e-5 crawls (seed 42: 160.7 -> 149.7)
    assert right[-1] == pytest.approx(26.0, abs=3)                    # 1e-3 converges (seed 42: 26.0; 0: 24.2; 1: 23.1)
    assert abs(right[-1] - right[20]) < 0.1                           # ...and has stopped
    assert large[-1] > large[10] > large[0]                           # 3e-2 diverges (seed 42: 268.6)

@pytest.mark.parametrize('seed', [42, 0, 1])
def test_closed_form_and_the_gap(seed):
    time, speed, p0 = quadratic_data(seed)
    best = lstsq_fit(time, speed)
    best_loss = rmse(quadratic(time, best), speed).item()
    assert best_loss == pytest.approx(2.70, abs=0.3)                  # about the noise (std 3); seed 42: 2.703
    assert best[0].item() == pytest.approx(0.75, abs=0.05)
    sgd_loss = sgd_fit(p0.clone().requires_grad_(), time, speed, 1e-3, 40)[-1]
    assert sgd_loss > 5*best_loss                                      # seed 42: 9.6 times worse
    tn = (time - time.mean())/time.std()                               # standardised input closes the gap
    assert sgd_fit(p0.clone().requires_grad_(), tn, speed, 1.0, 100)[-1] == pytest.approx(best_loss, abs=1e-3)
    assert torch.linalg.cond(quad_features(tn)) < 3 < 400 < torch.linalg.cond(quad_features(time))

def test_show_preds_draws():
    import matplotlib; matplotlib.use('Agg')
    time, speed, p0 = quadratic_data(42)
    ax = show_preds(time, speed, quadratic(time, p0.clone().requires_grad_()), title='x')
    assert len(ax.collections) == 2 and ax.get_title() == 'x'

def test_seed_42_is_the_books_run():
    "Under set_seed(42) the book's MSE run (lr 1e-5) comes out exactly: 25823.8, 5435.53, ..., 676.95."
    time, speed, p0 = quadratic_data(42)
    losses = sgd_fit(p0.clone().requires_grad_(), time, speed, 1e-5, 10, loss_func=mse)
    assert [round(l, 2) for l in losses[:3]] == pytest.approx([25823.81, 5435.54, 1577.45], abs=0.02)
    assert losses[-1] == pytest.approx(676.95, abs=0.01)
