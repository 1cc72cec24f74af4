"""The offline docs (tools/render_site.py), rendered from nbs/ (whose notebooks carry their outputs) into a tmp dir:
the sidebar is the Quarto site's (nbs/sidebar.yml, same pages in the same order), pages are named as nbdev names
them, every link, anchor and image resolves, nothing is fetched from the internet, hidden cells stay hidden,
callouts render as Quarto renders them; then in headless Chromium served from 127.0.0.1: screenshots of the
landing page and a lesson at desktop and phone widths (into _build/site/screenshots/), and a pagefind search
for `mnist_loss` that finds the linear-model lesson."""
import base64, configparser, re, shutil, sys
from pathlib import Path
from urllib.parse import urlsplit, unquote
import pytest, yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
sys.path.insert(0, str(ROOT/'tools'))
from render_site import render_site, find_chromium, serve, dump_dom, screenshot, page_name, CFG

SHOTS = ROOT/'_build'/'site'/'screenshots'
try: import pagefind  # noqa: F401
except ImportError: pagefind = None

def is_local(url): return not (urlsplit(url).scheme or url.startswith(('//', 'mailto:')))

def data_uri_bytes(src):
    "The bytes of a base64 data: URI."
    head, _, payload = src.partition(',')
    assert ';base64' in head, f'image data URI is not base64: {head}'
    return base64.b64decode(payload)

def soup(path): return BeautifulSoup(Path(path).read_text(encoding='utf-8'), 'html.parser')

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')/'site'
    render_site(NBS, out, quiet=True)
    return out

def pages(site): return sorted(site.glob('*.html'))

def quarto_sidebar():
    "(section, notebook) in the order of nbs/sidebar.yml, the file Quarto's sidebar is made from."
    items = yaml.safe_load((NBS/'sidebar.yml').read_text())['website']['sidebar']['contents']
    out = []
    for it in items:
        if isinstance(it, str): out.append((None, it))
        else: out += [(it['section'], f) for f in it['contents']]
    return out

def site_sidebar(page):
    "(section, page) in the order of a rendered page's sidebar."
    out = []
    for a in soup(page).select('nav.sidebar a'):
        sec = a.find_parent('li', class_='sidebar-section')
        out.append((sec.find('span').get_text(strip=True) if sec else None, a['href']))
    return out

# --- the sidebar: the Quarto site's, in course order ----------------------------------------------------------

def test_sidebar_yml_lists_every_notebook_once_in_course_order():
    nbs = [f for _, f in quarto_sidebar()]
    assert len(nbs) == len(set(nbs)), f'a notebook is listed twice in nbs/sidebar.yml: {nbs}'
    have = sorted(p.name for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))
    assert sorted(nbs) == have, f'nbs/sidebar.yml must list every notebook: missing {sorted(set(have)-set(nbs))}, ' \
                                f'unknown {sorted(set(nbs)-set(have))}'
    assert nbs[0] == 'index.ipynb', 'the landing page comes first'
    lessons = [f for sec, f in quarto_sidebar() if sec is None and f != 'index.ipynb']
    assert lessons == sorted(lessons), 'the lessons are listed in course order'

def test_quarto_reads_the_same_sidebar():
    q = yaml.safe_load((NBS/'_quarto.yml').read_text())
    assert 'sidebar.yml' in q.get('metadata-files', []), '_quarto.yml must read nbs/sidebar.yml'
    ini = configparser.ConfigParser(); ini.read(ROOT/'settings.ini')
    assert ini['DEFAULT'].get('custom_sidebar', 'False').strip().lower() == 'true', \
        'settings.ini needs custom_sidebar = True, or nbdev_docs rewrites nbs/sidebar.yml in file-name order'

def test_offline_sidebar_is_the_quarto_sidebar(site):
    want = [(sec, page_name(f)+'.html') for sec, f in quarto_sidebar()]
    for page in pages(site):
        assert site_sidebar(page) == want, f'{page.name}: the sidebar differs from nbs/sidebar.yml'

def test_pages_are_named_as_nbdev_names_them(site):
    want = {page_name(p.name)+'.html' for p in NBS.glob('*.ipynb') if not p.name.startswith('_')} | {'search.html'}
    assert {p.name for p in pages(site)} == want
    assert page_name('03_linear.ipynb') == 'linear' and page_name('index.ipynb') == 'index'
    assert page_name('90_questionnaire.ipynb') == 'questionnaire'

