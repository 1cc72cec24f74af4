"`mnist_sgd reproduce` end to end, training every quick stage: a fresh run gives the shipped results table's digits, and another seed meets every floor."
import json
import pytest
from mnist_sgd.cli import reproduce, shipped_results, below_floor, SLOW_STAGES
from test_cli import run, digits, FAST  # the console script in a fresh process; values to 4 decimals; the quick stages

@pytest.mark.slow
def test_fresh_fast_run_with_more_omp_threads_matches_the_shipped_table(tmp_path):
    """`reproduce --fast` in a fresh process gives the results table's digits (on the device and torch build that made
    it), with `OMP_NUM_THREADS` set one above the table's torch threads: without `course_setup` fixing the count, torch
    would take that many threads and the ten-digit models would change digits (1 vs 2 threads: MLP 0.9810 vs 0.9813)."""
    res = shipped_results()
    status, out, err = run('reproduce', '--fast', '--device', res['device'], '--json', str(tmp_path/'fast.json'),
                           env={'OMP_NUM_THREADS': str(res['threads'] + 1)})
    assert status == 0, err
    got, want = digits(json.loads((tmp_path/'fast.json').read_text())['results']), digits(res['results'])
    want = {k: v for k, v in want.items() if k[0] not in SLOW_STAGES}
    assert set(got) == set(want)
    if res['torch'] != __import__('torch').__version__:
        pytest.skip(f"torch {__import__('torch').__version__} here, {res['torch']} made the table: digits may differ")
    assert [k for k in want if got[k] != want[k]] == [], {k: (got[k], want[k]) for k in want if got[k] != want[k]}

@pytest.mark.slow
def test_every_fast_stage_meets_its_floors_under_another_seed():
    "Seed 7 (the lessons run 42): every quick stage, the two-layer net and the ten-digit models included, meets its floors."
    recs = reproduce(FAST, seed=7, progress=False)
    assert {r['stage'] for r in recs} == set(FAST)
    for s in FAST: assert any(r['floor'] is not None for r in recs if r['stage'] == s), f'stage {s} has no floor'
    assert [f"{r['stage']}: {r['metric']} {r['value']}" for r in recs if below_floor(r)] == []
