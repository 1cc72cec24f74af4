#!/usr/bin/env python
"""Write README.md from the executed `nbs/index.ipynb` (nbdev_readme needs Quarto, which can't run here).
`bash scripts/course` runs it after re-running the landing page on the new `mnist_sgd/results.json`.

    python tools/make_readme.py            # README.md from the notebook's stored outputs
    python tools/make_readme.py --execute  # first execute nbs/index.ipynb in place (and nbdev_clean it)
    python tools/make_readme.py --check    # exit 1 if README.md is not what the notebook gives

What goes in, as nbdev's docs show it (directives read by nbdev's own `extract_directives`, as tools/site.py
reads them for the docs site): markdown cells as they are; `#| hide` cells and directive-only cells dropped; `#| echo: false` cells give their output only (the results tables); other code cells give their code
and output. Markdown outputs are kept as markdown, text as code blocks, stderr dropped. Links to notebooks
(`01_baseline.ipynb`), relative to nbs/, are rewritten relative to the repository root (`nbs/01_baseline.ipynb`);
the landing page itself links to the docs site and Colab, so that it works wherever it is opened.
"""
import argparse, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX, README = ROOT/'nbs'/'index.ipynb', ROOT/'README.md'
NOTE = '<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->'
_link_re = re.compile(r'\]\((?!https?:|#|/|mailto:)([^)\s]+)\)')

def _text(x)->str: return ''.join(x) if isinstance(x, list) else x

def output_md(o)->str:
    "One cell output as markdown ('' for what a README can't show: stderr, images, widgets)."
    if o['output_type'] == 'stream': return '' if o['name'] == 'stderr' else f"```\n{_text(o['text']).rstrip()}\n```"
    if o['output_type'] == 'error': raise ValueError(f"nbs/index.ipynb has an error output ({o['ename']}): fix and re-run it")
    d = o.get('data', {})
    if 'text/markdown' in d: return _text(d['text/markdown']).strip()
    if 'text/plain' in d and not any(k.startswith('image/') for k in d): return f"```\n{_text(d['text/plain']).rstrip()}\n```"
    return ''

def split_directives(src:str)->tuple:
    "nbdev's directives of a cell (`{'hide': [], 'echo:': ['false']}`), and its source without any `#|` line."
    from fastcore.basics import AttrDict
    from nbdev.process import extract_directives
    body = '\n'.join(l for l in src.splitlines() if not re.match(r'\s*#\s*\|', l)).strip('\n')
    return extract_directives(AttrDict(source=src), remove=False), body

def cell_view(c:dict)->str:
    "How nbdev's docs show a cell: 'drop', 'output' (input hidden), 'input' (output hidden) or 'full'."
    if c['cell_type'] != 'code': return 'full' if c['cell_type'] == 'markdown' else 'drop'
    d, body = split_directives(_text(c['source']))
    false = lambda k: [str(v).lower() for v in d.get(k, [])][:1] == ['false']
    if 'hide' in d or false('include:') or not (body or c.get('outputs')): return 'drop'
    if false('echo:') or not body: return 'output'
    return 'input' if false('output:') else 'full'

def readme_text(nb:dict)->str:
    "README.md's text from the index notebook (a dict as in the .ipynb file)."
    parts = [NOTE]
    for c in nb['cells']:
        view = cell_view(c)
        if view == 'drop': continue
        if c['cell_type'] == 'markdown': parts.append(_text(c['source']).strip())
        else:
            if view in ('full', 'input'): parts.append(f"```python\n{split_directives(_text(c['source']))[1]}\n```")
            if view != 'input': parts += [m for m in map(output_md, c.get('outputs', [])) if m]
    md = '\n\n'.join(p for p in parts if p) + '\n'
    return _link_re.sub(lambda m: f'](nbs/{m.group(1)})' if m.group(1).split('#')[0].endswith('.ipynb') else m.group(0), md)

def execute_index():
    "Execute nbs/index.ipynb in place, then nbdev_clean it."
    subprocess.run([sys.executable, '-m', 'jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--inplace',
                    str(INDEX)], check=True, cwd=ROOT)
    subprocess.run(['nbdev_clean', '--fname', str(INDEX)], check=True, cwd=ROOT)

def main(argv=None):
    import json
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--execute', action='store_true', help='execute nbs/index.ipynb in place first')
    p.add_argument('--check', action='store_true', help='exit 1 if README.md differs; write nothing')
    a = p.parse_args(argv)
    if a.execute: execute_index()
    text = readme_text(json.loads(INDEX.read_text(encoding='utf-8')))
    if a.check:
        ok = README.exists() and README.read_text(encoding='utf-8') == text
        print('make_readme: README.md ' + ('matches nbs/index.ipynb' if ok else 'is out of date: run `python tools/make_readme.py`'))
        sys.exit(0 if ok else 1)
    README.write_text(text, encoding='utf-8')
    print(f'make_readme: wrote {README} from {INDEX}')

if __name__ == '__main__': main()