def test_previous_and_next_follow_the_sidebar(site):
    seq = [page_name(f)+'.html' for _, f in quarto_sidebar()]
    for i, name in enumerate(seq):
        s = soup(site/name)
        prev, nxt = s.select_one('nav.pager a[rel=prev]'), s.select_one('nav.pager a[rel=next]')
        assert (prev['href'] if prev else None) == (seq[i-1] if i else None), f'{name}: wrong previous link'
        assert (nxt['href'] if nxt else None) == (seq[i+1] if i+1 < len(seq) else None), f'{name}: wrong next link'

def test_each_lesson_has_a_table_of_contents(site):
    for name in ('baseline', 'sgd', 'linear', 'learner'):
        s = soup(site/f'{name}.html')
        heads = [h['id'] for h in s.select('article h2, article h3') if not h.find_parent(class_='callout')]
        toc = [a['href'] for a in s.select('aside.toc a')]
        assert heads and toc == ['#'+h for h in heads], f'{name}.html: the table of contents does not list its headings'

# --- links, images, hidden cells ------------------------------------------------------------------------------

def test_links_anchors_and_images_resolve_offline(site):
    ids = {p.name: {t['id'] for t in soup(p).find_all(id=True)} for p in pages(site)}
    n_plots = 0
    for page in pages(site):
        s = soup(page)
        assert s.title and s.title.get_text(strip=True), f'{page.name} has no title'
        for t in s.find_all(['script', 'link']):
            url = t.get('src') or t.get('href') or ''
            assert not url or is_local(url) or url.startswith('data:'), f'{page.name} loads {url} from the internet'
        for a in s.find_all('a', href=True):
            href = a['href']
            assert not href.startswith(CFG['site_url']), f'{page.name}: a link to the docs site that is no page here: {href}'
            if not is_local(href): continue
            u = urlsplit(href)
            path = unquote(u.path) or page.name
            assert not path.endswith('.ipynb'), f'{page.name}: link {href}: no such notebook in nbs/ (link pages by their docs-site URL)'
            assert (site/path).is_file(), f'{page.name}: broken link {href}'
            if u.fragment and path in ids: assert u.fragment in ids[path], f'{page.name}: no #{u.fragment} in {path}'
        for img in s.find_all('img'):
            src = img.get('src') or ''
            if not src and img.find_parent(class_='animation'): continue   # matplotlib's animation: its JS sets the frames
            assert is_local(src) or src.startswith('data:'), f'{page.name}: remote image {src[:80]}'
            if src.startswith('data:'):
                b = data_uri_bytes(src)
                assert len(b) > 100 and (b[:8] == b'\x89PNG\r\n\x1a\n' or b[:2] == b'\xff\xd8' or b'<svg' in b[:500]), \
                    f'{page.name}: an image is empty or not an image'
                n_plots += 1
            else: assert (site/unquote(src)).is_file() and (site/unquote(src)).stat().st_size > 0, f'{page.name}: missing image {src}'
        text = page.read_text(encoding='utf-8')
        assert 'google.colab' not in text, f'{page.name} shows the hidden Colab cell'
        for code in s.select('.jp-InputArea-editor'):     # the code shown (prose may quote a directive)
            d = [l for l in code.get_text().splitlines() if re.match(r'\s*#\s*\|', l)]
            assert not d, f'{page.name} shows nbdev directives {d} in: {code.get_text()[:300]}'
        assert ':::' not in s.get_text(), f'{page.name} shows a callout fence as text'
        assert '{target=' not in s.get_text(), f"{page.name} shows Quarto's link attributes as text"

    assert n_plots >= 3, "expected the notebooks' plots as inline images"

def test_landing_page_has_the_course(site):
    s = soup(site/'index.html')
    assert s.find('table') and 'Open in Colab' in s.get_text()

# --- cells and callouts as nbdev/Quarto show them (a small made-up site) ----------------------------------------

