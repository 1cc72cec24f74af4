#!/usr/bin/env python
"""Benchmark mnist_sgd: measure each figure side by side in one run, print it beside its goal, and write
bench/bench.json and the table of bench/README.md. Run it on an idle machine (the figures are wall times).

    .venv/bin/python bench/run.py                          # every part (about 15 min on 2 cores)
    .venv/bin/python bench/run.py --only resnet18,data     # some parts; the other figures are kept from bench.json
    .venv/bin/python bench/run.py --only tests --no-write  # print only

Parts:
- course:   `bash scripts/course` (after set-up) twice in one run: its notebooks one at a time (COURSE_WORKERS=1: each
            notebook's own time, and their sum) and as many at a time as there are cores (the course as the README
            runs it): the course's time against the sum of its notebooks' times; peak memory
- tests:    `bash scripts/test` after set-up (both environments; their set-up left out), against the same sum of the
            course's notebooks' times (so `tests` needs `course` in the same run)
- load:     the fast tier of the dev tests (`bash scripts/test pytest -m "not slow"`) while a heavy job (one process of torch
            matmuls, a thread per core) runs, against the fast tier idle: the slowdown factor
- resnet18: one epoch of the book's recipe and of the CPU variant (`mnist_sgd.deeper.resnet18_accuracy`), taken
            in turn twice (book, variant, book, variant; the faster of each pair's runs counts): seconds, accuracy,
            the variant's share of the book's time; then the variant under two more seeds (its lowest accuracy)
- pinning:  torch, oneDNN and MKL pinned to their AVX2 kernels (ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2,
            MKL_CBWR=AVX2): the course's time pinned against its time as it is (so `pinning` needs `course`), a resnet18
            training step pinned against one as it is (side by side, in turn), and the pinned course's digits against
            the table an AVX2-only CPU gave (../shared/reference/avx2-results.json, when it is there)
- data:     the 3s and 7s as tensors from the shipped file against the book's route (every PNG through PIL)
- threads:  lesson 05 run alone (tools/run_notebook.py), as a learner runs it: course_setup's default (every core)
            against MNIST_SGD_THREADS=1, in turn; seconds, their ratio, and the resnet18 accuracies each run recorded.
            `--threads-skip-slow` leaves out the slow cells (a smoke run of the part, not a measurement)
"""
import argparse, datetime, json, os, platform, re, resource, subprocess, sys, tempfile, time
from pathlib import Path
from mnist_sgd.core import quiet_warnings, write_json_atomic
from mnist_sgd.data import course_setup

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

COURSE_RE = r'^course: data (\d+) s, notebooks (\d+) s \((\d+) at a time\), results and landing page (\d+) s, site (\d+) s; total (\d+) s'

def course_times(out:str)->tuple:
    "(each notebook's seconds, the course's total after set-up) from what `bash scripts/course` printed."
    nbs = {m[0]: int(m[1]) for m in re.findall(r'^ok   (\S+)\.ipynb \((\d+) s\)', out, re.M)}
    total = re.search(COURSE_RE, out, re.M)
    if not (nbs and total): raise RuntimeError(f'scripts/course printed no timings:\n{out[-2000:]}')
    return nbs, int(total[6])

def bench_course(state):
    _, out = run_cmd('bash scripts/course', env={'COURSE_WORKERS': '1'})
    nbs, one_at_a_time = course_times(out)
    secs, out = run_cmd('bash scripts/course')
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB on Linux: largest process waited for
    _, total = course_times(out)
    cores = int(re.search(COURSE_RE, out, re.M)[3])
    state.update(notebooks=sum(nbs.values()), course=total)
    ratio = total / state['notebooks']
    return [fig("course: the sum of its notebooks' times (one at a time)", state['notebooks'], note=f'the course one notebook at a time: {one_at_a_time} s'),
            fig(f'course: bash scripts/course, after set-up ({cores} notebooks at a time)', total),
            fig("course: its time / the sum of its notebooks' times", round(ratio, 2), 'x', '<= 0.65', ratio <= 0.65),
            fig('course: peak memory (largest process)', round(peak), 'MiB')] + \
           [fig(f'course: nbs/{n}.ipynb', s) for n, s in nbs.items()]

