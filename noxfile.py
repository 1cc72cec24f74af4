"""The users' environment (README command 2's second part: `bash scripts/test users` runs `nox -s users api`).

Each session's virtualenv (built once under _build/nox, then reused) holds a wheel of this checkout, today's fastai,
a notebook runner and pytest; only torch is pinned (TORCH_SPEC). `users` runs every lesson alone as Colab opens it,
compares their records with the shipped table, then runs the public API's tests on the installed package. `api` runs
the notebooks that call nbdev's show_doc after a plain `pip install nbdev`, apart: the lessons' never holds nbdev.
"""
import os, shutil, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import nox

nox.options.reuse_venv = 'yes'
ROOT = Path(__file__).resolve().parent
WORKERS = min(os.cpu_count() or 1, 8)
NET = str(ROOT/'scripts'/'net')
HOME = '''import sys; from pathlib import Path
from mnist_sgd.data import mnist_full_arrays, mnist_full_file, mnist_sample_path
mnist_full_arrays()  # fetched now, before the network is cut; MNIST_SAMPLE written once, before notebooks race for it
data = Path(sys.argv[1])/'data'; data.mkdir(parents=True, exist_ok=True)
if not (data/'mnist_full.npz').exists(): (data/'mnist_full.npz').symlink_to(mnist_full_file())
mnist_sample_path(data)'''
NO_DEV = ("import importlib.util as u, sys; d = [m for m in ('nbdev', 'execnb') if u.find_spec(m)]; "
          "sys.exit(f'users: FAIL: the environment holds {d}, dev-only tools: delete _build/nox' if d else 0)")
INSTALLED = ("import mnist_sgd, sys, sysconfig; f = mnist_sgd.__file__; "
             "sys.exit(0 if f.startswith(sysconfig.get_paths()['purelib']) else f'users: FAIL: Python imports {f}, not the installed package')")
VERSIONS = "import sys, torch, fastai, fastcore, mnist_sgd as m; print(f'python {sys.version.split()[0]}, torch {torch.__version__}, fastai {fastai.__version__}, fastcore {fastcore.__version__}, mnist_sgd {m.__version__}')"

def setup(session, *extra)->Path:
    "Install the checkout's wheel (built from a copy outside the repo) with torch, today's fastai, the runner and `extra`; a fresh fastai home. Returns the session's work folder."
    tmp = Path(session.create_tmp()).resolve(); shutil.rmtree(tmp); tmp.mkdir()  # absolute: the notebooks run elsewhere
    session.run('bash', '-c', 'source scripts/env && copy_checkout "$0"', str(tmp/'src'), external=True)
    session.run('pip', 'wheel', '-q', '--no-deps', '-w', str(tmp/'dist'), str(tmp/'src'))
    wheel = str(next((tmp/'dist').glob('mnist_sgd-*.whl')))
    session.install(*os.environ.get('TORCH_SPEC', 'torch==2.14.1 torchvision==0.29.1').split())  # first: it may name another index
    session.install('--upgrade', wheel, 'fastai', 'fastcore', 'nbclient', 'ipykernel', 'pytest', 'pytest-xdist', *extra)
    session.install('--no-deps', '--force-reinstall', wheel)
    session.run('pip', 'check')
    session.run('python', '-W', 'ignore', '-c', HOME, str(tmp/'home'))
    return tmp

def sh(session, tmp, *cmd, cwd=None)->int:
    "Exit status of `cmd` run with the session's Python first on PATH and the fresh fastai home; Jupyter's TCP warning left out."
    env = {**os.environ, 'PATH': f"{session.bin}{os.pathsep}{os.environ['PATH']}", 'FASTAI_HOME': str(tmp/'home')}
    p = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd or tmp, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(''.join(l for l in p.stderr.splitlines(True) if 'Kernel is running over TCP' not in l))
    return p.returncode

def notebooks(session, tmp, want_nbdev:bool)->bool:
    "Run each notebook (posargs, default nbs/*.ipynb) that does (or does not) call nbdev alone, WORKERS at a time; whether all passed."
    nbs = [ROOT/n for n in session.posargs] or sorted((ROOT/'nbs').glob('*.ipynb'))
    nbs = [n for n in nbs if ('from nbdev' in n.read_text() or 'import nbdev' in n.read_text()) == want_nbdev]
    run = lambda nb: sh(session, tmp, NET, 'python', ROOT/'tools'/'run_notebook.py', '--alone', '--skip-slow', '--records', tmp/'records', nb)
    with ThreadPoolExecutor(WORKERS) as ex: return not any(list(ex.map(run, nbs)))

@nox.session
def users(session):
    "The lessons alone, their records beside the shipped table, then the public API's tests, on the installed package."
    t0 = time.time(); tmp = setup(session); t1 = time.time()
    ok = sh(session, tmp, 'python', '-c', NO_DEV) == 0
    print(f'users: environment and data ready in {t1-t0:.0f} s', flush=True)
    ok &= notebooks(session, tmp, want_nbdev=False)
    ok &= sh(session, tmp, 'python', ROOT/'tools'/'course.py', 'compare', tmp/'records') == 0  # by its path: the installed table
    t2 = time.time()
    shutil.copytree(ROOT/'tests', tmp/'tests')  # outside the checkout: the installed package is what the tests import
    ok &= sh(session, tmp, NET, 'python', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-m', 'not repo', '-n', WORKERS,
             '--dist', 'loadfile', '--no-loadscope-reorder', 'tests') == 0
    ok &= sh(session, tmp, 'python', '-c', INSTALLED, cwd=tmp/'tests') == 0
    sh(session, tmp, 'python', '-W', 'ignore', '-c', VERSIONS)
    print(f'users: set-up {t1-t0:.0f} s, notebooks {t2-t1:.0f} s, pytest {time.time()-t2:.0f} s', flush=True)
    if not ok: session.error('a notebook or a test failed (see FAIL above)')

@nox.session
def api(session):
    "The notebooks that call nbdev's show_doc, with a plain `pip install nbdev` beside today's fastai."
    tmp = setup(session, 'nbdev')
    if not notebooks(session, tmp, want_nbdev=True): session.error('a notebook failed (see FAIL above)')
