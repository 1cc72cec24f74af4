#!/usr/bin/env python
"""The course's data before its notebooks run, and its results after (`bash scripts/course` calls this).

    python -m tools.course data              # MNIST_SAMPLE and the full-MNIST copy ready for offline use
    python -m tools.course build _build      # the run's table, landing page and README under _build; compare them
    python -m tools.course update _build     # make those, and the lessons' outputs, the tracked ones (--update)
    python tools/course.py compare RECORDS   # records beside the shipped table (the installed package's, by path)
`build` and `compare` exit 1 when a result is off the shipped table (beyond its tolerance, or in any digit on the class
that made it); `build` also when `mnist_sgd reproduce --fast` gives other digits than the lessons."""
import argparse, os, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT/'nbs'/'index.ipynb'
TRACKED = {'results.json': ROOT/'mnist_sgd'/'results.json', 'README.md': ROOT/'README.md', 'nbs/index.ipynb': INDEX}

def compare(records, table=None)->int:
    "Print how `records` compare with the results table `table` (default: the shipped one); 1 if any is off."
    from mnist_sgd.results import load_records, compare_results, comparison_report, shipped_results
    table = shipped_results(table)
    rows = compare_results(load_records(records), table)
    print(comparison_report(rows, table) if rows else f'course: FAIL: {records} holds no result of the table: did the lessons run with $MNIST_SGD_RESULTS set?')
    return 0 if rows and all(r.ok for r in rows) else 1

def same_digits(records, reproduced)->int:
    "Print where the results file `reproduced` (`mnist_sgd reproduce --fast --json`) and the lessons' `records` of the same run differ; 1 if any digit does."
    from mnist_sgd.results import load_records, fmt_value, shipped_results
    lessons = {(r['stage'], r['metric']): r['value'] for r in load_records(records)}
    rows = shipped_results(reproduced)['results']
    off = [r for r in rows if fmt_value(lessons.get((r['stage'], r['metric']))) != fmt_value(r['value'])]
    for r in off: print(f"  {r['stage']}: {r['metric']}: lessons {fmt_value(lessons.get((r['stage'], r['metric']))) or 'nothing'}, "
                        f"reproduce {fmt_value(r['value'])}")
    print(f"course: mnist_sgd reproduce --fast beside the lessons: {len(rows)-len(off)} of {len(rows)} results with the same "
          "digits" + ('' if rows and not off else ': FAIL (the recipe in nbs/94_recipes.ipynb and its lesson compute it differently)'))
    return 1 if off or not rows else 0

def build(out:Path)->int:
    "From the records in `out`/records: `out`/results.json, `out`/nbs/index.ipynb run on it, `out`/README.md; then compare."
    import json
    from mnist_sgd.results import collect_results, results_table, TABLE_VAR, RESULTS
    from tools.run_notebook import run_notebook
    from tools.make_readme import readme_text
    out = Path(out).resolve()
    try: recs = collect_results(out/'records', out/'results.json')
    except ValueError as e: sys.exit(f'course: the results table is incomplete: {e}')
    print(results_table(recs))
    os.environ[TABLE_VAR] = str(out/'results.json')  # the landing page shows this run's table
    if run_notebook(INDEX, out=out/'nbs'): return 1
    (out/'README.md').write_text(readme_text(json.loads((out/'nbs'/'index.ipynb').read_text())), encoding='utf-8')
    print(f'course: results table, landing page and README in {out}; this run beside the shipped table (mnist_sgd/results.json):')
    status = compare(out/'records', RESULTS)
    if not (out/'reproduce.json').exists(): print(f"course: FAIL: no {out/'reproduce.json'}: run `mnist_sgd reproduce --fast --json` first"); return 1
    return same_digits(out/'records', out/'reproduce.json') or status

def cells(nb:Path)->list:
    "(type, source) of each cell of notebook `nb`: what a build must have run for its outputs to stand for the notebook."
    import json
    return [(c['cell_type'], ''.join(c['source'])) for c in json.loads(Path(nb).read_text(encoding='utf-8'))['cells']]

def update(out:Path)->int:
    "Copy the run's table, landing page, README and executed notebooks in `out` over the tracked ones."
    out = Path(out).resolve()
    missing = [str(out/k) for k in TRACKED if not (out/k).exists()]   # the run's copies: out/<the tracked file's key>
    if missing: sys.exit(f'course: nothing to update from: {missing} missing; run `bash scripts/course` first')
    lessons = [p for p in sorted((out/'nbs').glob('[0-9]*.ipynb')) if (ROOT/'nbs'/p.name).exists()]
    stale = [p.name for p in lessons + [out/'nbs'/'index.ipynb'] if cells(p) != cells(ROOT/'nbs'/p.name)]
    if stale: sys.exit(f'course: the build in {out} ran older versions of {", ".join(stale)} (their cells changed since): '
                       'nothing updated; run `bash scripts/course --update` to build and update in one go')
    for k, p in TRACKED.items(): shutil.copyfile(out/k, p)
    for p in lessons: shutil.copyfile(p, ROOT/'nbs'/p.name)
    subprocess.run(['nbdev_clean'], check=True, cwd=ROOT)  # every notebook: outputs kept, run metadata dropped
    print(f"course: updated {', '.join(str(p.relative_to(ROOT)) for p in TRACKED.values())} and the outputs of "
          f"{len(lessons)} notebooks from {out}")
    return 0

def main(argv=None)->int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    sub.add_parser('data')
    for name in ('build', 'update'): sub.add_parser(name).add_argument('out', type=Path, help='the build folder')
    c = sub.add_parser('compare')
    c.add_argument('records', type=Path, help='a records file, or a folder of them')
    c.add_argument('--table', type=Path, help='a results table (default: the shipped one)')
    a = p.parse_args(argv)
    if a.cmd == 'data':
        from mnist_sgd.data import prepare_data
        print('data:', prepare_data()); return 0   # the data ready for offline use, and where it is
    if a.cmd == 'compare': return compare(a.records, a.table)
    return build(a.out) if a.cmd == 'build' else update(a.out)

if __name__ == '__main__': sys.exit(main())
