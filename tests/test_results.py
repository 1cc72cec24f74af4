"The results registry and the shipped table: names refused when unknown, the table in the registry's order, and a run compared digit for digit on the table's machine class, within each metric's tolerance on another."
import json, os, re, subprocess, sys
import pytest
from mnist_sgd.results import (REGISTRY, STAGES, METRICS, CLASS_KEYS, KEYS, UPDATE_VAR, get_metric, book, record,
                               check_result, shipped_results, machine_class, compare_results, comparison_report,
                               class_name, fmt_value)

def test_every_table_row_has_a_tolerance_and_the_book_where_it_has_one():
    rows = [m for m in REGISTRY if m.in_table]
    assert len(rows) == 26 and all(0 <= m.tol <= 0.1 for m in rows)
    assert all(m.tol <= 0.01 for m in rows if 'accuracy' in m.name and 'difference' not in m.name), 'accuracies: 0.01 or tighter'
    assert book('learner', 'fit(10, lr=1.0): accuracy') == 0.9676 and book('resnet18', 'book recipe, fit_one_cycle(1, 0.1): accuracy') == 0.9971

def test_shipped_table_follows_the_registry():
    res = shipped_results()
    assert set(CLASS_KEYS) <= set(res) and res['threads'] == 1
    assert [(r['stage'], r['metric']) for r in res['results']] == [(s, m) for s in STAGES for m in METRICS[s]]
    assert all(tuple(r) == KEYS for r in res['results']), "no seconds, no book column: the book's numbers are the registry's"

@pytest.mark.parametrize('stage, metric, msg', [
    ('two_layers', 'fit(40, 0.1): accuracy', "unknown stage 'two_layers': the stages are baseline, quadratic"),
    ('two_layer', 'fit(40, 0.1) accuracy', "stage 'two_layer' has no metric 'fit(40, 0.1) accuracy': its metrics are 'fit(40, 0.1): accuracy'"),
    ('baseline', 'L1 distance of stacked_threes[1] to the mean 3', 'is a reference number of the book or the Korean write-up')])
def test_record_refuses_what_the_table_has_no_row_for(tmp_path, stage, metric, msg):
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace(')', r'\)').replace('[', r'\[').replace(']', r'\]')):
        record(stage, metric, 0.9, fname=tmp_path/'r.json')
    assert not (tmp_path/'r.json').exists()

@pytest.mark.parametrize('value, err, msg', [
    (float('nan'), ValueError, 'the value is nan, not a finite number: the training diverged'),
    (float('inf'), ValueError, 'the value is inf, not a finite number'),
    (-float('inf'), ValueError, 'the value is -inf, not a finite number'),
    ('0.95', TypeError, "expected a number, got str '0.95'; pass the number itself"),
    (None, TypeError, 'expected a number, got NoneType None'),
    (True, TypeError, 'expected a number, got bool True'),
    ([0.95], TypeError, 'expected one number, got list')])
def test_record_refuses_what_is_not_one_finite_number(tmp_path, value, err, msg):
    with pytest.raises(err, match=re.escape(f'baseline: accuracy: {msg}')): record('baseline', 'accuracy', value, fname=tmp_path/'r.json')
    assert not (tmp_path/'r.json').exists()

def test_record_takes_numbers_of_any_kind(tmp_path):
    import numpy as np, torch
    for v in (0.9511, np.float32(0.9511), torch.tensor(0.9511), torch.tensor([0.9511])):
        assert abs(record('baseline', 'accuracy', v, fname=tmp_path/'r.json') - 0.9511) < 1e-6
    assert json.loads((tmp_path/'r.json').read_text())[0].keys() == {'stage', 'metric', 'value'}

def test_check_result_says_one_line_and_fails_off_floor_or_table(capsys, monkeypatch):
    assert check_result('two_layer', 'fit(40, 0.1): accuracy', 0.9818) == 0.9818
    line = capsys.readouterr().out
    assert line.count('\n') == 1 and 'fit(40, 0.1): accuracy: 0.9818 (the book: 0.9828)' in line
    assert 'at least 0.98, as any seed gives: yes' in line and "within 0.005 of the course's table (0.9818): yes" in line
    check_result('learner', 'fit(10, lr=10): accuracy', 0.4956)
    assert 'fit(10, lr=10): accuracy: 0.4956 (the Korean write-up: 0.4956); within 0.01' in capsys.readouterr().out
    with pytest.raises(AssertionError, match='below the floor 0.98: the recipe has changed'):
        check_result('two_layer', 'fit(40, 0.1): accuracy', 0.9799)
    with pytest.raises(AssertionError, match=r"from the table's \d\.\d{4}, more than another machine moves it"):
        check_result('ten_digits', 'small CNN: accuracy', 0.9980)  # above the floor, off the table
    with pytest.raises(AssertionError, match='above the floor 1000'):  # lower is better: a ceiling
        check_result('quadratic', 'MSE after 10 steps, lr 1e-5', 1500.)
    monkeypatch.setenv(UPDATE_VAR, '1')  # the table is being remade: floors only
    assert check_result('ten_digits', 'small CNN: accuracy', 0.9980) == 0.9980
    with pytest.raises(AssertionError, match='below the floor'): check_result('ten_digits', 'small CNN: accuracy', 0.98)

def test_same_class_compares_digits():
    res = shipped_results()
    assert all(r.ok and r.exact for r in compare_results(res['results'], res, res))
    off = [{**r, 'value': r['value'] + 1e-4} if r['metric'] == 'small CNN: accuracy' else r for r in res['results']]
    bad = [r for r in compare_results(off, res, res) if not r.ok]
    assert [r.metric for r in bad] == ['small CNN: accuracy']
    assert '(digits must match)' in comparison_report(bad, res, res)

@pytest.mark.parametrize('key, other', [('cpu_capability', 'DEFAULT'), ('processor', 'Apple M2'), ('device', 'cuda')])
def test_another_class_compares_within_tolerance(key, other):
    res = shipped_results(); here = {**{k: res[k] for k in CLASS_KEYS}, key: other}
    tol = get_metric('ten_digits', 'small CNN: accuracy').tol
    near = [{**r, 'value': r['value'] - 0.9*get_metric(r['stage'], r['metric']).tol} for r in res['results']]  # every row, just within
    assert all(r.ok and not r.exact for r in compare_results(near, res, here))
    far = [{**r, 'value': r['value'] - tol*1.5} if r['metric'] == 'small CNN: accuracy' else r for r in res['results']]
    rows = compare_results(far, res, here)
    assert [r.metric for r in rows if not r.ok] == ['small CNN: accuracy']
    report = comparison_report(rows, res, here)
    assert f'table made with {class_name(res)}; this run: {class_name(here)}' in report
    assert f"small CNN: accuracy: table {fmt_value(res['results'][-1]['value'])}" in report and f'BEYOND tolerance {tol:g}' in report

def test_machine_class_sees_the_dispatch_a_user_sets():
    "ATEN_CPU_CAPABILITY=default (as a CPU without AVX2 computes) is another machine class than this CPU's own."
    code = 'import json; from mnist_sgd.results import machine_class; print(json.dumps(machine_class("cpu")))'
    got = lambda env: json.loads(subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                                                env={**os.environ, **env}).stdout)
    assert got({'ATEN_CPU_CAPABILITY': 'default'})['cpu_capability'] == 'DEFAULT'
    assert got({})['cpu_capability'] == machine_class('cpu')['cpu_capability']