def bench_tests(state):
    if 'notebooks' not in state: raise RuntimeError('the tests part needs the course part in the same run: --only course,tests')
    secs, out = run_cmd('bash scripts/test')
    dev_setup = int(re.search(r'times: set-up (\d+) s', out)[1])
    users_setup = int(re.search(r'^users: set-up (\d+) s', out, re.M)[1])
    after = secs - dev_setup - users_setup
    ratio = after / state['notebooks']
    steps = re.search(r'^=== test: times: (.*)$', out, re.M)[1]
    return [fig('tests: bash scripts/test, after set-up', round(after), note=f'{steps}; users\' set-up {users_setup} s'),
            fig("tests: their time / the sum of the course's notebooks' times", round(ratio, 2), 'x', '<= 0.5', ratio <= 0.5)]

FAST = 'bash scripts/test pytest -m "not slow"'  # the fast tier of the dev tests

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
    seeds = {42: av, **{s: resnet18_accuracy('variant', s) for s in (1, 0)}}  # the registry's floor is 0.985
    low = min(seeds.values())
    times = lambda r: ' and '.join(f'{t:.1f}' for t, _ in runs[r])
    return [fig("resnet18 1 epoch: the book's recipe (PNG folder, bs 64)", round(tb, 1), 's', note=f'accuracy {ab:.4f}; runs {times("book")} s'),
            fig('resnet18 1 epoch: the CPU variant', round(tv, 1), 's', note=f'accuracy {av:.4f}; runs {times("variant")} s'),
            fig('resnet18: CPU variant time / book time', round(ratio, 2), 'x', '<= 0.6, accuracy >= 0.995',
                ratio <= 0.6 and av >= 0.995, f'variant accuracy {av:.4f}'),
            fig('resnet18: CPU variant, lowest accuracy over seeds 42, 1, 0', round(low, 4), '', '>= 0.995', low >= 0.995,
                ', '.join(f'seed {s}: {a:.4f}' for s, a in seeds.items()))]

PINS = {'ATEN_CPU_CAPABILITY': 'avx2', 'ONEDNN_MAX_CPU_ISA': 'AVX2', 'MKL_CBWR': 'AVX2'}
STEP = """
import sys, time, torch
from mnist_sgd.data import course_setup
course_setup()
from mnist_sgd.deeper import resnet18_from_tensors
learn = resnet18_from_tensors(); learn.create_opt(); learn.model.train()
xb, yb = learn.dls.one_batch()
def step():
    loss = learn.loss_func(learn.model(xb), yb); loss.backward(); learn.opt.step(); learn.opt.zero_grad()
for _ in range(3): step()
start = time.perf_counter()
for _ in range(10): step()
print((time.perf_counter() - start) / 10, torch.backends.cpu.get_cpu_capability())
"""

def bench_pinning(state):
    if 'course' not in state: raise RuntimeError('the pinning part needs the course part in the same run: --only course,pinning')
    steps = {'default': [], 'pinned': []}
    for how in ('default', 'pinned') * 2:
        p = subprocess.run([sys.executable, '-c', STEP], capture_output=True, text=True, cwd=ROOT, check=True,
                           env={**os.environ, 'OMP_NUM_THREADS': '1', **(PINS if how == 'pinned' else {})})
        secs, cap = p.stdout.split()
        steps[how].append(float(secs))
    step_ratio = min(steps['pinned']) / min(steps['default'])
    _, out = run_cmd('bash scripts/course', env=PINS)
    _, pinned = course_times(out)
    course_ratio = pinned / state['course']
    figs = [fig('pinning: a resnet18 step (CPU variant, bs 192), pinned / as it is', round(step_ratio, 2), 'x', '<= 1.2', step_ratio <= 1.2,
                f"as it is {min(steps['default'])*1000:.0f} ms, pinned ({cap}) {min(steps['pinned'])*1000:.0f} ms"),
            fig('pinning: the course, pinned / as it is', round(course_ratio, 2), 'x', '<= 1.2', course_ratio <= 1.2,
                f"as it is {state['course']} s, pinned {pinned} s")]
    avx2 = ROOT.parent/'shared'/'reference'/'avx2-results.json'
    if avx2.exists():
        from mnist_sgd.results import load_records, fmt_value
        want = {(r['stage'], r['metric']): fmt_value(r['value']) for r in json.loads(avx2.read_text())['results']}
        got = {(r['stage'], r['metric']): fmt_value(r['value']) for r in load_records(ROOT/'_build'/'records')}
        differ = [f'{m} {got[k]} (AVX2 CPU {want[k]})' for k in want if k in got and (m := k[1]) and got[k] != want[k]]
        same = sum(got.get(k) == v for k, v in want.items())
        figs.append(fig("pinning: the pinned course's digits equal to an AVX2-only CPU's", same, f'of {len(want)}', 'all',
                        same == len(want), '; '.join(differ)))
    return figs

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

