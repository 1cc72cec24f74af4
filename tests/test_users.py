"tools/users.py, the steps `bash scripts/test-users` runs in the users' environment: no dev tools, the nbdev layer, a fresh fastai home, versions, the installed package."
import os, subprocess, sys, sysconfig
from pathlib import Path
import pytest
from tools import users

ROOT = Path(__file__).resolve().parents[1]

def test_no_dev(capsys):
    assert users.no_dev(('no_such_module_here',)) == 0
    assert users.no_dev(('json', 'no_such_module_here')) == 1
    assert "the users' environment holds json (dev-only); rerun with USERS_FRESH=1" in capsys.readouterr().err

def test_purelib():
    assert users.purelib() == Path(sysconfig.get_paths()['purelib']) == users.purelib(sys.executable)

def test_layer_lets_another_venv_see_these_packages(tmp_path):
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(tmp_path/'api')], check=True)
    api = str(tmp_path/'api'/'bin'/'python')
    see = lambda: subprocess.run([api, '-c', 'import pytest'], capture_output=True).returncode
    assert see() != 0, 'a new virtualenv does not see this one'
    pth = users.layer(api)
    assert pth.read_text() == f'{users.purelib()}\n' and see() == 0

def test_fresh_home(tmp_path):
    from mnist_sgd.data import mnist_full_file
    full = mnist_full_file()
    sample = users.fresh_home(tmp_path/'home')
    assert (tmp_path/'home'/'data'/'mnist_full.npz').resolve() == full.resolve()
    assert sample == tmp_path/'home'/'data'/'mnist_sample' and (sample/'valid'/'7').is_dir()
    code = 'from fastai.data.external import fastai_path; print(fastai_path("data"))'
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**os.environ, 'FASTAI_HOME': str(tmp_path/'home')})
    assert p.stdout.strip() == str(sample.parent), "it is fastai's data folder under that home"
    assert users.fresh_home(tmp_path/'home') == sample, 'a second call finds what the first wrote'

def test_versions(capsys):
    assert users.versions(['pytest']) == f"python {sys.version.split()[0]}, pytest {pytest.__version__}"
    assert users.main(['versions']) == 0 and capsys.readouterr().out == f"python {sys.version.split()[0]}\n"

def test_installed(tmp_path, capsys):
    assert users.installed(tmp_path, 'pytest') == 0
    assert users.installed(ROOT, 'mnist_sgd') == 1, "from the checkout, Python imports the checkout's package"
    assert f'Python imports {ROOT/"mnist_sgd"/"__init__.py"}, not the installed package' in capsys.readouterr().err

def test_runs_by_its_path_outside_the_checkout(tmp_path):
    "As scripts/test-users runs it: by its path, so the checkout's own mnist_sgd is not what it imports."
    p = subprocess.run([sys.executable, str(ROOT/'tools'/'users.py'), 'versions', 'json'], capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.startswith('python ') and ', json ' in p.stdout, p.stderr
