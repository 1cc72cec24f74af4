import json, subprocess, sys
from pathlib import Path
import pytest
from mnist_sgd import cli
from mnist_sgd.cli import reproduce, main, STAGES, SLOW_STAGES, Row

FAST = [s for s in STAGES if s not in SLOW_STAGES]
QUICK = ['quadratic', 'linear', 'optim', 'learner']  # seeded stages of a few seconds each

def values(recs): return [(r['stage'], r['metric'], r['value']) for r in recs]

def test_same_seed_same_numbers():
    assert values(reproduce(QUICK, seed=1, progress=False)) == values(reproduce(QUICK, seed=1, progress=False))

def test_other_seed_other_numbers():
    a, b = reproduce(['quadratic'], seed=1, progress=False), reproduce(['quadratic'], seed=2, progress=False)
    assert values(a) != values(b)

@pytest.mark.slow
def test_every_fast_stage_meets_its_floors_under_another_seed():
    recs = reproduce(FAST, seed=7, progress=False)
    assert {r['stage'] for r in recs} == set(FAST)
    for s in FAST: assert any(r['floor'] is not None for r in recs if r['stage'] == s), f'stage {s} has no floor'
    assert [f"{r['stage']}: {r['metric']} {r['value']}" for r in recs if cli.below_floor(r)] == []

def test_fast_leaves_out_resnet18(monkeypatch):
    ran = []
    for s in STAGES: monkeypatch.setitem(STAGES, s, lambda seed, s=s: ran.append(s) or [Row('x', 1.0)])
    reproduce(fast=True, progress=False)
    assert ran == FAST and 'resnet18' not in ran

def test_json_and_exit_code(tmp_path, capsys):
    assert main(['reproduce', '--stages', 'baseline', '--json', str(tmp_path/'r.json')]) == 0
    recs = json.loads((tmp_path/'r.json').read_text())
    assert [set(r) for r in recs] == [{'stage', 'metric', 'value', 'book', 'seconds'}]*3
    assert recs[-1]['value'] == pytest.approx(0.9511, abs=1e-4)
    assert '| baseline | accuracy | 0.9511 | 0.9511 |' in capsys.readouterr().out

def test_below_floor_fails_naming_the_stage(monkeypatch, capsys):
    monkeypatch.setitem(STAGES, 'baseline', lambda seed: [Row('accuracy', 0.5, floor=0.95)])
    assert main(['reproduce', '--stages', 'baseline']) == 1
    assert 'FAIL: stage baseline: accuracy 0.5000 is below its floor 0.95' in capsys.readouterr().err

def test_unknown_stage():
    with pytest.raises(SystemExit) as e: main(['reproduce', '--stages', 'nope'])
    assert e.value.code == 2

def test_console_script():
    exe = Path(sys.executable).parent/'mnist_sgd'  # installed by settings.ini's console_scripts
    out = subprocess.run([str(exe), 'reproduce', '--stages', 'baseline'], capture_output=True, text=True)
    assert out.returncode == 0 and '| baseline | accuracy |' in out.stdout