def bench_checks(state):
    "The training loop (lesson 03's `train_epoch` and `validate_epoch`) with and without the per-batch input checks, in turn."
    import statistics, torch
    from functools import partial
    from fastai.torch_core import set_seed
    import mnist_sgd.linear as lin
    course_setup(data=False)
    dset, valid = lin.mnist_dsets()
    def batches(d): xs, ys = torch.stack([x for x, _ in d]), torch.stack([y for _, y in d]); return [(xs[i:i+256], ys[i:i+256]) for i in range(0, len(xs), 256)]
    dl, vdl = batches(dset), batches(valid)  # collated once: time the loop, not the loader
    checked = lin._check_preds
    def run(checks:bool)->float:
        lin._check_preds = checked if checks else (lambda *a: None)
        set_seed(42); w, b = lin.init_params((784, 1)), lin.init_params(1)
        model = partial(lin.linear1, weights=w, bias=b)
        start = time.perf_counter()
        for _ in range(5): lin.train_epoch(model, dl, 1., (w, b)); lin.validate_epoch(model, vdl)
        return time.perf_counter() - start
    times = {True: [], False: []}
    try:
        run(True); run(False)  # warm-up
        for _ in range(10):
            for c in (True, False): times[c].append(run(c))
    finally: lin._check_preds = checked
    on, off = statistics.median(times[True]), statistics.median(times[False])
    n = 5 * (len(dl) + len(vdl))
    return [fig('checks: 5 epochs of the linear model by hand, with the input checks', round(on*1000, 1), 'ms', note=f'median of 10, {n} batches of 256'),
            fig('checks: the same without them', round(off*1000, 1), 'ms', note='median of 10, run in turn with the above'),
            fig('checks: per batch', round((on-off)/n*1e6, 1), 'us', note=f'{on/off:.2f}x the loop without them; on a GPU they read no value back (no device sync)')]

def bench_threads(state):
    "Lesson 05 alone, as a learner runs it: every core (course_setup's default) against one thread, in turn."
    from mnist_sgd.results import load_records
    cores = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    env = {k: v for k, v in os.environ.items() if k not in ('OMP_NUM_THREADS', 'MNIST_SGD_THREADS')}
    nb, secs, accs = 'nbs/05_deeper.ipynb', {}, {}
    with tempfile.TemporaryDirectory(prefix='bench-threads-') as tmp:
        for n in (cores, 1):
            cmd = [sys.executable, 'tools/run_notebook.py', nb, '--records', f'{tmp}/{n}', '--out', f'{tmp}/{n}']
            start = time.perf_counter()
            p = subprocess.run(cmd + (['--skip-slow'] if state['threads_skip_slow'] else []), cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**env, 'MNIST_SGD_THREADS': str(n)})
            secs[n] = time.perf_counter() - start
            if p.returncode: raise RuntimeError(f'{nb} with {n} thread(s) failed:\n{p.stdout[-3000:]}')
            recs = load_records(Path(tmp)/str(n)) if (Path(tmp)/str(n)/'05_deeper.json').exists() else []
            accs[n] = ', '.join(f"{r['metric'].split(':')[0]} {r['value']:.4f}" for r in recs if r['stage'] == 'resnet18')
    ratio = secs[cores] / secs[1]
    smoke = ' (slow cells left out: a smoke run)' if state['threads_skip_slow'] else ''
    return [fig(f'threads: lesson 05 alone, {cores} threads (the default)', round(secs[cores], 1), 's', note=(accs[cores] or 'no resnet18 record') + smoke),
            fig('threads: lesson 05 alone, 1 thread (MNIST_SGD_THREADS=1)', round(secs[1], 1), 's', note=(accs[1] or 'no resnet18 record') + smoke),
            fig('threads: default / one thread', round(ratio, 2), 'x', '<= 0.65', ratio <= 0.65, f'{cores} cores' + smoke)]

