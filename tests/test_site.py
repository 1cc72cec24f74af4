"""The docs site (tools/site.py: Sphinx + myst-nb + sphinx-book-theme), the one the deploy job publishes: built once
per session from `_build/nbs` when the course's executed notebooks there are fresh, else from nbs/ (whose notebooks
carry their outputs). nbdev's directives become myst-nb's tags; the sidebar follows the file names; in headless
Chromium, served over HTTP from a temp copy: search finds the lesson, every internal link resolves, no raw `:::` or
`#|` shows, a fold opens, code is never cut off. Also the Colab badge and install cell (tools/colab.py)."""
import contextlib, fcntl, functools, http.server, json, os, re, select, shutil, subprocess, threading, time
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen
import pytest
from bs4 import BeautifulSoup
from tools import site as S

ROOT = Path(__file__).resolve().parents[1]
NBS, BUILT = ROOT/'nbs', ROOT/'_build'/'nbs'

def fresh(built:Path=BUILT, nbs:Path=NBS)->bool:
    "The course's executed notebooks are there, one for each notebook of nbs/, none older than its source."
    srcs = [p for p in nbs.glob('*.ipynb') if not p.name.startswith(('_', '.'))]
    return all((built/p.name).exists() and (built/p.name).stat().st_mtime >= p.stat().st_mtime for p in srcs)

@pytest.fixture(scope='session')
def site(tmp_path_factory):
    return S.build(BUILT if fresh() else NBS, tmp_path_factory.mktemp('docs')/'site', quiet=True)

def soup(path): return BeautifulSoup(Path(path).read_text(encoding='utf-8'), 'html.parser')
def pages(site): return sorted(p for p in site.glob('*.html') if p.name not in ('genindex.html', 'search.html'))

# --- the preprocessing: nbdev's directives -> myst-nb -------------------------------------------------------------

CFG = S.settings()
def cell(kind, src, outs=(), **kw):
    c = dict(cell_type=kind, id=f'c{abs(hash(src)) % 10**8}', metadata={}, source=src, **kw)
    if kind == 'code': c.update(outputs=list(outs), execution_count=None)
    return c
out = lambda text: dict(output_type='stream', name='stdout', text=text)

def made_up_nb():
    return dict(nbformat=4, nbformat_minor=5, metadata={}, cells=[
        cell('markdown', '# Linear\n> A *subtitle*'),
        cell('code', '#| default_exp linear'),
        cell('code', '#| hide\nsecret_cell = 1', [out('secret out')]),
        cell('code', '#| export\ndef mnist_loss(p, t):\n    "The loss."\n    return p'),
        cell('code', '#| slow\n#| eval: false\nslow_cell = 1\nx = 2 #| hide_line'),
        cell('code', '#| echo: false\nprint_only_output = 1', [out('only the output\n')]),
        cell('code', '#| output: false\nonly_the_code = 1', [out('no output shown\n')]),
        cell('code', '#| include: false\nnot_included = 1'),
        cell('markdown', f'See [the loss]({CFG["site_url"]}linear.html#main-line), [home](index.ipynb) and [x](https://a.b/c.html).'),
        cell('markdown', '::: {.callout-note collapse="true"}\n## Going further: why `lr` 10 freezes\nSome *prose*.\n\n- a list\n:::'),
        cell('markdown', '::: {.callout-tip}\n## Where we differ\nWe check inputs.\n:::\n\nAfter the tip.'),
        cell('markdown', '<details><summary>A fold</summary>\n\nSome **markdown** inside.\n\n</details>'),
        cell('markdown', '## Main line')])