def _made_up_site(tmp_path):
    import nbformat as nbf
    nbs = tmp_path/'nbs'; nbs.mkdir()
    (nbs/'sidebar.yml').write_text('website:\n  sidebar:\n    contents:\n      - index.ipynb\n      - 03_linear.ipynb\n')
    md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
    out = lambda text: [nbf.v4.new_output('stream', name='stdout', text=text)]
    nb = nbf.v4.new_notebook(cells=[
        md('# Linear\n> A subtitle'),
        md(f'## Main line\nSee [the loss]({CFG["site_url"]}index.html#home), [home](index.ipynb) and [the site]({CFG["site_url"]}).'),
        code('#| export\ndef mnist_loss(p, t): return p'),
        md('::: {.callout-note collapse="true"}\n## Going further: why `lr` 10 freezes\nSome *prose*.\n\n- a list\n:::'),
        code('print("folded " + "x"*300)', outputs=out('folded out\n')),
        code('#| hide\nsecret_cell = 1'),
        code('also_folded = 2'),
        md('::: {.callout-tip}\n## Where we differ from the book\nWe check inputs.\n:::\n\nAfter the tip.'),
        code('#| echo: false\nprint_only_output = 1', outputs=out('only the output\n')),
        code('#| output: false\nonly_the_code = 1', outputs=out('no output shown\n')),
        md('### A subsection')])
    nbf.write(nb, nbs/'03_linear.ipynb')
    nbf.write(nbf.v4.new_notebook(cells=[md('# Home')]), nbs/'index.ipynb')
    render_site(nbs, tmp_path/'site', nbs=nbs, quiet=True, search=False)
    return tmp_path/'site'

def test_cells_and_callouts_render_as_on_the_quarto_site(tmp_path):
    site = _made_up_site(tmp_path)
    s = soup(site/'linear.html')
    art = s.find('article')
    text = art.get_text()
    det = art.find('details', class_='callout-note')
    assert det is not None and not det.has_attr('open'), 'a collapse="true" callout is a closed <details>'
    assert det.summary.get_text() == 'Going further: why lr 10 freezes' and det.summary.code
    assert 'Some prose.' in det.get_text() and det.find('li')
    assert 'folded out' in det.get_text() and 'also_folded' in det.get_text(), 'the code cells after it are folded in'
    tip = art.find('div', class_='callout-tip')
    assert tip.find(class_='callout-title').get_text() == 'Where we differ from the book' and 'We check inputs.' in tip.get_text()
    assert 'After the tip.' in text and 'After the tip.' not in tip.get_text()
    assert 'secret_cell' not in text and '#|' not in text and 'def mnist_loss' in text
    assert 'only the output' in text and 'print_only_output' not in text
    assert 'only_the_code' in text and 'no output shown' not in text
    hrefs = [a['href'] for a in art.find_all('a') if not a.find_parent(class_='toc-mobile')]
    assert hrefs == ['index.html#home', 'index.html', 'index.html'], hrefs
    assert [a['href'] for a in s.select('aside.toc a')] == ['#main-line', '#a-subsection']
    assert s.select_one('nav.pager a[rel=prev]')['href'] == 'index.html' and not s.select_one('nav.pager a[rel=next]')

# --- in headless Chromium -------------------------------------------------------------------------------------

chromium_only = pytest.mark.skipif(find_chromium() is None, reason='no chromium: apt-get install -y chromium')