PARTS = dict(course=bench_course, tests=bench_tests, load=bench_load, resnet18=bench_resnet18, pinning=bench_pinning, data=bench_data, checks=bench_checks, threads=bench_threads)

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
lessons state no timings of ours: their progress bars show the reader's own.

Measured by `bench/run.py` (rerun: `.venv/bin/python bench/run.py`, or `--only course,tests,load,resnet18,data`
for some parts): {when}, on {res['machine']}. The course, the CLI and the tests train with one torch
thread (`MNIST_SGD_THREADS=1`; a learner's lesson uses every core), so the same torch build gives the same digits
on any number of cores.

| figure | measured | goal | met | note |
|---|---|---|---|---|
{rows}

- *course*: `bash scripts/course` after set-up, its notebooks one at a time (`COURSE_WORKERS=1`), then as many at a
  time as there are cores, each with one torch thread (the same digits either way). Each model is trained once, in
  its lesson, and the results table is assembled from the lessons' records.
- *tests*: `bash scripts/test` after set-up: the dev environment's tests of the checkout's files, then the users'
  environment (every notebook alone without its slow cells, the API's tests). No model of the course is trained
  there; the ratio is against the sum of the course's notebooks' times measured in the same run.
- *load*: the fast tier of the dev tests rerun while another heavy job runs: one process multiplying matrices with
  torch's default threads (one per core). The scheduler then shares each core between the heavy job's thread and a
  test process: the tests get about half the machine while both their workers run, so about 2× is what fair
  sharing gives.
- *resnet18*: one epoch of one-cycle each, seeded (`mnist_sgd.deeper.resnet18_accuracy`), book and variant in turn,
  twice; each recipe's faster run counts.
- *pinning*: whether pinning torch's CPU dispatch to AVX2 would give every x86-64 CPU with AVX2 the same digits, and
  what it costs here. Adopted where it costs 20 % or less and gives the AVX2-only CPU's digits; otherwise the course
  runs at full speed and the results table records the machine class that made it.
"""

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--only', default=','.join(PARTS), help=f'comma-separated parts to run, from {",".join(PARTS)} (default: all)')
    ap.add_argument('--no-write', action='store_true', help='print the figures only; leave bench.json and README.md')
    ap.add_argument('--fast-cmd', default=FAST, help='the fast-tier test command (default: %(default)s)')
    ap.add_argument('--threads-skip-slow', action='store_true', help="the threads part without lesson 05's slow cells (a smoke run)")
    a = ap.parse_args()
    quiet_warnings()
    os.environ.setdefault('MNIST_SGD_THREADS', '1')  # one torch thread, as the course runs (the threads part sets its own)
    parts = [p.strip() for p in a.only.split(',') if p.strip()]
    if bad := [p for p in parts if p not in PARTS]: ap.error(f'unknown part(s) {bad}: choose from {", ".join(PARTS)}')
    desc = machine()
    print(f'# mnist_sgd benchmark, {datetime.date.today()}\n# {desc}', flush=True)
    figs, state = [], {'fast_cmd': a.fast_cmd, 'threads_skip_slow': a.threads_skip_slow}
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
