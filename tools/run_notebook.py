#!/usr/bin/env python
"""Execute one notebook of the course with nbclient, as `bash scripts/course` and the users' tests run them.

    python tools/run_notebook.py nbs/05_deeper.ipynb --out _build/nbs --records _build/records
    python tools/run_notebook.py nbs/05_deeper.ipynb --alone --skip-slow --records DIR

--records: the lessons' `record`s go to DIR/<notebook>.json (one file each: notebooks run side by side); --out: write
the executed notebook there; --alone: run a copy in an empty folder, as Colab does, and fail on a FutureWarning or
DeprecationWarning in the outputs; --skip-slow: leave out the `#| slow` cells. Exit 1 when a cell raised.
"""
import argparse, os, re, shutil, sys, tempfile, time
from pathlib import Path

WARN = re.compile(r'.*\b(FutureWarning|DeprecationWarning)\b.*')
SLOW = re.compile(r'^#\|\s*slow\s*$', re.M)

def is_slow(cell)->bool:
    "Whether `cell` is a code cell that nbdev's `slow` flag marks."
    return cell['cell_type'] == 'code' and bool(SLOW.search(cell['source']))

def output_texts(nb):
    "(cell number, text) for every text a reader sees in the outputs of `nb`."
    for i, c in enumerate(nb.cells):
        for o in c.get('outputs', []):
            if o.output_type == 'stream': yield i, o.text
            elif o.output_type == 'error': yield i, '\n'.join(o.traceback)
            else: yield i, str(o.get('data', {}).get('text/plain', ''))

def run_notebook(src:Path, out:Path=None, records:Path=None, alone:bool=False, skip_slow:bool=False,
                 timeout:int=1800)->int:
    "Execute notebook `src` as the options above say; print one line (and the error, if any); return the exit status."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    src, start = Path(src).resolve(), time.time()
    if records:
        rec = Path(records).resolve()/f'{src.stem}.json'
        rec.parent.mkdir(parents=True, exist_ok=True); rec.unlink(missing_ok=True)
        os.environ['MNIST_SGD_RESULTS'] = str(rec)  # the kernel inherits it
    os.environ.setdefault('MNIST_SGD_THREADS', '1')  # the kernel inherits it: one torch thread, the stored digits
    nb = nbformat.read(src, as_version=4)
    if skip_slow: nb.cells = [c for c in nb.cells if not is_slow(c)]
    with tempfile.TemporaryDirectory(prefix='nb-alone-') as d:
        where = Path(d) if alone else src.parent
        if alone: shutil.copy(src, where/src.name)
        client = NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(where)}})
        try: client.execute()
        except CellExecutionError as e:
            print(f'FAIL {src.name} ({time.time()-start:.0f} s): a cell raised\n{str(e)[-3000:]}', flush=True)
            return 1
        left = sorted(p.name for p in where.iterdir() if p.name != src.name) if alone else []
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(out)/src.name)
    warns = [(i, m.group(0).strip()) for i, t in output_texts(nb) for m in WARN.finditer(t)] if alone else []
    if warns:
        print(f'FAIL {src.name} ({time.time()-start:.0f} s): warnings in the outputs'
              + ''.join(f'\n  cell {i}: {w[:300]}' for i, w in warns), flush=True)
        return 1
    print(f'ok   {src.name} ({time.time()-start:.0f} s){"; wrote " + ", ".join(left) if left else ""}', flush=True)
    return 0

def main(argv=None)->int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('notebook', type=Path)
    for o in ('--out', '--records'): p.add_argument(o, type=Path)
    for o in ('--alone', '--skip-slow'): p.add_argument(o, action='store_true')
    p.add_argument('--timeout', type=int, default=1800, help='seconds a cell may take')
    a = p.parse_args(argv)
    if not a.notebook.exists(): p.error(f'{a.notebook} does not exist')
    return run_notebook(a.notebook, a.out, a.records, a.alone, a.skip_slow, a.timeout)

if __name__ == '__main__': sys.exit(main())