@pytest.mark.slow
@chromium_only
def test_screenshots_desktop_and_phone(site):
    "The landing page and the linear-model lesson at 1280 and 390 px wide, into _build/site/screenshots/."
    import numpy as np
    from PIL import Image
    with serve(site) as (base, log):
        for page in ('index', 'linear'):
            dom = BeautifulSoup(dump_dom(base+f'{page}.html'), 'html.parser')
            assert dom.select('nav.sidebar a') and dom.find('article'), f'{page}.html did not load in chromium'
            for label, (w, h) in {'desktop': (1280, 1600), 'phone': (390, 1200)}.items():
                shot = screenshot(base+f'{page}.html', SHOTS/f'{page}-{label}.png', f'{w},{h}')
                im = Image.open(shot).convert('L')
                assert im.size == (w, h), f'{shot}: {im.size}'
                assert len(np.unique(np.asarray(im.resize((w//20, h//20))))) > 10, f'{shot} is blank'
        bad = [(m, p, st) for m, p, st in log if st >= 400]
        assert not bad, f'requests that failed: {bad}'

@pytest.mark.slow
@chromium_only
@pytest.mark.skipif(pagefind is None, reason='no pagefind: pip install "pagefind[bin]"')
def test_search_for_mnist_loss_finds_the_linear_lesson(site):
    "search.html?q=mnist_loss runs pagefind's search in the page; Chromium's DOM then lists the hits."
    assert (site/'pagefind'/'pagefind.js').is_file(), 'no search index was built'
    with serve(site) as (base, log):
        for budget in (10_000, 30_000):                  # virtual time: the search is async (fetch + wasm)
            res = BeautifulSoup(dump_dom(base+'search.html?q=mnist_loss', budget), 'html.parser').find(id='search-results')
            if res.get('data-state') == 'done': break
        assert res.get('data-state') == 'done' and res.get('data-query') == 'mnist_loss', f'the search did not finish: {res}'
        hits = [a['href'].split('#')[0] for a in res.select('a.search-hit')]
        assert 'linear.html' in hits[:3], f'searching mnist_loss: {hits}'
        screenshot(base+'search.html?q=mnist_loss', SHOTS/'search-desktop.png', '1280,1000')
        bad = [(m, p, st) for m, p, st in log if st >= 400]
        assert not bad, f'requests that failed: {bad}'

# --- the Colab badge and install cell (tools/colab.py) ---------------------------------------------------

import json
from colab import add_colab, dumps, install_source

def test_colab_cells_are_inserted_once(tmp_path):
    cell = lambda kind, src: dict(cell_type=kind, id='x', metadata={}, source=src, **({'outputs': [], 'execution_count': None} if kind == 'code' else {}))
    nb = dict(cells=[cell('markdown', '# T\n> sub'), cell('code', '#| default_exp t'), cell('markdown', 'text')],
              metadata={}, nbformat=4, nbformat_minor=5)
    once = dumps(add_colab(json.loads(dumps(nb)), 'nbs/t.ipynb'))
    twice = dumps(add_colab(json.loads(once), 'nbs/t.ipynb'))
    assert once == twice, 'running tools/colab.py twice changed the notebook'
    cells = json.loads(once)['cells']
    assert ''.join(cells[0]['source']) == '# T\n> sub', 'the title cell must stay first (nbdev reads it)'
    assert 'colab.research.google.com/github/mnist-sgd/mnist_sgd/blob/main/nbs/t.ipynb' in ''.join(cells[1]['source'])
    assert ''.join(cells[2]['source']) == install_source(nb) and ''.join(cells[3]['source']) == '#| default_exp t'

def test_install_cell_acts_on_colab_only(monkeypatch):
    import subprocess, types, mnist_sgd.core
    calls = []
    monkeypatch.setattr(subprocess, 'run', lambda cmd, **kw: calls.append(cmd))
    monkeypatch.setattr(mnist_sgd.core, 'course_setup', lambda *a, **kw: None)
    INSTALL = install_source({'cells': []})
    monkeypatch.delitem(sys.modules, 'google.colab', raising=False)
    exec(INSTALL, {})
    assert calls == [], 'the install cell must do nothing outside Colab'
    monkeypatch.setitem(sys.modules, 'google.colab', types.ModuleType('google.colab'))
    exec(INSTALL, {})
    assert len(calls) == 1 and 'git+https://github.com/mnist-sgd/mnist_sgd' in calls[0] and 'pip' in calls[0]
    assert 'drive.mount' not in INSTALL and 'import drive' not in INSTALL, 'no Google Drive access (fastbook #546)'
    assert not any(a.startswith(('nbdev', 'fastcore', 'execnb', 'fastai', 'torch')) for a in calls[0]), 'the cell pins nothing'
    uses_nbdev = install_source({'cells': [dict(cell_type='code', source='from nbdev.showdoc import show_doc')]})
    assert "'nbdev']" in uses_nbdev and 'nbdev<' not in uses_nbdev and 'nbdev=' not in uses_nbdev

@pytest.mark.parametrize('nb', sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb')))
def test_every_notebook_has_the_colab_cells(nb):
    f = ROOT/'nbs'/nb
    text = f.read_text(encoding='utf-8')
    want = dumps(add_colab(json.loads(text), f'nbs/{nb}'))
    assert text == want, f'nbs/{nb} lacks the Colab badge/install cell or has an old one: run `python tools/colab.py nbs/{nb}`'
