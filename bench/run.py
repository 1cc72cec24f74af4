#!/usr/bin/env python
"""Benchmark mnist_sgd: measures side by side, in one run, and prints figures with the machine's description.

    .venv/bin/python bench/run.py                 # everything (about 15 min on 2 cores)
    .venv/bin/python bench/run.py --skip course tests   # only the in-process measurements

- data: tensors from the shipped file vs the book's route (open every PNG with PIL and stack); goal >= 10x
- resnet18, one epoch: the book's recipe from the PNG folder vs the CPU-friendly variant from tensors;
  goal <= 0.6 of the book recipe's time, with accuracy >= 0.995
- course (`scripts/course`) and the test tiers: wall seconds (goal: course <= 5 min, fast tier <= 60 s)
  and the course's peak memory (largest process's resident set)
Figures go to stdout and, with --json, to a file (default nbs/bench.json, which the landing page shows).
"""
import argparse, datetime, json, os, platform, re, resource, subprocess, sys, time
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]

def machine():
    "A one-line description of this machine."
    cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines()
                if l.startswith('model name')), platform.processor()) if Path('/proc/cpuinfo').exists() else platform.processor()
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no GPU'
    return f'{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {gpu}; torch {torch.__version__}, Python {platform.python_version()}'

def timed(f, *args, **kw):
    start = time.perf_counter(); res = f(*args, **kw)
    return res, time.perf_counter() - start

def best_of(n, f):
    "The result and the fastest of `n` timed calls of `f` (less noise on a busy machine)."
    runs = [timed(f) for _ in range(n)]
    return runs[0][0], min(t for _, t in runs)

def bench_data():
    from mnist_sgd.data import mnist_sample_tensors, mnist_sample_path, stack_folder
    path = mnist_sample_path()
    t, shipped = best_of(3, mnist_sample_tensors)
    pngs, book = best_of(3, lambda: {f'{s}{d}': stack_folder(path/s/str(d)) for s in ('train', 'valid') for d in (3, 7)})
    assert all(torch.equal(pngs[k], t[k]) for k in pngs), 'the two routes disagree'
    return [dict(figure='data ready: shipped file', seconds=round(shipped, 3), note='best of 3'),
            dict(figure="data ready: book's route (PIL, every PNG)", seconds=round(book, 3), note='best of 3'),
            dict(figure='data ready: speed-up', ratio=round(book/shipped, 1), goal='>= 10')]

def bench_resnet18():
    import fastai.callback.progress  # adds `Learner.no_bar`
    from fastai.torch_core import set_seed
    from mnist_sgd.deeper import resnet18_from_folder, resnet18_from_tensors
    def run(make):
        "Seconds (building the data loaders and one epoch of `fit_one_cycle(1, 0.1)`) and accuracy."
        set_seed(42, reproducible=True)
        start = time.perf_counter()
        learn = make()
        with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 0.1)
        return time.perf_counter() - start, float(learn.recorder.values[-1][2])
    tb, book = run(resnet18_from_folder)
    tf, fast = run(resnet18_from_tensors)
    return [dict(figure="resnet18 1 epoch: book's recipe (PNG folder, bs 64)", seconds=round(tb, 1), accuracy=round(book, 4)),
            dict(figure='resnet18 1 epoch: CPU variant (tensors, bs 96)', seconds=round(tf, 1), accuracy=round(fast, 4)),
            dict(figure='resnet18: CPU variant time / book time', ratio=round(tf/tb, 2), goal='<= 0.6, accuracy >= 0.995')]

def run_cmd(cmd):
    "Wall seconds and standard output of a shell command run from the repo root; raises if it fails."
    start = time.perf_counter()
    out = subprocess.run(cmd, shell=True, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return time.perf_counter() - start, out

def bench_course():
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    secs, out = run_cmd('bash scripts/course')
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux: largest process waited for
    parts = re.search(r'course: data (\d+) s, notebooks (\d+) s, site (\d+) s, reproduce (\d+) s', out)
    figs = [dict(figure='course: README command 1 (scripts/course), all of it', seconds=round(secs, 1))]
    if parts: figs += [dict(figure='course: every notebook executed', seconds=int(parts[2]), goal='<= 300'),
                       dict(figure='course: offline site, then mnist_sgd reproduce', seconds=int(parts[3]) + int(parts[4]))]
    return figs + [dict(figure='course: peak memory (largest process)', MiB=round(max(peak, before)/1024))]

def bench_tests():
    py = ROOT/'.venv'/'bin'
    nbt = 'OMP_NUM_THREADS=1 ' + str(py/'nbdev_test')  # as scripts/test runs it
    fast, _ = run_cmd(f'{py}/python -m pytest -q -m "not slow" tests && {nbt}')
    slow, _ = run_cmd(f'{py}/python -m pytest -q -m slow tests && {nbt} --flags slow')
    return [dict(figure='tests: fast tier (pytest -m "not slow", nbdev_test)', seconds=round(fast, 1), goal='<= 60'),
            dict(figure='tests: slow tier (pytest -m slow, nbdev_test --flags slow)', seconds=round(slow, 1))]

BENCHES = dict(data=bench_data, resnet18=bench_resnet18, course=bench_course, tests=bench_tests)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--skip', nargs='*', default=[], choices=list(BENCHES), help='benchmarks to leave out')
    ap.add_argument('--json', default=str(ROOT/'nbs'/'bench.json'), help='where to write the figures ("" for nowhere)')
    args = ap.parse_args()
    desc = machine()
    print(f'# mnist_sgd benchmark, {datetime.date.today()}\n# {desc}')
    figs = []
    for name, f in BENCHES.items():
        if name in args.skip: continue
        for fig in f():
            figs.append(fig)
            print('  ' + fig['figure'] + ': ' + ', '.join(f'{k} {v}' for k, v in fig.items() if k != 'figure'), flush=True)
    if args.json:
        # with --skip, the figures not re-measured are kept from the previous file (each ratio is still from one run)
        out = Path(args.json); tmp = out.with_suffix('.tmp')
        new = {f['figure'] for f in figs}
        old = json.loads(out.read_text())['figures'] if out.exists() and args.skip else []
        figs = [f for f in old if f['figure'] not in new] + figs
        order = [f['figure'] for f in old]
        figs.sort(key=lambda f: order.index(f['figure']) if f['figure'] in order else len(order))
        tmp.write_text(json.dumps(dict(date=str(datetime.date.today()), machine=desc, figures=figs), indent=1))
        os.replace(tmp, out)
        print('wrote', out)

if __name__ == '__main__': main()
