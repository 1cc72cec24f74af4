#!/usr/bin/env python
"""Give a course notebook an "Open in Colab" badge (after its title) and a Colab-only set-up cell (its first code cell,
`#| hide`), idempotently: `python tools/colab.py nbs/X.ipynb ...` (`--check`: only report). On Colab it pip-installs
this package from GitHub and pins nothing (plain `nbdev` where `show_doc` is called); everywhere it calls
`course_setup()`. No Google Drive access (fastbook #546). Cells are recognised by content: replaced, never duplicated."""
import argparse, hashlib, json, sys
from pathlib import Path

REPO, BRANCH = 'mnist-sgd/mnist_sgd', 'main'
ROOT = Path(__file__).resolve().parents[1]

def badge_source(nb_path:str)->str:
    "Markdown for the badge of the notebook at `nb_path` (relative to the repository root)."
    url = f'https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{nb_path}'
    return f'[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})'

INSTALL = f"""#| hide
# Set-up. On Colab: install the course package from GitHub (it ships the MNIST images), and nothing else.
# Everywhere: quiet torch's deprecation warnings, train on every core (MNIST_SGD_THREADS=1: the stored digits), ready the data.
import sys, subprocess
if 'google.colab' in sys.modules:
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'git+https://github.com/{REPO}'{{extra}}], check=True)
from mnist_sgd.data import course_setup
course_setup();"""

def install_source(nb:dict)->str:
    "The set-up cell for `nb`: a notebook that imports nbdev (for `show_doc`) also gets plain, unpinned `nbdev` on Colab."
    uses_nbdev = any(c['cell_type'] == 'code' and 'from nbdev' in _src(c) for c in nb['cells'])
    return INSTALL.replace('{extra}', ", 'nbdev'" if uses_nbdev else '')

def _id(kind:str, nb_path:str)->str: return hashlib.sha1(f'{kind}:{nb_path}'.encode()).hexdigest()[:8]
def _src(c)->str: return ''.join(c['source']) if isinstance(c['source'], list) else c['source']
def _lines(s:str)->list: return s.splitlines(keepends=True)

def add_colab(nb:dict, nb_path:str)->dict:
    "Insert (or refresh) the badge cell and the install cell in the notebook dict `nb`; returns `nb`."
    cells = [c for c in nb['cells'] if not (c['cell_type'] == 'markdown' and 'colab-badge.svg' in _src(c))
             and not (c['cell_type'] == 'code' and "'google.colab' in sys.modules" in _src(c))]
    badge = dict(cell_type='markdown', id=_id('badge', nb_path), metadata={}, source=_lines(badge_source(nb_path)))
    install = dict(cell_type='code', execution_count=None, id=_id('colab', nb_path), metadata={}, outputs=[],
                   source=_lines(install_source(nb)))
    title = next((i for i, c in enumerate(cells) if c['cell_type'] == 'markdown' and _src(c).lstrip().startswith('# ')), None)
    at = 0 if title is None else title+1
    cells.insert(at, badge)
    first_code = next((i for i, c in enumerate(cells) if c['cell_type'] == 'code'), len(cells))
    cells.insert(first_code, install)
    nb['cells'] = cells
    return nb

def dumps(nb:dict)->str:
    "The notebook as nbdev_clean writes it (1-space indent, unicode kept, trailing newline)."
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + '\n'

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('notebooks', nargs='+')
    p.add_argument('--check', action='store_true', help='exit 1 if a notebook would change; write nothing')
    a = p.parse_args(argv)
    changed = []
    for f in map(Path, a.notebooks):
        rel = f.resolve().relative_to(ROOT).as_posix()
        old = f.read_text(encoding='utf-8')
        new = dumps(add_colab(json.loads(old), rel))
        if new != old:
            changed.append(f)
            if not a.check: f.write_text(new, encoding='utf-8')
        print(f"colab: {f}: {'changed' if new != old else 'unchanged'}{' (check only)' if a.check and new != old else ''}")
    if a.check and changed: sys.exit(1)

if __name__ == '__main__': main()
