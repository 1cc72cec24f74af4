"How the package reaches users: the wheel and the sdist carry the data and install without the repo; the Colab cell."
import configparser, json, re, subprocess, sys, tarfile, zipfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

def package_data()->list:
    "Files settings.ini ships inside the package, as paths in the archives (e.g. `mnist_sgd/mnist_sample.npz`)."
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini', encoding='utf-8')
    return [f'mnist_sgd/{f}' for f in cfg['DEFAULT']['package_data'].split()]

def test_package_data_lists_the_mnist_sample():
    assert 'mnist_sgd/mnist_sample.npz' in package_data()
    for f in package_data(): assert (ROOT/f).exists(), f'settings.ini ships {f}, which is not in the checkout'

@pytest.fixture(scope='module')
def dists(tmp_path_factory):
    "The sdist and the wheel, built from a copy of the checkout's files (as git sees them) outside the repo."
    tmp = tmp_path_factory.mktemp('dist')
    src = tmp/'src'
    files = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'], cwd=ROOT, capture_output=True, check=True).stdout
    for f in filter(None, files.decode().split('\0')):
        if (ROOT/f).is_file():
            (src/f).parent.mkdir(parents=True, exist_ok=True); (src/f).write_bytes((ROOT/f).read_bytes())
    # no build isolation: the dev environment's setuptools builds it, so no network is needed
    r = subprocess.run([sys.executable, '-m', 'build', '--no-isolation', '--outdir', str(tmp/'dist'), str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, f'python -m build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    sdist, = (tmp/'dist').glob('mnist_sgd-*.tar.gz'); wheel, = (tmp/'dist').glob('mnist_sgd-*.whl')
    return sdist, wheel

@pytest.mark.slow
def test_wheel_and_sdist_carry_the_data(dists):
    sdist, wheel = dists
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as t: in_sdist = {n.split('/', 1)[1] for n in t.getnames() if '/' in n}
    for f in package_data() + ['mnist_sgd/core.py', 'mnist_sgd/data.py']:
        assert f in in_wheel, f'the wheel lacks {f}: list it in settings.ini (package_data)'
        assert f in in_sdist, f'the sdist lacks {f}: list it in settings.ini (package_data) and MANIFEST.in'
    assert not [f for f in in_wheel if f.startswith(('nbs/', 'tests/', 'tools/'))], 'the wheel carries repo-only files'

@pytest.mark.slow
def test_sdist_installs_without_the_repo(dists, tmp_path):
    sdist, _ = dists
    site = tmp_path/'site'
    r = subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--no-build-isolation', '--no-index',
                        '--target', str(site), str(sdist)], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, f'pip could not install the sdist:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}'
    # imported from the install, in an empty folder: the data comes from the package, not the checkout
    code = ("import json, mnist_sgd, numpy as np; from mnist_sgd.data import sample_file; "
            "a = np.load(sample_file()); print(json.dumps([mnist_sgd.__file__, str(sample_file()), sorted(a.files)]))")
    run = tmp_path/'empty'; run.mkdir()
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=run,
                       env={'PYTHONPATH': str(site), 'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path)})
    assert r.returncode == 0, r.stderr[-3000:]
    init, sample, arrays = json.loads(r.stdout.splitlines()[-1])
    assert init.startswith(str(site)) and sample.startswith(str(site)), f'imported {init}, not the installed sdist'
    assert arrays, 'the shipped mnist_sample.npz is empty'

# --- the Colab cell (tools/colab.py) ----------------------------------------------------------------------

from tools.colab import INSTALL, install_source, main as colab_main

def test_every_notebook_has_the_current_setup_cell(capsys):
    nbs = sorted(str(p) for p in (ROOT/'nbs').glob('*.ipynb'))
    try: status = colab_main(['--check', *nbs])
    except SystemExit as e: status = e.code
    stale = [l for l in capsys.readouterr().out.splitlines() if l.endswith('(check only)')]
    assert not status and not stale, f'old or missing set-up cells (run `python tools/colab.py <notebook>`):\n' + '\n'.join(stale)

def test_colab_cell_pins_nothing():
    "The cell installs the package (and plain nbdev where show_doc is used) and nothing that changes Colab's runtime."
    cell = lambda src: dict(cell_type='code', source=src)
    for nb, extra in [(dict(cells=[cell('x = 1')]), []), (dict(cells=[cell('from nbdev.showdoc import show_doc')]), ['nbdev'])]:
        src = install_source(nb)
        line = next(l for l in src.splitlines() if "'pip', 'install'" in l)
        args = [a.strip(" '") for a in line.split('[', 1)[1].split(']')[0].split(',')]
        pkgs = [a for a in args if a and not a.startswith('-') and a not in ('sys.executable', 'pip', 'install')]
        assert pkgs == ['git+https://github.com/mnist-sgd/mnist_sgd'] + extra, pkgs
        assert not any(c in a for a in pkgs for c in '=<>~'), f'the Colab cell pins a version: {pkgs}'
    assert INSTALL.index("'google.colab' in sys.modules") < INSTALL.index('course_setup'), 'install before set-up'

# --- the scripts stay thin bash: their Python lives in tools/ and the package, where it is tested -------------------

def python_lines(text:str)->int:
    "Lines of Python in a bash script: `python -c` one-liners and the bodies of heredocs fed to Python."
    n, heredoc = 0, None
    for line in text.splitlines():
        if heredoc:
            if line.strip() == heredoc: heredoc = None
            else: n += 1
            continue
        m = re.search(r"python\S*\b.*<<-?\s*['\"]?(\w+)", line)
        if m: heredoc = m.group(1); continue
        if re.search(r'python\S*\s(.*\s)?-c\s', line): n += 1
    return n

def test_python_lines_counts_one_liners_and_heredocs():
    assert python_lines('python -c "import x"\n.venv/bin/python -W ignore -c "f()"\npython tools/x.py\n') == 2
    assert python_lines("python - <<'EOF'\nimport x\nx.f()\nEOF\necho done\n") == 2

def test_scripts_hold_little_python():
    counts = {p.name: python_lines(p.read_text(encoding='utf-8')) for p in sorted((ROOT/'scripts').iterdir()) if p.is_file()}
    assert sum(counts.values()) <= 15, f'Python in scripts/ (move it into tools/ or the package, with tests): {counts}'
