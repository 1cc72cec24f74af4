"`mnist_sgd reproduce` (mnist_sgd.cli) and the recipes it runs (mnist_sgd.recipes): the wiring with stand-in stages (each lesson checks the real numbers where it computes them), exit codes, the results file, seeds and usage errors."
import json, os, subprocess, sys
from pathlib import Path
import pytest, torch
from mnist_sgd.recipes import reproduce, result_row, STAGES
from mnist_sgd.cli import main
from mnist_sgd.results import SLOW_STAGES, METRICS, KEYS, CLASS_KEYS, get_metric

EXE = Path(sys.executable).parent/'mnist_sgd'  # installed by settings.ini's console_scripts
FAST = [s for s in STAGES if s not in SLOW_STAGES]

def run(*args, env=None):
    "The console script run in a fresh process: (exit status, stdout, stderr)."
    p = subprocess.run([str(EXE), *args], capture_output=True, text=True, env={**os.environ, **(env or {})})
    return p.returncode, p.stdout, p.stderr

def values(recs): return [(r['stage'], r['metric'], r['value']) for r in recs]

@pytest.fixture
def stand_ins(monkeypatch):
    "Every stage replaced by a stand-in that returns its metrics at once, each the first number of the seeded generator."
    ran = []
    def stand_in(seed, device, s):
        ran.append(s)
        return [result_row(m, torch.rand(1).item()) for m in METRICS[s]]
    for s in STAGES: monkeypatch.setitem(STAGES, s, lambda seed, device, s=s: stand_in(seed, device, s))
    return ran

def test_same_seed_same_numbers():
    assert values(reproduce(['quadratic'], seed=1, progress=False)) == values(reproduce(['quadratic'], seed=1, progress=False))

def test_other_seed_other_numbers():
    a, b = reproduce(['quadratic'], seed=1, progress=False), reproduce(['quadratic'], seed=2, progress=False)
    assert values(a) != values(b)

def test_fast_leaves_out_resnet18(stand_ins):
    reproduce(fast=True, progress=False)
    assert stand_ins == FAST and 'resnet18' not in stand_ins

def test_every_stage_in_order_freshly_seeded(stand_ins):
    recs = reproduce(seed=3, progress=False)
    assert stand_ins == list(STAGES)
    assert [(r.stage, r.metric) for r in recs] == [(s, m) for s in STAGES for m in METRICS[s]]
    firsts = {r.value for r in recs if r.metric == METRICS[r.stage][0]}
    assert len(firsts) == 1, 'each stage starts from set_seed(seed): its first draw is the same'

def test_records_carry_book_and_floor_from_the_registry(stand_ins):
    for r in reproduce(['two_layer', 'scratch'], progress=False):
        m = get_metric(r.stage, r.metric)
        assert (r.book, r.floor, r.higher) == (m.book, m.floor, m.higher)
    assert reproduce(['two_layer'], progress=False)[0].book == 0.9828

def test_unregistered_metric_is_refused(monkeypatch):
    monkeypatch.setitem(STAGES, 'baseline', lambda seed, device: [result_row('acc', 0.9)])
    with pytest.raises(ValueError, match="stage 'baseline' has no metric 'acc'"): reproduce(['baseline'], progress=False)

def test_results_file_and_exit_code(tmp_path, capsys):
    assert main(['reproduce', '--stages', 'baseline', '--device', 'cpu', '--json', str(tmp_path/'r.json')]) == 0
    res = json.loads((tmp_path/'r.json').read_text())
    assert set(res) == {*CLASS_KEYS, 'threads', 'results'} and (res['threads'], res['device']) == (1, 'cpu')
    assert res['cpu_capability'] == torch.backends.cpu.get_cpu_capability()
    assert [tuple(r) for r in res['results']] == [KEYS]*3, 'no seconds in a results file'
    assert [r['metric'] for r in res['results']] == list(METRICS['baseline'])
    assert res['results'][-1]['value'] == pytest.approx(0.9511, abs=1e-4)
    assert '| baseline | accuracy | 0.9511 |  | 0.9511 |' in capsys.readouterr().out

def test_floor_miss_exits_1_naming_the_stage(monkeypatch, capsys):
    monkeypatch.setitem(STAGES, 'baseline', lambda seed, device: [result_row('accuracy', 0.5)])
    assert main(['reproduce', '--stages', 'baseline']) == 1
    assert 'FAIL: stage baseline: accuracy 0.5000 is below its floor 0.95' in capsys.readouterr().err

def test_one_torch_thread_whatever_omp_says():
    "A fresh process with OMP_NUM_THREADS=2 still trains with reproduce's one thread (the digits depend on it)."
    code = ('from mnist_sgd.data import course_setup; from mnist_sgd.core import THREADS; '
            'course_setup(data=False, default=THREADS); import torch; print(torch.get_num_threads())')
    env = {k: v for k, v in os.environ.items() if k != 'MNIST_SGD_THREADS'}
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**env, 'OMP_NUM_THREADS': '2'})
    assert p.stdout.strip().splitlines()[-1] == '1', p.stderr

def test_console_script_unknown_stage_exits_2():
    status, out, err = run('reproduce', '--stages', 'baseline', 'nope')
    assert status == 2 and "argument --stages: invalid choice: 'nope' (choose from 'baseline', 'quadratic'," in err
    assert '| stage |' not in out

def test_usage_errors_and_help(capsys):
    assert main(['reproduce', '--device', 'tpu']) == 2 and "invalid choice: 'tpu'" in capsys.readouterr().err
    assert main(['train']) == 2 and "invalid choice: 'train' (choose from 'reproduce')" in capsys.readouterr().err
    assert main([]) == 2 and capsys.readouterr().err.startswith('usage: mnist_sgd [-h] {reproduce}')
    assert main(['reproduce', '--help']) == 0
    out = capsys.readouterr().out
    assert '--stages STAGE' in out and 'leave out the slow stage (resnet18)' in out and 'any of: baseline quadratic' in out

def test_options_reach_reproduce(monkeypatch, tmp_path):
    "Each option of the command line arrives at `reproduce` as its parameter."
    import mnist_sgd.cli as cli
    got = {}
    monkeypatch.setattr(cli, 'reproduce', lambda stages, **kw: got.update(stages=stages, **kw) or [])
    assert main(['reproduce', '--stages', 'linear', 'optim', '--fast', '--seed', '7', '--device', 'cpu']) == 0
    assert got == dict(stages=['linear', 'optim'], fast=True, seed=7, device='cpu')
    assert main(['reproduce']) == 0 and got == dict(stages=None, fast=False, seed=42, device=None)

def test_slow_stage_smoke_run_through_reproduce(monkeypatch):
    "The slow stage as `reproduce` runs it, both recipes on two training and two validation batches (the course build runs the fast stages in full); each row holds the last training loss, which must be finite."
    from fastai.callback.training import ShortEpochCallback
    from mnist_sgd import deeper
    def two_batches(learn, method, *args, **kw):
        with learn.no_bar(), learn.no_logging(): getattr(learn, method)(*args, cbs=ShortEpochCallback(pct=1e-9, short_valid=True), **kw)
        assert learn.train_iter == 2
        return float(learn.recorder.losses[-1])
    monkeypatch.setattr(deeper, 'quiet_fit', two_batches)
    recs = reproduce(['resnet18'], progress=False, device='cpu')
    assert [r.metric for r in recs] == list(METRICS['resnet18'])
    assert all(torch.isfinite(torch.tensor(r.value)) for r in recs), values(recs)