def test_prepare_turns_directives_into_tags():
    pages = {'index.ipynb': 'index', '03_linear.ipynb': 'linear'}
    nb = S.prepare(made_up_nb(), pages, CFG)
    cells = nb['cells']
    src = lambda c: ''.join(c['source'])
    code = {src(c).split('\n')[0]: c for c in cells if c['cell_type'] == 'code'}
    text = json.dumps(nb)
    assert 'secret' not in text and 'default_exp' not in text and 'not_included' not in text and '#|' not in text
    assert src(code['def mnist_loss(p, t):']).startswith('def mnist_loss'), 'export cells show their source'
    md = [src(c) for c in cells if c['cell_type'] == 'markdown']
    assert len([m for m in md if '### mnist_loss' in m]) == 1, "nbdev's show_doc after an export, its markdown as is"
    assert '{target=' not in text and 'show_doc(' not in text
    assert src(code['slow_cell = 1']) == 'slow_cell = 1', '#| slow and hide_line lines are stripped'
    assert code['print_only_output = 1']['metadata']['tags'] == ['remove-input']
    assert code['only_the_code = 1']['metadata']['tags'] == ['remove-output']
    md = [m for m in md if '### mnist_loss' not in m]
    assert md[0] == '# Linear\n\n{.lead}\nA *subtitle*', "nbdev's frontmatter as a title and a lead"
    assert '(project:linear.ipynb#main-line)' in md[1] and '(project:index.ipynb)' in md[1] and '(https://a.b/c.html)' in md[1]
    assert md[2].startswith('<details class="callout-note"><summary>Going further: why <code>lr</code> 10 freezes</summary>\n\n')
    assert md[2].endswith('- a list\n\n</details>') and ':::' not in md[2]
    assert md[3] == ':::{admonition} Where we differ\n:class: tip\nWe check inputs.\n:::\n\nAfter the tip.'

def test_order_comes_from_file_names(tmp_path):
    for n in ('index', '99_api', '01_baseline', '98_practice', '90_questionnaire', '07_scratch', '_private'):
        (tmp_path/f'{n}.ipynb').write_text('{}')
    order = S.course_order(tmp_path)
    assert [p.stem for p in order] == ['index', '01_baseline', '07_scratch', '90_questionnaire', '98_practice', '99_api']
    assert [(c, [p.stem for p in ps]) for c, ps in S.sections(order)] == \
        [('Course', ['01_baseline', '07_scratch']), ('Appendices', ['90_questionnaire', '98_practice', '99_api'])]
    assert S.page_name('03_linear.ipynb') == 'linear' and S.page_name('index.ipynb') == 'index'

def test_made_up_site_renders_folds_callouts_and_links(tmp_path):
    (tmp_path/'nbs').mkdir()
    (tmp_path/'nbs'/'03_linear.ipynb').write_text(json.dumps(made_up_nb()))
    (tmp_path/'nbs'/'index.ipynb').write_text(json.dumps(dict(nbformat=4, nbformat_minor=5, metadata={},
                                                                cells=[cell('markdown', '# Home\n> The landing page')])))
    s = soup(S.build(tmp_path/'nbs', tmp_path/'site', quiet=True, show_docs=False)/'linear.html')
    art = s.select_one('article')
    folds = art.find_all('details')
    assert [d.summary.get_text() for d in folds] == ['Going further: why lr 10 freezes', 'A fold']
    assert folds[0].find('em').get_text() == 'prose' and folds[0].find('li'), 'markdown inside a converted callout'
    assert folds[1].find('strong').get_text() == 'markdown', 'markdown inside a <details> block'
    tip = art.select_one('div.admonition.tip')
    assert tip.select_one('.admonition-title').get_text() == 'Where we differ' and 'After the tip.' not in tip.get_text()
    assert ':::' not in art.get_text() and '#|' not in art.get_text() and 'secret' not in art.get_text()
    hrefs = [a['href'] for a in art.select('p a')]
    assert hrefs[:3] == ['#main-line', 'index.html', 'https://a.b/c.html'], hrefs

# --- the real site: pages, sidebar, ToC, prev/next, Colab ----------------------------------------------------------

def test_pages_are_named_as_nbdev_names_them(site):
    want = {S.page_name(p.name)+'.html' for p in S.course_order(NBS)}
    assert {p.name for p in pages(site)} == want

def test_sidebar_follows_the_file_names_and_prev_next_follow_the_sidebar(site):
    order = S.course_order(NBS)
    seq = [S.page_name(p.name)+'.html' for p in order]
    for i, name in enumerate(seq):
        s = soup(site/name)
        side = [a['href'].split('#')[0] or name for a in s.select('nav.bd-docs-nav a.reference')]
        assert side == seq, f'{name}: the sidebar is not in the course order'
        assert [c.get_text(strip=True) for c in s.select('nav.bd-docs-nav p.caption')] == [c for c, _ in S.sections(order)]
        prev, nxt = s.select_one('a.left-prev'), s.select_one('a.right-next')
        assert (prev['href'] if prev else None) == (seq[i-1] if i else None), f'{name}: wrong previous link'
        assert (nxt['href'] if nxt else None) == (seq[i+1] if i+1 < len(seq) else None), f'{name}: wrong next link'

