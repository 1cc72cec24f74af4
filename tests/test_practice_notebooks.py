"""The exercises as the notebooks and the site show them: each lesson's hint fold says what `hint()` says, no
notebook or page shows a solution, and the questionnaire's answer cells stay folded until the learner opens them, in
Jupyter (its collapse metadata) and on the site (myst-nb's `hide-cell`). Reads the checkout's notebooks (marked `repo`)."""
import json, re, shutil
from pathlib import Path
import pytest
from mnist_sgd.practice import LESSONS

NBS = Path(__file__).resolve().parents[1]/'nbs'
FOLD = re.compile(r'<details><summary>Hint</summary>\s*(.*?)\s*</details>', re.S)
ANSWER = '<summary>Answer</summary>'

def cells(nb:str)->list: return json.loads((NBS/f'{nb}.ipynb').read_text())['cells']
def src(c)->str: return ''.join(c['source'])
def _norm(s:str)->str: return ' '.join(s.split())

def test_hint_folds_say_what_hint_says():
    "The hint in each exercise's fold is the one `ex.qN.hint()` prints: one text, in `mnist_sgd.practice`."
    seen = 0
    for nb, lesson in LESSONS.items():
        if nb.startswith('90'): continue   # the questionnaire asks with `qz.qN.hint()`, without a fold
        cs = cells(nb)
        for i, c in enumerate(cs):
            m = re.search(r'\bex\.q(\d+)\.check\(', src(c))
            if c['cell_type'] != 'code' or not m: continue
            fold = FOLD.search(src(cs[i-1]))
            assert fold, f'{nb}: exercise {m.group(1)} has no hint fold above it'
            assert _norm(fold.group(1)) == _norm(getattr(lesson, f'q{m.group(1)}')._hint), f'{nb} q{m.group(1)}: the fold and hint() differ'
            seen += 1
    assert seen == sum(len(l) for nb, l in LESSONS.items() if not nb.startswith('90')) == 25

def _shown(c)->bool: return not re.match(r'\s*#\|\s*hide', src(c))

def test_no_notebook_shows_a_solution():
    "No published notebook calls `solution()` or shows its output, and the checker's page holds no solution's code."
    sols = [_norm(q._solution) for lesson in LESSONS.values() for q in lesson]
    for f in sorted(NBS.glob('*.ipynb')):
        for c in json.loads(f.read_text())['cells']:
            if not _shown(c): continue
            calls = [l for l in src(c).splitlines() if '.solution()' in l.split('#')[0]] if c['cell_type'] == 'code' else []
            assert not calls, f'{f.name} calls solution(): {calls}'
            outs = ''.join(''.join(o.get('text', '')) + json.dumps(o.get('data', {})) for o in c.get('outputs', []))
            assert 'Solution:' not in outs, f'{f.name} shows a solution in an output'
            if f.stem == '98_practice': assert not [x for x in sols if x in _norm(src(c))], f'98_practice shows a solution'

def answer_cells(cs:list)->list:
    "The code cells that run an answer of the questionnaire: those after an Answer fold, but the exercises' own cells."
    out, after = [], False
    for c in cs:
        if c['cell_type'] == 'markdown': after = ANSWER in src(c); continue
        if after and _shown(c) and '.check(' not in src(c): out.append(c)
    return out

def test_questionnaire_answer_cells_fold():
    cs = answer_cells(cells('90_questionnaire'))
    assert len(cs) >= 20
    for c in cs:
        assert 'hide-cell' in c['metadata'].get('tags', []), src(c)[:80]
        assert c['metadata'].get('jupyter') == {'source_hidden': True, 'outputs_hidden': True}, src(c)[:80]

def test_site_folds_the_answers(tmp_path):
    "Built by the site's own tool, every answer cell of the questionnaire's page sits in a closed fold."
    bs4 = pytest.importorskip('bs4')
    from tools.site import build
    src_dir = tmp_path/'nbs'; src_dir.mkdir()
    for nb in ('index', '90_questionnaire'): shutil.copy(NBS/f'{nb}.ipynb', src_dir)
    out = build(src_dir, tmp_path/'site', quiet=True)
    page = bs4.BeautifulSoup((out/'questionnaire.html').read_text(), 'html.parser')
    hidden = page.select('div.cell.tag_hide-cell')
    assert len(hidden) == len(answer_cells(cells('90_questionnaire')))
    for c in hidden:
        fold = c.find('details')
        assert fold is not None and not fold.has_attr('open') and c.find('div', class_='cell_input') in fold.find_all('div', class_='cell_input')
