"`mnist_sgd reproduce`: the console script, its exit codes, its results file, seeds and usage errors (test_reproduce runs it end to end)."
import json, os, subprocess, sys
from pathlib import Path
import pytest
from mnist_sgd.cli import reproduce, main, result_row, STAGES, SLOW_STAGES, METRICS, KEYS

EXE = Path(sys.executable).parent/'mnist_sgd'  # installed by settings.ini's console_scripts
FAST = [s for s in STAGES if s not in SLOW_STAGES]

def run(*args, env=None):
    "The console script run in a fresh process: (exit status, stdout, stderr)."
    p = subprocess.run([str(EXE), *args], capture_output=True, text=True, env={**os.environ, **(env or {})})
    return p.returncode, p.stdout, p.stderr

def digits(recs):
    "(stage, metric) -> the value to 4 decimals, as the results table compares them (seconds left out)."
    return {(r['stage'], r['metric']): f"{r['value']:.4f}" for r in recs}

def values(recs): return [(r['stage'], r['metric'], r['value']) for r in recs]

def test_same_seed_same_numbers():
    assert values(reproduce(['quadratic'], seed=1, progress=False)) == values(reproduce(['quadratic'], seed=1, progress=False))

def test_other_seed_other_numbers():
    a, b = reproduce(['quadratic'], seed=1, progress=False), reproduce(['quadratic'], seed=2, progress=False)
    assert values(a) != values(b)

def test_fast_leaves_out_resnet18(monkeypatch):
    ran = []
    for s in STAGES: monkeypatch.setitem(STAGES, s, lambda seed, device, s=s: ran.append(s) or [result_row('x', 1.0)])
    reproduce(fast=True, progress=False)
    assert ran == FAST and 'resnet18' not in ran

def test_results_file_and_exit_code(tmp_path, capsys):
    assert main(['reproduce', '--stages', 'baseline', '--device', 'cpu', '--json', str(tmp_path/'r.json')]) == 0
    res = json.loads((tmp_path/'r.json').read_text())
    assert set(res) == {'torch', 'threads', 'device', 'results'} and (res['threads'], res['device']) == (1, 'cpu')
    assert [tuple(r) for r in res['results']] == [KEYS]*3
    assert [r['metric'] for r in res['results']] == list(METRICS['baseline'])
    assert res['results'][-1]['value'] == pytest.approx(0.9511, abs=1e-4)
    assert '| baseline | accuracy | 0.9511 | 0.9511 |' in capsys.readouterr().out

def test_floor_miss_exits_1_naming_the_stage(monkeypatch, capsys):
    monkeypatch.setitem(STAGES, 'baseline', lambda seed, device: [result_row('accuracy', 0.5, floor=0.95)])
    assert main(['reproduce', '--stages', 'baseline']) == 1
    assert 'FAIL: stage baseline: accuracy 0.5000 is below its floor 0.95' in capsys.readouterr().err

def test_console_script_unknown_stage_exits_2():
    status, out, err = run('reproduce', '--stages', 'baseline', 'nope')
    assert status == 2 and "unknown stage(s) ['nope']: choose from baseline, quadratic," in err and '| stage |' not in out

def test_usage_errors_and_help(capsys):
    with pytest.raises(SystemExit) as e: main(['reproduce', '--device', 'tpu'])
    assert e.value.code == 2 and "invalid choice: 'tpu'" in capsys.readouterr().err
    assert main(['train']) == 2 and 'usage: mnist_sgd {reproduce}' in capsys.readouterr().err
    with pytest.raises(SystemExit) as e: main(['reproduce', '--help'])
    out = capsys.readouterr().out
    assert e.value.code == 0 and '--stages' in out and 'leave out the slow stage (resnet18)' in out