def test_each_lesson_has_a_toc_and_a_colab_button(site):
    colab = 'https://colab.research.google.com/github/mnist-sgd/mnist_sgd/blob/main/nbs/'
    for p in S.course_order(NBS):
        s = soup(site/f'{S.page_name(p.name)}.html')
        heads = ['#'+sec['id'] for sec in s.select('article section section')]
        toc = [a['href'] for a in s.select('nav#pst-page-toc-nav a')]
        assert toc and set(toc) <= set(heads), f'{p.name}: the table of contents does not list its headings'
        assert s.select(f'.dropdown-launch-buttons a[href="{colab}{p.name}"]'), f'{p.name}: no Colab launch button'

# --- in headless Chromium -------------------------------------------------------------------------------------

def find_chromium():
    return next(filter(None, map(shutil.which, ('chromium', 'chromium-browser', 'google-chrome'))), None)

chromium_only = pytest.mark.skipif(find_chromium() is None, reason='no chromium: apt-get install -y chromium')

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

@contextlib.contextmanager
def serve(folder:Path):
    "Serve `folder` on 127.0.0.1 (a free port) while in the block; yields the base URL."
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try: yield f'http://127.0.0.1:{httpd.server_address[1]}/'
    finally: httpd.shutdown(); httpd.server_close()

