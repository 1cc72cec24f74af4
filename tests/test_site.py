"""The offline docs (tools/render_site.py): rendered from nbs/ (whose notebooks carry their outputs) into a tmp dir,
then checked as files and in headless Chromium served from 127.0.0.1: every page loads, every local link
resolves, every image is there and non-empty, hidden cells stay hidden, nothing is fetched from the internet."""
import base64, re, sys, urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, unquote
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from render_site import render_site, find_chromium, serve, dump_dom, screenshot

class Refs(HTMLParser):
    "The links, images, scripts and title of a page."
    def __init__(self, text):
        super().__init__(); self.links, self.imgs, self.scripts, self.title, self._in_title = [], [], [], '', False
        self.feed(text)
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'a' and a.get('href'): self.links.append(a['href'])
        if tag == 'img': self.imgs.append(a.get('src') or '')
        if tag in ('script', 'link') and (a.get('src') or a.get('href')): self.scripts.append(a.get('src') or a.get('href'))
        self._in_title = tag == 'title'
    def handle_endtag(self, tag): self._in_title = False
    def handle_data(self, data):
        if self._in_title: self.title += data

def is_local(url): return not (urlsplit(url).scheme or url.startswith(('//', '#', 'mailto:')))

def data_uri_bytes(src):
    "The bytes of a base64 data: URI."
    head, _, payload = src.partition(',')
    assert ';base64' in head, f'image data URI is not base64: {head}'
    return base64.b64decode(payload)

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')/'site'
    render_site(ROOT/'nbs', out, quiet=True)
    return out

def pages(site): return sorted(site.glob('*.html'))

def test_every_notebook_has_a_page_linked_from_the_landing_page(site):
    want = {('index' if p.name == 'index.ipynb' else p.stem)+'.html' for p in (ROOT/'nbs').glob('*.ipynb')}
    assert 'index.html' in want, 'nbs/index.ipynb (the landing page) is missing'
    assert {p.name for p in pages(site)} == want
    linked = {unquote(urlsplit(h).path) for h in Refs((site/'index.html').read_text()).links if is_local(h)}
    assert want - {'index.html'} <= linked, f'the landing page does not link {sorted(want - linked - {"index.html"})}'

def test_pages_are_offline_with_local_links_and_images(site):
    n_plots = 0
    for page in pages(site):
        text = page.read_text(encoding='utf-8')
        refs = Refs(text)
        assert refs.title.strip(), f'{page.name} has no title'
        assert not [s for s in refs.scripts if not (is_local(s) or s.startswith('data:'))], f'{page.name} loads scripts/styles from the internet'
        for href in refs.links:
            if not is_local(href): continue
            path = unquote(urlsplit(href).path)
            assert not path.endswith('.ipynb'), f'{page.name}: link {href} still points at a notebook'
            assert path and (site/path).is_file(), f'{page.name}: broken local link {href}'
        for src in refs.imgs:
            assert is_local(src) or src.startswith('data:'), f'{page.name}: remote image {src[:80]}'
            if src.startswith('data:'):
                b = data_uri_bytes(src)
                assert len(b) > 100 and (b[:8] == b'\x89PNG\r\n\x1a\n' or b[:2] == b'\xff\xd8' or b'<svg' in b[:500]), \
                    f'{page.name}: an image is empty or not an image'
                n_plots += 1
            else: assert (site/unquote(src)).is_file() and (site/unquote(src)).stat().st_size > 0, f'{page.name}: missing image {src}'
        # `#| hide` cells are dropped (the showdoc import, the Colab install cell), and no directive shows
        assert 'from nbdev.showdoc import' not in text and 'google.colab' not in text, f'{page.name} shows a hidden cell'
        assert not re.search(r'#\|\s*(hide|export|default_exp)', text), f'{page.name} shows an nbdev directive'
    assert n_plots >= 3, 'expected the notebooks\' plots as inline images'

def test_questionnaire_page_has_its_plots_and_the_korean_table(site):
    text = (site/'90_questionnaire.html').read_text(encoding='utf-8')
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', text)) >= 2, 'sigmoid and ReLU plots missing'
    for ko in ('역전파', '경사 하강법', '학습률', '미니배치', '순전파'): assert ko in text

def test_results_table_on_the_landing_page(site):
    text = (site/'index.html').read_text(encoding='utf-8')
    assert '<table' in text and 'accuracy 3s' in text and 'Open in Colab' in text

@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason='no chromium: apt-get install -y chromium')
def test_site_in_headless_chromium(site, tmp_path):
    "Each page in a real browser from a local server: loads, links and images resolve, no request fails."
    with serve(site) as (base, log):
        for page in pages(site):
            url = base + page.name
            dom = dump_dom(url)
            refs = Refs(dom)
            assert '<nav class="site-nav"' in dom and refs.title.strip(), f'{page.name} did not load in chromium'
            for href in {h for h in refs.links if is_local(h)}:
                with urllib.request.urlopen(urljoin(url, href.split('#')[0])) as r:
                    assert r.status == 200, f'{page.name}: {href} gives {r.status}'
            for src in refs.imgs:
                if src.startswith('data:'): assert len(data_uri_bytes(src)) > 100, f'{page.name}: empty image'
                else:
                    with urllib.request.urlopen(urljoin(url, src)) as r: assert len(r.read()) > 0, f'{page.name}: empty {src}'
        shot = screenshot(base + 'index.html', tmp_path/'index.png')
        bad = [(m, p, s) for m, p, s in log if s >= 400]
        assert not bad, f'requests that failed: {bad}'
    import numpy as np
    from PIL import Image
    im = Image.open(shot).convert('L')
    assert im.size == (1280, 1600) and len(np.unique(np.asarray(im.resize((64, 80))))) > 10, 'the landing page rendered blank'

# --- the Colab badge and install cell (tools/colab.py) ---------------------------------------------------

import json
from colab import add_colab, dumps, INSTALL

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
    assert ''.join(cells[2]['source']) == INSTALL and ''.join(cells[3]['source']) == '#| default_exp t'

def test_install_cell_acts_on_colab_only(monkeypatch):
    import subprocess, types, mnist_sgd.data
    calls = []
    monkeypatch.setattr(subprocess, 'run', lambda cmd, **kw: calls.append(cmd))
    monkeypatch.setattr(mnist_sgd.data, 'mnist_sample_path', lambda: 'stub')
    monkeypatch.delitem(sys.modules, 'google.colab', raising=False)
    exec(INSTALL, {})
    assert calls == [], 'the install cell must do nothing outside Colab'
    monkeypatch.setitem(sys.modules, 'google.colab', types.ModuleType('google.colab'))
    exec(INSTALL, {})
    assert len(calls) == 1 and 'git+https://github.com/mnist-sgd/mnist_sgd' in calls[0] and 'pip' in calls[0]
    assert 'drive.mount' not in INSTALL and 'import drive' not in INSTALL, 'no Google Drive access (fastbook #546)'

@pytest.mark.parametrize('nb', sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb')))
def test_every_notebook_has_the_colab_cells(nb):
    f = ROOT/'nbs'/nb
    text = f.read_text(encoding='utf-8')
    want = dumps(add_colab(json.loads(text), f'nbs/{nb}'))
    assert text == want, f'nbs/{nb} lacks the Colab badge/install cell or has an old one: run `python tools/colab.py nbs/{nb}`'
