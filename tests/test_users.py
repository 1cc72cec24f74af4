"noxfile.py, which `bash scripts/test users` runs (the users' environment), and scripts/env's copy_checkout: the steps that need no virtualenv of their own, checked here."
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
nox = pytest.importorskip('nox')  # the dev environment has it (scripts/setup)
import noxfile

def run_code(code, *args, cwd=None, env=None):
    return subprocess.run([sys.executable, '-c', code, *map(str, args)], capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})})

def test_sessions():
    from nox.registry import get
    assert {'users', 'api'} <= set(get()) and noxfile.nox.options.reuse_venv == 'yes'

def test_no_dev_names_the_dev_tools():
    "This (dev) environment holds nbdev: the users' check fails here, saying what to do."
    p = run_code(noxfile.NO_DEV)
    assert p.returncode == 1 and "the environment holds ['nbdev', 'execnb'], dev-only tools: delete _build/nox" in p.stderr

def test_installed_refuses_the_checkouts_package(tmp_path):
    p = run_code(noxfile.INSTALLED, cwd=ROOT)
    assert p.returncode == 1 and f'Python imports {ROOT/"mnist_sgd"/"__init__.py"}, not the installed package' in p.stderr

def test_fresh_home(tmp_path):
    from mnist_sgd.data import mnist_full_file
    for _ in range(2):  # a second run finds what the first wrote
        assert run_code(noxfile.HOME, tmp_path/'home').returncode == 0
    data = tmp_path/'home'/'data'
    assert (data/'mnist_full.npz').resolve() == mnist_full_file().resolve() and (data/'mnist_sample'/'valid'/'7').is_dir()

def test_copy_checkout(tmp_path):
    "Tracked and new files, not the ignored ones, nor .git."
    repo = tmp_path/'repo'; repo.mkdir()
    git = lambda *a: subprocess.run(['git', '-c', 'user.email=x@y', '-c', 'user.name=x', *a], cwd=repo, check=True, capture_output=True)
    git('init', '-q'); (repo/'.gitignore').write_text('ignored\n')
    for f in ('tracked', 'new', 'ignored'): (repo/f).write_text(f)
    git('add', 'tracked', '.gitignore'); git('commit', '-qm', 'x')
    subprocess.run(['bash', '-c', f'source {ROOT/"scripts"/"env"} && copy_checkout {tmp_path/"copy"}'], cwd=repo, check=True)
    assert sorted(p.name for p in (tmp_path/'copy').iterdir()) == ['.gitignore', 'new', 'tracked']