class Browser:
    "Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: it reads fd 3, writes fd 4)."
    def __init__(self, exe, profile:Path):
        (r_in, self.w), (self.r, w_out) = os.pipe(), os.pipe()
        high = lambda fd: (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10), os.close(fd))[0]
        r_in, w_out = high(r_in), high(w_out)                # above 4, so that the redirections below can't clash
        args = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars',
                '--remote-debugging-pipe',
                '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', f'--user-data-dir={profile}']
        self.proc = subprocess.Popen(['bash', '-c', f'exec "$@" 3<&{r_in} 4>&{w_out}', 'bash', *args], pass_fds=(r_in, w_out),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r_in); os.close(w_out)
        self.n, self.buf, self.events = 0, b'', []
        tid = self.call('Target.createTarget', url='about:blank')['targetId']
        self.session = self.call('Target.attachToTarget', targetId=tid, flatten=True)['sessionId']
        self.size(1280, 1000)

    def call(self, method, timeout=60, session=True, **params):
        self.n += 1
        msg = dict(id=self.n, method=method, params=params, **({'sessionId': self.session} if session and hasattr(self, 'session') else {}))
        os.write(self.w, json.dumps(msg).encode() + b'\0')
        end = time.time() + timeout
        while True:
            while b'\0' not in self.buf:
                if not select.select([self.r], [], [], max(0, end - time.time()))[0]: raise TimeoutError(method)
                chunk = os.read(self.r, 1 << 20)
                if not chunk: raise RuntimeError('chromium closed the pipe')
                self.buf += chunk
            raw, self.buf = self.buf.split(b'\0', 1)
            m = json.loads(raw)
            if 'method' in m and m['method'].startswith('Network.'): self.events.append(m)
            if m.get('id') == self.n:
                if 'error' in m: raise RuntimeError(f'{method}: {m["error"]}')
                return m['result']

    def js(self, expr):
        r = self.call('Runtime.evaluate', expression=expr, awaitPromise=True, returnByValue=True)
        if 'exceptionDetails' in r: raise RuntimeError(f'{expr[:80]}: {r["exceptionDetails"]}')
        return r['result'].get('value')

    def size(self, w, h): self.call('Emulation.setDeviceMetricsOverride', width=w, height=h, deviceScaleFactor=1, mobile=w < 600)

    def open(self, url, timeout=30):
        self.call('Page.navigate', url=url)
        self.wait(f"document.readyState === 'complete' && location.href === {json.dumps(url)}", timeout)

    def wait(self, expr, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if v := self.js(expr): return v
            time.sleep(0.1)
        raise TimeoutError(expr)

    def click(self, selector):
        "A real mouse click in the middle of the first element matching `selector`."
        x, y = self.js(f"(() => {{const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
                       "const r = e.getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2]})()")
        for kind in ('mousePressed', 'mouseReleased'):
            self.call('Input.dispatchMouseEvent', type=kind, x=x, y=y, button='left', clickCount=1)

    def load(self, url, timeout=30)->dict:
        "Open `url` and wait until the network is quiet: {requested URL: bytes received, decoded}."
        self.call('Network.enable'); self.call('Network.setCacheDisabled', cacheDisabled=True)
        self.events.clear(); self.open(url, timeout)
        quiet = 0
        while quiet < 5:                                  # half a second without a network event
            n = len(self.events); self.js('1'); time.sleep(0.1); quiet = quiet + 1 if len(self.events) == n else 0
        urls = {e['params']['requestId']: e['params']['request']['url'] for e in self.events
                if e['method'] == 'Network.requestWillBeSent'}
        got = {u: 0 for u in urls.values()}
        for e in self.events:
            if e['method'] == 'Network.dataReceived' and e['params']['requestId'] in urls:
                got[urls[e['params']['requestId']]] += e['params']['dataLength']
        self.call('Network.disable')
        return got

    def close(self):
        with contextlib.suppress(Exception): self.call('Browser.close', session=False, timeout=5)
        with contextlib.suppress(Exception): self.proc.wait(10)
        if self.proc.poll() is None: self.proc.kill()
        os.close(self.w); os.close(self.r)

@pytest.fixture(scope='module')
def browser(site, tmp_path_factory):
    "The site copied to a temp folder, served over HTTP, and a headless Chromium: (base URL, browser)."
    copy = tmp_path_factory.mktemp('served')/'site'
    shutil.copytree(site, copy)
    with serve(copy) as base:
        b = Browser(find_chromium(), tmp_path_factory.mktemp('chromium-profile'))
        try: yield base, b
        finally: b.close()

@chromium_only
def test_search_for_sigmoid_finds_the_lesson(browser):
    base, b = browser
    b.open(base + 'search.html?q=sigmoid')
    b.wait("document.querySelector('#search-results')?.innerText.includes('Search finished')")
    hits = b.js("[...document.querySelectorAll('#search-results ul.search li a')].map(x => x.getAttribute('href'))")
    pages = [urlsplit(h).path for h in hits]
    assert 'linear.html' in pages, f'searching "sigmoid" does not find the MNIST-loss lesson: {pages}'

@chromium_only
def test_every_internal_link_resolves(browser):
    "Crawl from index.html: every link, script, style sheet and image within the site answers, every #anchor exists."
    base, _ = browser
    todo, seen, ids, bad, refs = [base + 'index.html'], set(), {}, [], []
    while todo:
        url = todo.pop()
        if url in seen: continue
        seen.add(url)
        try: body = urlopen(url, timeout=10).read()
        except Exception as e: bad.append(f'{url}: {e}'); continue
        if not url.endswith('.html'): continue
        s = BeautifulSoup(body.decode('utf-8'), 'html.parser')
        ids[url] = {t['id'] for t in s.find_all(id=True)} | {t['name'] for t in s.find_all('a', attrs={'name': True})}
        for t in s.find_all(['a', 'link', 'script', 'img']):
            ref = t.get('href') or t.get('src')
            if not ref or ref.startswith(('mailto:', 'data:', 'javascript:')): continue
            full = urljoin(url, ref)
            if not full.startswith(base): continue
            page, _, frag = full.partition('#')
            page = page.split('?')[0]
            refs.append((url, ref, page, frag))
            todo.append(page)
    assert not bad, 'links that do not resolve:\n' + '\n'.join(bad)
    missing = [f'{u}: {r}' for u, r, page, frag in refs if frag and page in ids and frag not in ids[page]]
    assert not missing, 'anchors that do not exist:\n' + '\n'.join(sorted(set(missing)))
    assert {base + S.page_name(p.name) + '.html' for p in S.course_order(NBS)} <= seen, 'a page is not linked from the site'

@chromium_only
def test_no_raw_fence_or_directive_is_visible(browser, site):
    "No `:::` anywhere, no `#|` line in code, no `#|` in text outside inline code (prose may name a directive)."
    base, b = browser
    for p in pages(site):
        b.open(base + p.name)
        seen = b.js("""(() => {
            const main = document.querySelector('main'); const c = main.cloneNode(true);
            c.querySelectorAll('details').forEach(d => d.open = true);
            c.querySelectorAll('code.literal').forEach(e => e.remove());
            const pre = [...main.querySelectorAll('pre')].flatMap(e => e.textContent.split('\\n')).filter(l => /^\\s*#\\s*\\|/.test(l));
            return {fence: main.innerText.includes(':::') || main.textContent.includes(':::'), directive: c.textContent.includes('#|'), pre}})()""")
        assert not seen['fence'], f'{p.name} shows a raw ::: fence'
        assert not seen['directive'] and not seen['pre'], f"{p.name} shows nbdev directives: {seen['pre'][:3]}"

@chromium_only
def test_a_fold_opens(browser, site):
    base, b = browser
    page = next(p for p in pages(site) if soup(p).select('article details'))
    b.open(base + page.name)
    assert b.js("!document.querySelector('article details').open"), f'{page.name}: the first fold starts open'
    b.click('article details > summary')
    state = b.wait("""(() => {const d = document.querySelector('article details');
        const body = [...d.children].filter(e => e.tagName !== 'SUMMARY');
        return d.open && {n: body.length, h: Math.min(...body.map(e => e.getBoundingClientRect().height))}})()""", 5)
    assert state['n'] and state['h'] > 0, f'{page.name}: the fold opened but its content is not visible: {state}'

@chromium_only
def test_code_is_never_cut_off(browser, site):
    "A code block wider than its box scrolls (overflow-x auto/scroll) or wraps, at desktop and phone widths."
    base, b = browser
    try:
        for w, h in ((1280, 1000), (390, 800)):
            b.size(w, h)
            for p in pages(site):
                b.open(base + p.name)
                cut = b.js("""[...document.querySelectorAll('pre')].filter(e => e.scrollWidth > e.clientWidth + 1).filter(e => {
                    const s = getComputedStyle(e);
                    return !['auto', 'scroll'].includes(s.overflowX) && !['pre-wrap', 'break-spaces', 'normal'].includes(s.whiteSpace)})
                    .map(e => e.textContent.slice(0, 80))""")
                assert not cut, f'{p.name} at {w}px: code cut off: {cut[:3]}'
    finally: b.size(1280, 1000)

# --- the Colab badge and install cell (tools/colab.py) ---------------------------------------------------

from tools.colab import add_colab, dumps, install_source

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
    import sys, types, mnist_sgd.data
    calls = []
    monkeypatch.setattr(subprocess, 'run', lambda cmd, **kw: calls.append(cmd))
    monkeypatch.setattr(mnist_sgd.data, 'course_setup', lambda *a, **kw: None)
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

# --- offline, light, and what learners expect of a course site (issue 24) ------------------------------------------

LESSONS = [p for p in S.course_order(NBS) if re.match(r'0[1-8]_', p.name)]
DOCS_HOSTS = ('https://docs.fast.ai/', 'https://fastcore.fast.ai/', 'https://docs.pytorch.org/')

def test_link_names_links_documented_names_only_in_text():
    links = {'Learner': 'https://docs.fast.ai/learner.html#learner', 'mnist_loss': 'project:api.ipynb#mnist_loss'}
    md = ('Use `Learner` and `mnist_loss()`, `torch.where`, `nn.Linear`, not `weights`.\n## A `Learner` heading\n'
          '```python\n`Learner`\n```\n[`Learner`](https://x.y) stays.')
    out = S.link_names(md, links).split('\n')
    assert out[0] == ('Use [`Learner`](https://docs.fast.ai/learner.html#learner) and [`mnist_loss()`](project:api.ipynb#mnist_loss), '
                      '[`torch.where`](https://docs.pytorch.org/docs/stable/generated/torch.where.html), '
                      '[`nn.Linear`](https://docs.pytorch.org/docs/stable/generated/torch.nn.Linear.html), not `weights`.')
    assert out[1:] == md.split('\n')[1:], 'headings, code fences and existing links are left alone'
    assert S._torch_link('torch.no_such_thing') is None and S._torch_link('F') is None

def test_plots_get_alt_text_from_fig_alt_or_their_labels():
    img = [dict(output_type='display_data', metadata={}, data={'image/png': 'iVBOR', 'text/plain': 'fig'})]
    nb = dict(nbformat=4, nbformat_minor=5, metadata={}, cells=[cell('markdown', '# T\n> s'),
        cell('code', "#| fig-alt: A rising curve\nplt.plot(xs)", img), cell('code', "plt.title('ReLU'); plt.xlabel('x')", img),
        cell('code', 'x = 1', [out('1')])])
    alts = [c['metadata'].get('mystnb', {}).get('image', {}).get('alt') for c in S.prepare(nb, {}, CFG)['cells'] if c['cell_type'] == 'code']
    assert alts == ['A rising curve', 'A figure drawn by the code above: ReLU, x', None]

def test_every_plot_has_alt_text(site):
    for p in LESSONS:
        for img in soup(site/f'{S.page_name(p.name)}.html').select('article img'):
            assert img.get('alt') and not img['alt'].startswith('_images/'), f"{p.name}: an image's alt text is {img.get('alt')!r}"

def test_each_lesson_offers_its_notebook_for_download(site):
    for p in LESSONS:
        s = soup(site/f'{S.page_name(p.name)}.html')
        a = s.select_one('.dropdown-download-buttons a[href$=".ipynb"]')
        assert a and a['href'] == f'{S.NOTEBOOKS}/{p.name}', f'{p.name}: no download of its notebook'
        got = json.loads((site/a['href']).read_text(encoding='utf-8'))
        assert [c['id'] for c in got['cells']] == [c['id'] for c in json.loads(p.read_text(encoding='utf-8'))['cells']]

def test_names_in_the_lessons_link_to_fastai_and_pytorch_docs(site):
    hrefs = [a['href'] for n in ('linear', 'deeper') for a in soup(site/f'{n}.html').select('article a[href]')]
    docs = [h for h in hrefs if h.startswith(DOCS_HOSTS)]
    assert len(docs) >= 10, f'{len(docs)} links into the fastai and PyTorch docs from the linear and deeper lessons: {docs}'
    assert any(h.startswith('https://docs.pytorch.org/') for h in docs) and any(h.startswith('https://docs.fast.ai/') for h in docs)
    assert any(h.startswith('api.html#') for h in hrefs), "the package's own names link to the API reference"

def test_api_reference_shows_no_build_path_or_address(site):
    text = soup(site/'api.html').select_one('article').get_text()
    for bad in (str(ROOT), '/home/', 'site-packages', r' at 0x'):
        assert bad not in text, f'the API reference shows {bad!r}'
    rows = soup(site/'api.html').select('article table tr')
    assert rows and all('\n' not in td.get_text().strip() for tr in rows for td in tr.select('td')), 'a table cell spans lines'
    art = soup(site/'api.html').select_one('article')
    assert art.find(id='course-setup') and 'def course_setup(' in art.get_text(), 'an entry lost its signature'

def test_landing_page_is_titled_for_learners(site):
    s, nb = soup(site/'index.html'), json.loads((NBS/'index.ipynb').read_text(encoding='utf-8'))
    title = re.match(r'#\s+(.+)', ''.join(nb['cells'][0]['source'])).group(1).strip()
    assert title != CFG['lib'] and s.title.get_text().startswith(title), s.title.get_text()
    assert s.select_one('meta[name="description"]')['content'] == CFG['description']
    assert CFG['author'] in s.select_one('footer.bd-footer-content').get_text() and 'Author name not set' not in s.get_text()
    hrefs = [a['href'] for a in s.select('article a[href]')]
    assert 'https://github.com/fastai/fastbook/blob/master/04_mnist_basics.ipynb' in hrefs, "the book's chapter"
    heads = [h.get_text().strip('#') for h in s.select('article h2')]
    first = lambda start: next(i for i, h in enumerate(heads) if h.startswith(start))
    assert first('Start here') < first('The course') < first('For maintainers'), f'the learner first: {heads}'

@chromium_only
def test_pages_load_nothing_from_another_host_and_lessons_are_light(browser, site):
    "In Chromium: every request a page makes stays on the site; a lesson page, with all it loads, is at most 1.5 MB."
    base, b = browser
    lessons = {f'{S.page_name(p.name)}.html' for p in LESSONS}
    for p in pages(site):
        got = b.load(base + p.name)
        away = [u for u in got if not u.startswith((base, 'data:', 'blob:'))]
        assert not away, f'{p.name} loads from another host: {away}'
        if p.name in lessons:
            assert sum(got.values()) <= 1.5e6, f'{p.name}: {sum(got.values())/1e6:.2f} MB with its assets'

@chromium_only
def test_code_has_copy_buttons(browser):
    base, b = browser
    b.open(base + 'linear.html')
    n = b.wait("(() => {const c = document.querySelectorAll('div.cell_input div.highlight').length;"
               " const k = document.querySelectorAll('div.cell_input button.copybtn').length; return c && c == k && k})()", 10)
    assert n > 10, f'{n} copy buttons on the linear lesson'

@chromium_only
def test_no_page_is_wider_than_a_phone(browser, site):
    base, b = browser
    try:
        b.size(390, 800)
        wide = {}
        for p in pages(site):
            b.open(base + p.name)
            if (w := b.js('document.documentElement.scrollWidth')) > 390: wide[p.name] = w
        assert not wide, f'pages wider than 390 px: {wide}'
    finally: b.size(1280, 1000)
