"README.md is generated from nbs/index.ipynb (tools/make_readme.py): no drift; the landing page's tables are complete and work alone."
import json, re, shutil
from pathlib import Path
import pytest
from tools.make_readme import readme_text, INDEX, README

ROOT = Path(__file__).resolve().parents[1]

FIX = 'run `python tools/make_readme.py` (or `--execute` to re-run nbs/index.ipynb first) and commit README.md'
SITE, COLAB = 'https://mnist-sgd.github.io/mnist_sgd/', 'https://colab.research.google.com/github/mnist-sgd/mnist_sgd/blob/main/nbs/'
COURSE = sorted(p.stem for p in (ROOT/'nbs').glob('[0-9][0-9]_*.ipynb'))  # the course's order is the file names' (as the site's sidebar)

def test_readme_is_generated_from_index():
    want = readme_text(json.loads(INDEX.read_text(encoding='utf-8')))
    assert README.read_text(encoding='utf-8') == want, f'README.md differs from nbs/index.ipynb: {FIX}'

def test_readme_keeps_the_essentials():
    md = README.read_text(encoding='utf-8')
    for s in ('bash scripts/course', 'bash scripts/test', '## The course', '## Results', '## Data', '## Developing',
              '| stage | metric | book | Korean write-up | ours |', 'colab-badge.svg', '"fastai & PyTorch (4)"',
              'https://rlatmddn0211.github.io/seungwoo_blog.github.io/', 'bench/README.md'):
        assert s in md, f'README.md lost {s!r}'
    assert not re.search(r'^#\s*\|', md, re.M), 'a directive leaked into README.md'
    assert not re.search(r'\bthe seed\b', md, re.I), 'call the Korean write-up "the Korean write-up", not "the seed"'
    assert not re.search(r'\bgoal', md, re.I), 'no internal goals on the landing page: they belong in bench/README.md'

def test_readme_local_links_resolve():
    md = README.read_text(encoding='utf-8')
    for link in re.findall(r'\]\(([^)\s]+)\)', md):
        if re.match(r'https?:|#|mailto:', link): continue
        assert (ROOT/link.split('#')[0]).exists(), f'README.md links to {link}, which does not exist'

def course_rows():
    "(notebook, title, page link, Colab link) of each row of the landing page's course table."
    nb = json.loads(INDEX.read_text(encoding='utf-8'))
    src = next(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown' and '## The course' in ''.join(c['source']))
    rows = re.findall(r'^\|[^|]*\| \[([^\]]+)\]\(([^)]+)\) \|[^|]*\| \[Open in Colab\]\(([^)]+)\) \|$', src, re.M)
    return [(Path(colab).stem, title, page, colab) for title, page, colab in rows]

def notebook_title(name):
    nb = json.loads((ROOT/'nbs'/f'{name}.ipynb').read_text(encoding='utf-8'))
    src = next(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown')
    return re.search(r'^#\s+(.+)$', src, re.M).group(1).strip()

def test_course_table_lists_every_notebook_in_order():
    rows = course_rows()
    assert [r[0] for r in rows] == COURSE, 'nbs/index.ipynb: the course table must list every numbered notebook of nbs/, ' \
        f'in file-name order: missing {sorted(set(COURSE) - {r[0] for r in rows})}'
    for name, title, page, colab in rows:
        assert title == notebook_title(name), f'nbs/index.ipynb: the course table calls {name} {title!r}; its title is {notebook_title(name)!r}'
        assert page == SITE + name.split('_', 1)[1] + '.html', f'{name}: docs link {page}'
        assert colab == COLAB + name + '.ipynb', f'{name}: Colab link {colab}'

def test_results_table_comes_from_the_shipped_results():
    from mnist_sgd.results import results_table, shipped_results, STAGES, METRICS
    res = shipped_results()
    assert [(r['stage'], r['metric']) for r in res['results']] == [(s, m) for s in STAGES for m in METRICS[s]]
    md = README.read_text(encoding='utf-8')
    for r in res['results']:
        row = results_table([r]).splitlines()[-1]
        assert row in md, f"{row} from mnist_sgd/results.json is not in README.md: {FIX}"

def test_make_readme_rules():
    "Hidden cells go, `echo: false` keeps only the output, stderr goes, notebook links get the nbs/ prefix."
    cell = lambda kind, src, outs=(): dict(cell_type=kind, source=src, metadata={}, outputs=list(outs))
    md_out = dict(output_type='display_data', data={'text/markdown': '| a |\n|---|'}, metadata={})
    err = dict(output_type='stream', name='stderr', text='warning!')
    nb = dict(cells=[cell('markdown', '# T\n> s\n\nsee [x](00_data.ipynb#top) and [y](https://a.b/c.ipynb)'),
                     cell('code', '#| hide\nsecret = 1'), cell('code', '#| default_exp x'),
                     cell('code', '#| echo: false\nshow()', [md_out, err]),
                     cell('code', 'x = 1\nx', [dict(output_type='execute_result', data={'text/plain': '1'}, metadata={})])])
    out = readme_text(nb)
    assert 'secret' not in out and 'default_exp' not in out and 'show()' not in out and 'warning!' not in out
    assert '| a |\n|---|' in out and '```python\nx = 1\nx\n```\n\n```\n1\n```' in out
    assert '[x](nbs/00_data.ipynb#top)' in out and '[y](https://a.b/c.ipynb)' in out

@pytest.mark.slow
def test_index_alone_gives_the_committed_readme(tmp_path):
    "nbs/index.ipynb run alone in an empty folder (as on Colab) shows both tables, and gives the README that is committed."
    import nbformat
    from nbclient import NotebookClient
    shutil.copy(INDEX, tmp_path/'index.ipynb')
    nb = nbformat.read(tmp_path/'index.ipynb', as_version=4)
    NotebookClient(nb, timeout=300, resources={'metadata': {'path': str(tmp_path)}}).execute()
    got = readme_text(json.loads(nbformat.writes(nb)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ['index.ipynb'], 'the landing page wrote files next to itself'
    assert README.read_text(encoding='utf-8') == got, f'nbs/index.ipynb is stale (mnist_sgd/results.json changed?): {FIX}'
