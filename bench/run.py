#!/usr/bin/env python
"""Benchmark mnist_sgd: measure each figure side by side in one run, print it beside its goal, and write
bench/bench.json and the table of bench/README.md. Run it on an idle machine (the figures are wall times).

    .venv/bin/python bench/run.py                          # every part (about 15 min on 2 cores)
    .venv/bin/python bench/run.py --only resnet18,data     # some parts; the other figures are kept from bench.json
    .venv/bin/python bench/run.py --only tests --no-write  # print only

Parts:
- course:   `bash scripts/course` (after set-up): total, the notebooks' time, the share outside the notebooks,
            09_cli's share of the notebooks' time, each notebook's time, peak memory
- tests:    the fast tier (`bash scripts/test-dev --fast`: `nbdev_test`, then `pytest -m "not slow"`) and the
            dev-environment tests (`bash scripts/test-dev`: every cell and every test), as scripts/test runs them
- load:     the fast tier again while a heavy job (one process of torch matmuls, a thread per core) runs,
            against the fast tier idle: the slowdown factor
- resnet18: one epoch of the book's recipe and of the CPU variant (`mnist_sgd.deeper.resnet18_accuracy`), taken
            in turn twice (book, variant, book, variant; the faster of each pair's runs counts): seconds, accuracy,
            the variant's share of the book's time; then the variant under two more seeds (its lowest accuracy)
- data:     the 3s and 7s as tensors from the shipped file against the book's route (every PNG through PIL)
"""
import argparse, datetime, json, os, platform, re, resource, subprocess, sys, time
from pathlib import Path
from mnist_sgd.core import quiet_warnings, course_setup, write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
BENCH, README = ROOT/'bench'/'bench.json', ROOT/'bench'/'README.md'

def machine()->str:
    "A one-line description of this machine and its torch."
    import torch
    cpu = platform.processor() or platform.machine()
    if Path('/proc/cpuinfo').exists():
        cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('model name')), cpu)
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no GPU'
    return f'{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {gpu}; torch {torch.__version__}, Python {platform.python_version()}'

def fig(figure:str, value, unit:str='s', goal:str='', met=None, note:str='')->dict:
    "One figure: what, its value and unit, the goal beside it and whether it is met."
    return dict(figure=figure, value=value, unit=unit, goal=goal, met=met, note=note)

def run_cmd(cmd:str, env:dict=None)->tuple:
    "Wall seconds and standard output of a shell command run from the repository root; raises if it fails."
    start = time.perf_counter()
    p = subprocess.run(cmd, shell=True, cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})})
    if p.returncode: raise RuntimeError(f'{cmd!r} failed ({p.returncode}):\n{p.stdout[-3000:]}')
    return time.perf_counter() - start, p.stdout

def bench_course(state):
    if state.get('course_log'):  # the output of a `bash scripts/course` run on this machine, instead of running it again
        out, peak = Path(state['course_log']).read_text(), None
    else:
        secs, out = run_cmd('bash scripts/course')
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB on Linux: largest process waited for
    nbs = {m[0]: int(m[1]) for m in re.findall(r'^course: nbs/(\S+)\.ipynb ran in (\d+) s', out, re.M)}
    total = re.search(r'^course: .*total (\d+) s, of which (\d+) % outside the notebooks', out, re.M)
    if not (nbs and total): raise RuntimeError(f'scripts/course printed no timings:\n{out[-2000:]}')
    notebooks, outside = sum(nbs.values()), int(total[2])
    cli = 100 * nbs.get('09_cli', 0) / max(notebooks, 1)
    figs = [fig('course: bash scripts/course, after set-up', int(total[1])),
            fig('course: the notebooks (index included)', notebooks),
            fig('course: time outside the notebooks', outside, '%', '<= 15', outside <= 15),
            fig("course: 09_cli's share of the notebooks' time", round(cli, 1), '%', '<= 10', cli <= 10),
            ] + ([fig('course: peak memory (largest process)', round(peak), 'MiB')] if peak else [])
    return figs + [fig(f'course: nbs/{n}.ipynb', s) for n, s in nbs.items()]

FAST, DEV = 'bash scripts/test-dev --fast', 'bash scripts/test-dev'  # the fast tier, and all the dev tests

