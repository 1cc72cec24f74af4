"tools/course.py and tools/run_notebook.py, which `bash scripts/course` and `bash scripts/test users` run: the data made ready, a run compared with the shipped table, the slow cells left out."
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest
from mnist_sgd.results import shipped_results, CLASS_KEYS, fmt_value
from tools import course as course_tool
from tools.run_notebook import is_slow

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture
def course(capsys):
    "`python -m tools.course ARGS...` in this process: (exit status, what it printed)."
    def run(*args):
        try: status = course_tool.main([str(a) for a in args])
        except SystemExit as e: status = e.code if isinstance(e.code, int) else print(e.code, file=sys.stderr) or 1
        out = capsys.readouterr()
        return status, out.out + out.err
    return run

def records(tmp_path, change=None):
    "A records folder holding the shipped table's numbers, as lessons would write them, with `change` applied."
    d = tmp_path/'records'; d.mkdir()
    recs = [dict(stage=r['stage'], metric=r['metric'], value=r['value'], seconds=1.0) for r in shipped_results()['results']]
    if change: recs = [change(r) for r in recs]
    (d/'lessons.json').write_text(json.dumps(recs))
    return d

def table_of_class(tmp_path, **cls):
    "The shipped table, said to come from machine class `cls` (another processor than any real one: another class here, whatever the CPU)."
    res = shipped_results(); res.update(cls)
    f = tmp_path/'table.json'; f.write_text(json.dumps(res)); return f

def test_compare_passes_the_table_itself(tmp_path, course):
    status, out = course('compare', records(tmp_path), '--table', table_of_class(tmp_path, processor='another CPU'))
    assert status == 0 and '26 of 26 results have the table\'s digits; all pass' in out

def test_compare_fails_beyond_tolerance_naming_both_classes(tmp_path, course):
    moved = lambda r: {**r, 'value': r['value'] + 0.02} if r['stage'] == 'resnet18' else r
    status, out = course('compare', records(tmp_path, moved), '--table', table_of_class(tmp_path, processor='another CPU'))
    assert status == 1 and 'another machine class' in out and '(another CPU, ' in out
    assert out.count('BEYOND tolerance 0.01') == 2 and '2 fail' in out

def test_compare_within_tolerance_on_another_class(tmp_path, course):
    moved = lambda r: {**r, 'value': r['value'] + 0.004} if r['stage'] == 'resnet18' else r
    status, out = course('compare', records(tmp_path, moved), '--table', table_of_class(tmp_path, processor='another CPU'))
    assert status == 0 and out.count('within tolerance 0.01') == 2

def test_compare_fails_when_nothing_was_recorded(tmp_path, course):
    (tmp_path/'records').mkdir()
    status, out = course('compare', tmp_path/'records')
    assert status == 1 and 'holds no result of the table' in out

def test_update_needs_a_build(tmp_path, course):
    status, out = course('update', tmp_path/'nothing')
    assert status == 1 and 'run `bash scripts/course` first' in out

def test_skip_slow_leaves_out_the_slow_cells():
    code = lambda s: dict(cell_type='code', source=s)
    assert is_slow(code('#| slow\nlearn.fit(40)')) and is_slow(code('#| hide\n#| slow\nrecord(1)'))
    assert not is_slow(code('x = 1  # not #| slow')) and not is_slow(dict(cell_type='markdown', source='#| slow'))

def test_update_refuses_a_stale_build(tmp_path, course):
    "A build whose notebooks ran other cells than nbs/ holds now would put stale outputs and numbers in the tracked files."
    (tmp_path/'nbs').mkdir()
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text()); nb['cells'][0]['source'] = '# an older title'
    (tmp_path/'nbs'/'index.ipynb').write_text(json.dumps(nb))
    shutil.copy(ROOT/'mnist_sgd'/'results.json', tmp_path/'results.json'); (tmp_path/'README.md').write_text('old')
    before = {p: p.read_bytes() for p in (ROOT/'README.md', ROOT/'nbs'/'index.ipynb', ROOT/'mnist_sgd'/'results.json')}
    status, out = course('update', tmp_path)
    assert status == 1 and 'ran older versions of index.ipynb' in out and 'nothing updated' in out
    assert all(p.read_bytes() == b for p, b in before.items())

def test_data_says_what_it_made_ready(course, monkeypatch):
    import mnist_sgd.data
    ready = dict(mnist_sample=Path('/d/mnist_sample'), mnist_full=Path('/d/mnist_full.npz'))
    monkeypatch.setattr(mnist_sgd.data, 'prepare_data', lambda: ready)
    assert course('data') == (0, f'data: {ready}\n')

def test_compare_runs_by_its_path(tmp_path):
    "As scripts/test users runs it, from outside the checkout with the installed package's table."
    p = subprocess.run([sys.executable, str(ROOT/'tools'/'course.py'), 'compare', str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 1 and 'holds no result of the table' in p.stdout, p.stderr

@pytest.mark.parametrize('ci', ['true', ''])
def test_net_fails_under_ci_when_the_network_cannot_be_cut(tmp_path, ci):
    "scripts/net, where neither `unshare -n` nor `sudo -n` works: under CI=true a failure that says why; elsewhere a warning, and the command runs."
    for tool in ('unshare', 'sudo'): (tmp_path/tool).write_text('#!/bin/sh\nexit 1\n'); (tmp_path/tool).chmod(0o755)
    env = {**os.environ, 'PATH': f"{tmp_path}:{os.environ['PATH']}", 'CI': ci}
    p = subprocess.run(['bash', str(ROOT/'scripts'/'net'), 'echo', 'ran'], capture_output=True, text=True, env=env)
    if ci: assert p.returncode == 1 and p.stdout == '' and 'net: FAIL: CI=true, and the network cannot be cut here' in p.stderr
    else: assert p.returncode == 0 and p.stdout == 'ran\n' and 'running with the network on' in p.stderr

def test_reproduce_beside_the_lessons_digit_for_digit(tmp_path, capsys):
    "`mnist_sgd reproduce --fast`'s results file against the lessons' records of the same run: any other digit, or a row the lessons lack, fails, naming it."
    fast = [r for r in shipped_results()['results'] if r['stage'] != 'resnet18']
    rep = tmp_path/'reproduce.json'
    rep.write_text(json.dumps({**shipped_results(), 'results': fast}))
    assert course_tool.same_digits(records(tmp_path), rep) == 0
    assert f'{len(fast)} of {len(fast)} results with the same digits' in capsys.readouterr().out
    rep.write_text(json.dumps({**shipped_results(), 'results': [{**r, 'value': r['value'] + 2e-4} if r['metric'] == 'small CNN: accuracy' else r for r in fast]}))
    assert course_tool.same_digits(tmp_path/'records', rep) == 1
    out = capsys.readouterr().out
    cnn = next(r['value'] for r in fast if r['metric'] == 'small CNN: accuracy')
    assert f'ten_digits: small CNN: accuracy: lessons {fmt_value(cnn)}, reproduce {fmt_value(cnn + 2e-4)}' in out and 'FAIL' in out
    (tmp_path/'records'/'lessons.json').write_text('[]')
    assert course_tool.same_digits(tmp_path/'records', rep) == 1 and 'lessons nothing' in capsys.readouterr().out
