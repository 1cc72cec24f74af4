"README.md is generated from nbs/index.ipynb (tools/make_readme.py): it must not drift from the notebook."
import json, re, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from make_readme import readme_text, INDEX, README

FIX = 'run `python tools/make_readme.py` (or `--execute` to re-run nbs/index.ipynb first) and commit README.md'

def test_readme_is_generated_from_index():
    want = readme_text(json.loads(INDEX.read_text(encoding='utf-8')))
    assert README.read_text(encoding='utf-8') == want, f'README.md differs from nbs/index.ipynb: {FIX}'

def test_readme_keeps_the_essentials():
    md = README.read_text(encoding='utf-8')
    for s in ('bash scripts/course', 'bash scripts/test', '## The course', '## Data', '## Developing',
              '| stage | metric | book | ours | seconds |', 'colab-badge.svg'):
        assert s in md, f'README.md lost {s!r}'
    assert not re.search(r'^#\s*\|', md, re.M), 'a directive leaked into README.md'

def test_readme_local_links_resolve():
    md = README.read_text(encoding='utf-8')
    for link in re.findall(r'\]\(([^)\s]+)\)', md):
        if re.match(r'https?:|#|mailto:', link): continue
        assert (ROOT/link.split('#')[0]).exists(), f'README.md links to {link}, which does not exist'

def test_results_table_comes_from_results_json():
    from mnist_sgd.cli import results_table
    recs = json.loads((ROOT/'nbs'/'results.json').read_text())
    assert {'stage', 'metric', 'value', 'book', 'seconds'} <= set(recs[0])
    md = README.read_text(encoding='utf-8')
    for r in recs:
        row = results_table([r]).splitlines()[-1]  # the row as `mnist_sgd reproduce` prints it
        assert row in md, f"{row} from nbs/results.json is not in README.md: {FIX}"

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
def test_index_outputs_are_current(tmp_path):
    "Executing nbs/index.ipynb now (results.json, notebook titles) gives the README that is committed."
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(INDEX, as_version=4)
    NotebookClient(nb, timeout=300, resources={'metadata': {'path': str(INDEX.parent)}}).execute()
    got = readme_text(json.loads(nbformat.writes(nb)))
    assert README.read_text(encoding='utf-8') == got, f'nbs/index.ipynb is stale (results.json or the notebooks changed): {FIX}'
