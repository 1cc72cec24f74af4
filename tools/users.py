#!/usr/bin/env python
"""The users' environment's checks and set-up steps, as `bash scripts/test-users` runs them with that environment's Python.

    python tools/users.py no-dev                 # fail if this environment holds nbdev or execnb (dev-only tools)
    python tools/users.py layer API_PYTHON       # let the virtualenv of API_PYTHON see this one's packages (a .pth file)
    python tools/users.py data HOME              # full MNIST fetched; a fresh fastai home HOME that links it, with MNIST_SAMPLE written
    python tools/users.py versions torch fastai  # one line: python 3.x, torch x.y, fastai x.y
    python tools/users.py installed FOLDER       # fail unless Python started in FOLDER imports the installed mnist_sgd

Run it by its path (`python tools/users.py`), not with `-m` from the checkout: the checkout's own `mnist_sgd/` must not
be importable, so that these steps see the package as it was installed from the wheel.
"""
import argparse, importlib, subprocess, sys, sysconfig
from pathlib import Path

DEV_ONLY = ('nbdev', 'execnb')  # the dev environment's tools: a user's notebook must not need them

def importable(name:str)->bool:
    "Whether module `name` can be imported here, without importing it."
    import importlib.util
    return importlib.util.find_spec(name) is not None

def no_dev(names=DEV_ONLY)->int:
    "0 if none of `names` is installed here; else 1, saying which and what to do."
    found = [n for n in names if importable(n)]
    if not found: return 0
    print(f"users: FAIL: the users' environment holds {', '.join(found)} (dev-only); rerun with USERS_FRESH=1", file=sys.stderr)
    return 1

def purelib(python:str=None)->Path:
    "The folder where the Python at `python` (default: this one) installs pure-Python packages."
    if python is None: return Path(sysconfig.get_paths()['purelib'])
    code = 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
    return Path(subprocess.run([python, '-c', code], capture_output=True, text=True, check=True).stdout.strip())

def layer(api_python:str)->Path:
    "Make the virtualenv of `api_python` see this environment's packages through a .pth file; returns that file."
    pth = purelib(api_python)/'users-venv.pth'
    pth.parent.mkdir(parents=True, exist_ok=True)
    pth.write_text(f'{purelib()}\n')
    return pth

def fresh_home(home:Path)->Path:
    "Full MNIST fetched into fastai's usual home (once), linked from the new home `home`, with MNIST_SAMPLE written there (fastai's `data` when FASTAI_HOME is `home`)."
    from mnist_sgd.data import mnist_full_arrays, mnist_full_file, mnist_sample_path
    mnist_full_arrays()  # downloads on first use: the notebooks run with the network cut
    data = Path(home)/'data'
    data.mkdir(parents=True, exist_ok=True)
    link = data/'mnist_full.npz'
    if not link.exists(): link.symlink_to(mnist_full_file())
    return mnist_sample_path(data)  # now, once: notebooks starting together would race to write it

def versions(names)->str:
    "'python 3.x, torch x.y, ...': the version of Python and of each module of `names`."
    return ', '.join([f'python {sys.version.split()[0]}'] + [f'{n} {importlib.import_module(n).__version__}' for n in names])

def installed(folder:Path, package:str='mnist_sgd')->int:
    "0 if Python started in `folder` imports `package` from this environment's site-packages; else 1, saying from where."
    code = f'import {package}; print({package}.__file__)'
    got = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=folder, check=True).stdout.strip()
    if got.startswith(str(purelib())): return 0
    print(f'users: FAIL: from {folder}, Python imports {got}, not the installed package', file=sys.stderr)
    return 1

def main(argv=None)->int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    sub.add_parser('no-dev', help='fail if nbdev or execnb is installed')
    sub.add_parser('layer', help="let another virtualenv see this one's packages").add_argument('api_python')
    sub.add_parser('data', help='full MNIST, and a fresh fastai home with MNIST_SAMPLE').add_argument('home', type=Path)
    sub.add_parser('versions', help='the versions of python and the modules named').add_argument('names', nargs='*')
    sub.add_parser('installed', help='the installed package is what Python imports there').add_argument('folder', type=Path)
    a = p.parse_args(argv)
    if a.cmd == 'no-dev': return no_dev()
    if a.cmd == 'layer': layer(a.api_python); return 0
    if a.cmd == 'data': print(f'users: MNIST_SAMPLE in {fresh_home(a.home)}'); return 0
    if a.cmd == 'versions': print(versions(a.names)); return 0
    return installed(a.folder)

if __name__ == '__main__': sys.exit(main())