def bench_tests(state):
    fast, _ = run_cmd(state['fast_cmd'])
    state['fast'] = fast
    dev, _ = run_cmd(DEV)
    return [fig('tests: fast tier (scripts/test-dev --fast)', round(fast, 1), 's', '<= 60', fast <= 60),
            fig('tests: dev environment (scripts/test-dev: every cell and test)', round(dev, 1), 's', '<= 180', dev <= 180)]

HEAVY = 'import torch\na = torch.randn(1500, 1500)\nwhile True: a @ a'  # one heavy job: torch's default, a thread per core

def bench_load(state):
    idle = state.get('fast') or run_cmd(state['fast_cmd'])[0]
    env = {k: v for k, v in os.environ.items() if k != 'OMP_NUM_THREADS'}  # the heavy job takes torch's default threads
    heavy = subprocess.Popen([sys.executable, '-c', HEAVY], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        time.sleep(5)
        loaded, _ = run_cmd(state['fast_cmd'])
        load = os.getloadavg()[0]
    finally:
        heavy.kill(); heavy.wait()
    ratio = loaded / idle
    return [fig('load: fast tier under a heavy job', round(loaded, 1), 's', note=f'one process of torch matmuls on every core, load {load:.1f}'),
            fig('load: slowdown under the heavy job', round(ratio, 2), 'x', '<= 2', ratio <= 2, f'idle {idle:.1f} s')]

def bench_resnet18(state):
    from mnist_sgd.deeper import resnet18_accuracy
    course_setup()
    runs = {'book': [], 'variant': []}
    for recipe in ('book', 'variant') * 2:  # in turn, so that neither gets all the cold caches or a quiet spell
        start = time.perf_counter()
        acc = resnet18_accuracy(recipe, 42)
        runs[recipe].append((time.perf_counter() - start, acc))
    (tb, ab), (tv, av) = min(runs['book']), min(runs['variant'])
    ratio = tv / tb
    seeds = {42: av, **{s: resnet18_accuracy('variant', s) for s in (1, 0)}}
    low = min(seeds.values())
    times = lambda r: ' and '.join(f'{t:.1f}' for t, _ in runs[r])
    return [fig("resnet18 1 epoch: the book's recipe (PNG folder, bs 64)", round(tb, 1), 's', note=f'accuracy {ab:.4f}; runs {times("book")} s'),
            fig('resnet18 1 epoch: the CPU variant', round(tv, 1), 's', note=f'accuracy {av:.4f}; runs {times("variant")} s'),
            fig('resnet18: CPU variant time / book time', round(ratio, 2), 'x', '<= 0.6, accuracy >= 0.995',
                ratio <= 0.6 and av >= 0.995, f'variant accuracy {av:.4f}'),
            fig('resnet18: CPU variant, lowest accuracy over seeds 42, 1, 0', round(low, 4), '', '>= 0.995', low >= 0.995,
                ', '.join(f'seed {s}: {a:.4f}' for s, a in seeds.items()))]

def bench_data(state):
    import torch
    from mnist_sgd.data import mnist_sample_tensors, mnist_sample_path, stack_folder
    path = mnist_sample_path()
    def best_of(n, f):
        runs = [(time.perf_counter(), f(), time.perf_counter()) for _ in range(n)]
        return runs[0][1], min(e - s for s, _, e in runs)
    t, shipped = best_of(3, mnist_sample_tensors)
    pngs, book = best_of(3, lambda: {f'{s}{d}': stack_folder(path/s/str(d)) for s in ('train', 'valid') for d in (3, 7)})
    assert all(torch.equal(pngs[k], t[k]) for k in pngs), 'the two routes disagree'
    return [fig('data ready: shipped file', round(shipped, 3), 's', note='best of 3'),
            fig("data ready: the book's route (PIL, every PNG)", round(book, 3), 's', note='best of 3'),
            fig('data ready: speed-up of the shipped file', round(book/shipped, 1), 'x', '>= 10', book/shipped >= 10)]

PARTS = dict(course=bench_course, tests=bench_tests, load=bench_load, resnet18=bench_resnet18, data=bench_data)

def readme(res:dict)->str:
    "bench/README.md: what is measured, how to rerun it, and the figures with their goals."
    fmt = lambda f: f"{f['value']}×" if f['unit'] == 'x' else f"{f['value']} {f['unit']}".strip()
    met = lambda m: '' if m is None else 'yes' if m else '**no**'
    rows = '\n'.join(f"| {f['figure']} | {fmt(f)} | {f['goal']} | {met(f['met'])} | {f['note']} |" for f in res['figures'])
    dates = {}
    for f in res['figures']: dates.setdefault(f['date'], []).append(f['part'])
    when = '; '.join(f"{', '.join(dict.fromkeys(ps))} on {d}" for d, ps in sorted(dates.items()))
    return f"""# Benchmarks

How long the course and its tests take, how the tests hold up on a busy machine, and how the CPU variant of
resnet18 compares with the book's recipe. These are the project's own figures and goals (not the lessons'): the
lessons state only what a reader needs ("this cell takes about 30 s on a laptop CPU").

Measured by `bench/run.py` (rerun: `.venv/bin/python bench/run.py`, or `--only course,tests,load,resnet18,data`
for some parts): {when}, on {res['machine']}. Every lesson, the CLI and the tests train with one torch
thread (`mnist_sgd.core.THREADS`), so the same torch build gives the same digits on any number of cores.

| figure | measured | goal | met | note |
|---|---|---|---|---|
{rows}

- *course*: `bash scripts/course` after set-up; each model is trained once, in its lesson, and the results table
  is assembled from the lessons' records. "Outside the notebooks": data, results table, README and site.
- *tests*: the fast tier leaves out the `slow` tests and cells; the dev environment runs every tier (the users'
  environment of `scripts/test` is reported on its own).
- *load*: the fast tier rerun while another heavy job runs: one process multiplying matrices with torch's default
  threads (one per core). The scheduler then shares each core between the heavy job's thread and a test process:
  the tests get about half the machine while both their workers run, so about 2× is what fair sharing gives.
- *resnet18*: one epoch of one-cycle each, seeded (`mnist_sgd.deeper.resnet18_accuracy`), book and variant in turn,
  twice; each recipe's faster run counts.
"""

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--only', default=','.join(PARTS), help=f'comma-separated parts to run, from {",".join(PARTS)} (default: all)')
    ap.add_argument('--course-log', help='read the course figures from the output of a `bash scripts/course` run instead of running it')
    ap.add_argument('--no-write', action='store_true', help='print the figures only; leave bench.json and README.md')
    ap.add_argument('--fast-cmd', default=FAST, help='the fast-tier test command (default: %(default)s)')
    a = ap.parse_args()
    quiet_warnings()
    parts = [p.strip() for p in a.only.split(',') if p.strip()]
    if bad := [p for p in parts if p not in PARTS]: ap.error(f'unknown part(s) {bad}: choose from {", ".join(PARTS)}')
    desc = machine()
    print(f'# mnist_sgd benchmark, {datetime.date.today()}\n# {desc}', flush=True)
    figs, state = [], {'fast_cmd': a.fast_cmd, 'course_log': a.course_log}
    for name in (p for p in PARTS if p in parts):
        for f in PARTS[name](state):
            f.update(part=name, date=str(datetime.date.today()))
            figs.append(f)
            goal = f" (goal {f['goal']}: {'met' if f['met'] else 'NOT met'})" if f['goal'] else ''
            print(f"  {f['figure']}: {f['value']} {f['unit']}{goal}{'; ' + f['note'] if f['note'] else ''}", flush=True)
    if a.no_write: return
    old = json.loads(BENCH.read_text())['figures'] if BENCH.exists() else []
    kept = [f for f in old if f.get('part') not in parts]  # a part that ran replaces all its figures
    res = dict(date=str(datetime.date.today()), machine=desc, figures=sorted(kept + figs, key=lambda f: list(PARTS).index(f['part'])))
    write_json_atomic(BENCH, res)
    README.write_text(readme(res), encoding='utf-8')
    print(f'wrote {BENCH.relative_to(ROOT)} and {README.relative_to(ROOT)}')

if __name__ == '__main__': main()
