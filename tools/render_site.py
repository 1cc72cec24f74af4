#!/usr/bin/env python
"""Render the course site offline: executed notebooks -> static HTML pages in `_build/site`, like nbdev's Quarto site.

The real site is built by nbdev + Quarto on GitHub (the deploy job of .github/workflows/test.yaml); Quarto cannot run here,
so this renders the same notebooks with nbconvert and lays them out as nbdev's Quarto sites are:
  - the pages and their order come from `nbs/sidebar.yml`, the file Quarto's sidebar reads (sections
    included); each page is named as nbdev names it (`03_linear.ipynb` -> `linear.html`); every notebook is
    taken from the executed copy in SRC (default `_build/nbs`, which `bash scripts/course` fills) when there
    is one, else from nbs/ (whose notebooks carry their outputs);
  - each page has the sidebar, a table of contents (its h2/h3 headings), previous/next links and a search
    box; search is client-side with pagefind (its index is built here, offline, when pagefind is installed);
  - cells as nbdev shows them: `#| hide` / `#| include: false` cells dropped, `#| echo: false` shows only the
    output, `#| output: false` only the code, every `#|` directive stripped from what is shown; after each shown
    `#| export` cell, nbdev's `show_doc` of the public functions and classes it defines (as nbdev's
    `add_show_docs` processor does for the Quarto site);
  - matplotlib's HTML animations work offline (their Font Awesome icons from a CDN become text);
  - Quarto callouts in markdown cells (`::: {.callout-note collapse="true"}` + `## title` ... `:::`) become
    collapsed `<details>` blocks (the code cells right after such a cell, up to the next markdown cell, are
    folded into the block), other callouts a styled box; code and outputs scroll sideways instead of being cut;
  - links to the docs site (`https://mnist-sgd.github.io/mnist_sgd/linear.html`) and to notebooks
    (`03_linear.ipynb`) become links between the local pages; links to other files of the repository point
    at GitHub;
  - no request leaves the machine: no require.js, MathJax or widget scripts from CDNs, and the remote
    "Open in Colab" badge image is replaced by a text badge (the link to Colab stays).
With Chromium installed, it then serves the site on 127.0.0.1 and saves screenshots of the landing page and
of one lesson, at desktop and phone widths, in `_build/site/screenshots/`.

    python tools/render_site.py [SRC] [--out _build/site] [--no-screenshot]

Search runs where the site is served over http (`python -m http.server -d _build/site`), not from file://.
"""
import argparse, contextlib, functools, hashlib, html, http.server, os, re, shutil, socket, subprocess, sys
import tempfile, threading, time
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'

def _site_config(nbs:Path=NBS)->dict:
    "title, site-url, repo-url and branch from `nbs/nbdev.yml` (what Quarto reads)."
    import yaml
    w = (yaml.safe_load((nbs/'nbdev.yml').read_text()) or {}).get('website', {})
    return dict(title=w.get('title', 'mnist_sgd'), site_url=w.get('site-url', '').rstrip('/')+'/',
                repo_url=w.get('repo-url', '').rstrip('/'), branch=w.get('repo-branch', 'main'))

CFG = _site_config()

# --- pages: names and order -------------------------------------------------------------------------------

def page_name(nb:str)->str:
    "The page nbdev makes of notebook `nb`: its name without the number prefix (nbdev.doclinks._nbpath2html)."
    stem = Path(nb).stem
    return 'index' if stem == 'index' else re.sub(r'^\d+[a-zA-Z0-9]*_', '', stem.lower())

def read_sidebar(path:Path=NBS/'sidebar.yml')->list:
    "Quarto's sidebar (nbdev's custom `sidebar.yml`) as a list of (section title or None, notebook file)."
    import yaml
    contents = yaml.safe_load(Path(path).read_text())['website']['sidebar']['contents']
    out = []
    def walk(items, section):
        for it in items:
            if isinstance(it, str): out.append((section, it))
            elif 'section' in it: walk(it.get('contents', []), it['section'])
            elif 'href' in it: out.append((section, it['href']))
            else: raise ValueError(f'{path}: unknown sidebar entry {it!r}')
    walk(contents, None)
    return out

def find_notebooks(src:Path, nbs:Path=NBS)->list:
    "(notebook name, path) of every notebook in `nbs`, from `src` where it was executed there."
    names = sorted(p.name for p in nbs.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    return [(n, Path(src)/n if (Path(src)/n).exists() else nbs/n) for n in names]

# --- cells: directives, callouts ----------------------------------------------------------------------------

_directive_re = re.compile(r'^\s*#\s*\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def split_directives(src:str)->tuple:
    "nbdev directives (`#| hide`, `#| echo: false`) at the top of a cell as a dict, and the rest of the source."
    lines, dirs = src.splitlines(), {}
    i = 0
    while i < len(lines):
        m = _directive_re.match(lines[i])
        if m: dirs[m.group(1).replace('-', '_')] = m.group(2)
        elif lines[i].strip(): break
        i += 1
    body = [l for l in lines[i:] if not re.search(r'#\s*\|\s*hide_line\s*$', l)]
    return dirs, '\n'.join(body).strip('\n')

def _false(v): return str(v).strip().lower() in ('false', 'no', '0')

def cell_view(cell)->str:
    "How the docs show a cell: 'drop', 'output' (input hidden), 'input' (output hidden) or 'full'."
    if cell.cell_type == 'raw': return 'drop'
    if cell.cell_type != 'code': return 'full'
    dirs, body = split_directives(cell.source)
    if 'hide' in dirs or _false(dirs.get('include', 'true')): return 'drop'
    outputs = cell.get('outputs') if hasattr(cell, 'get') else getattr(cell, 'outputs', None)
    if not body and not outputs: return 'drop'
    if _false(dirs.get('echo', 'true')) or 'hide_input' in dirs or not body: return 'output'
    if _false(dirs.get('output', 'true')) or 'hide_output' in dirs: return 'input'
    return 'full'

_open_re = re.compile(r'^\s*:{3,}\s*\{([^}]*)\}\s*$')
_close_re = re.compile(r'^\s*:{3,}\s*$')
_CALLOUT_TITLES = dict(note='Note', tip='Tip', warning='Warning', important='Important', caution='Caution')

def _inline_md(s:str)->str:
    "A title's markdown (code, bold, italics) as HTML."
    s = html.escape(s, quote=False)
    s = re.sub(r'`([^`]+)`', r'<code>\1</code>', s)
    s = re.sub(r'\*\*([^*]+)\*\*', r'<strong>\1</strong>', s)
    return re.sub(r'(?<![\w*])[*_]([^*_]+)[*_](?![\w*])', r'<em>\1</em>', s)

def convert_callouts(md:str)->str:
    "Quarto's fenced divs in markdown -> empty marker divs around their content (`wrap_callouts` builds the boxes)."
    lines, out, depth = md.split('\n'), [], 0
    i = 0
    while i < len(lines):
        m = _open_re.match(lines[i])
        if m:
            attrs, depth = m.group(1), depth + 1
            kind = re.search(r'\.callout-(\w+)', attrs)
            if not kind:                                      # another fenced div (e.g. .column-margin): content only
                out += ['', '<div class="fenced-open"></div>', '']; i += 1; continue
            kind = kind.group(1)
            t = re.search(r'title\s*=\s*"([^"]*)"', attrs)
            title = t.group(1) if t else None
            j = i + 1
            while j < len(lines) and not lines[j].strip(): j += 1
            if title is None and j < len(lines) and (h := re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', lines[j])):
                title, i = h.group(1), j
            title = _inline_md(title or _CALLOUT_TITLES.get(kind, kind.title()))
            collapse = re.search(r'collapse\s*=\s*"?(true|false)"?', attrs)
            collapse = int(bool(collapse and collapse.group(1) == 'true'))
            out += ['', f'<div class="callout-open" data-kind="{kind}" data-collapse="{collapse}" '
                        f'data-title="{html.escape(title)}"></div>', '']
            i += 1; continue
        if _close_re.match(lines[i]) and depth:
            out += ['', '<div class="callout-close"></div>', '']; depth -= 1
            i += 1; continue
        out.append(lines[i]); i += 1
    return '\n'.join(out)

def wrap_callouts(main)->None:
    "Replace each pair of callout markers (and what lies between) by a `<details>` block or a titled box."
    from bs4 import BeautifulSoup
    for md in main.find_all('div', class_='jp-RenderedMarkdown'):
        while (start := md.find('div', class_=['callout-open', 'fenced-open'])) is not None:
            parent, depth, inner, node = start.parent, 0, [], start.next_sibling
            while node is not None:                              # the siblings up to the matching close marker
                nxt = node.next_sibling
                cls = node.get('class', []) if getattr(node, 'name', None) else []
                if 'callout-open' in cls or 'fenced-open' in cls: depth += 1
                if 'callout-close' in cls:
                    if depth == 0: node.decompose(); break
                    depth -= 1
                inner.append(node.extract()); node = nxt
            if 'fenced-open' in start['class']:
                for n in reversed(inner): start.insert_after(n)
                start.decompose(); continue
            kind, title = start['data-kind'], start['data-title']
            soup = BeautifulSoup('', 'html.parser')
            if start['data-collapse'] == '1':
                box = soup.new_tag('details', attrs={'class': f'callout callout-{kind}'})
                head = soup.new_tag('summary')
            else:
                box = soup.new_tag('div', attrs={'class': f'callout callout-{kind}'})
                head = soup.new_tag('div', attrs={'class': 'callout-title'})
            head.append(BeautifulSoup(title, 'html.parser'))
            body = soup.new_tag('div', attrs={'class': 'callout-body'})
            for n in inner: body.append(n)
            box.append(head); box.append(body)
            start.replace_with(box)

# --- nbconvert ----------------------------------------------------------------------------------------------

TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""

def make_exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    return HTMLExporter(extra_loaders=[DictLoader({'site.html.j2': TEMPLATE})], template_file='site.html.j2',
                        embed_images=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        exclude_anchor_links=True)

_quarto_attrs_re = re.compile(r'\)\{target="_blank"[^}]*\}')

def _public_defs(src:str)->list:
    "Top-level public functions and classes defined in `src` (as nbdev's add_show_docs picks them)."
    import ast
    try: tree = ast.parse(src)
    except SyntaxError: return []
    return [o.name for o in tree.body if isinstance(o, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and (o.name[0] != '_' or o.name[:2] == '__')]

def add_show_docs(nb, lib:str='mnist_sgd')->None:
    "Like nbdev's `add_show_docs` + `exec_show_docs`: after each shown `#| export` cell, the `show_doc` of what it defines."
    import importlib, nbformat
    mod = next((d['default_exp'] for c in nb.cells if c.cell_type == 'code'
                for d in [split_directives(c.source)[0]] if d.get('default_exp')), None)
    if mod is None: return
    shown = set(re.findall(r'^show_doc\(\s*([\w.]+)', '\n'.join(c.source for c in nb.cells if c.cell_type == 'code'), re.M))
    try:
        import warnings
        from nbdev.showdoc import show_doc
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            m = importlib.import_module(f'{lib}.{mod}')
    except Exception as e:
        print(f'render_site: no show_doc for {lib}.{mod} ({type(e).__name__}: {e})'); return
    cells = []
    for c in nb.cells:
        cells.append(c)
        if c.cell_type != 'code' or cell_view(c) == 'drop': continue
        dirs, body = split_directives(c.source)
        if not ({'export', 'exports'} & set(dirs)): continue
        for name in _public_defs(body):
            if name in shown or not hasattr(m, name): continue
            try: md = show_doc(getattr(m, name))._repr_markdown_()
            except Exception as e: print(f'render_site: show_doc({name}) failed: {e}'); continue
            cells.append(nbformat.v4.new_code_cell('', metadata={'transient': {'remove_source': True}},
                         outputs=[nbformat.v4.new_output('display_data', data={'text/markdown': md})]))
    nb.cells = cells

def prepare(nb, show_docs=True)->object:
    "The notebook as the docs show it: cells dropped, directives stripped, callouts converted, exports documented."
    if show_docs: add_show_docs(nb)
    cells = []
    for c in nb.cells:
        for o in c.get('outputs', []):                # show_doc's Quarto-only markup: `[source](...){target=...}`
            md = o.get('data', {}).get('text/markdown')
            if isinstance(md, str): o['data']['text/markdown'] = _quarto_attrs_re.sub(')', md).replace('#LNone)', ')')
        view = cell_view(c)
        if view == 'drop': continue
        if c.cell_type == 'code':
            c.source = split_directives(c.source)[1]
            if view == 'output': c.metadata['transient'] = {'remove_source': True}
            if view == 'input': c.outputs = []
        elif c.cell_type == 'markdown': c.source = convert_callouts(c.source)
        cells.append(c)
    nb.cells = cells
    return nb

_badge_re = re.compile(r'<img[^>]*src="https://colab\.research\.google\.com/assets/colab-badge\.svg"[^>]*>')
_href_re = re.compile(r'(href|src)="([^"]*)"')

def fix_links(page:str, pages:dict, nb_dir:Path=NBS)->str:
    "Docs-site and notebook links -> local pages; links to other repo files -> GitHub; the Colab badge -> text."
    page = _badge_re.sub('<span class="colab-badge">Open in Colab</span>', page)
    site = CFG['site_url']
    def repl(m):
        attr, url = m.groups()
        u = urlsplit(html.unescape(url))
        frag = f'#{u.fragment}' if u.fragment else ''
        if site != '/' and url.startswith(site.rstrip('/')):        # https://mnist-sgd.github.io/mnist_sgd/linear.html
            rest = unquote(urlsplit(url[len(site.rstrip('/')):]).path).strip('/') or 'index.html'
            name = rest[:-5] if rest.endswith('.html') else rest
            return f'{attr}="{name}.html{frag}"' if name in pages.values() else m.group(0)
        if u.scheme or u.netloc or url.startswith(('#', 'data:', 'mailto:')) or not u.path: return m.group(0)
        path = unquote(u.path)
        if path.endswith('.ipynb') and '/' not in path.strip('./') and Path(path).name in pages:
            return f'{attr}="{pages[Path(path).name]}.html{frag}"'
        target = (nb_dir/path).resolve()
        if target.exists() and ROOT in target.parents:
            kind = 'tree' if target.is_dir() else 'blob'
            return f'{attr}="{CFG["repo_url"]}/{kind}/{CFG["branch"]}/{target.relative_to(ROOT).as_posix()}{frag}"'
        return m.group(0)
    return _href_re.sub(repl, page)

def nb_title(nb, default:str)->str:
    "The `# Title` of the notebook's first markdown cell."
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return default

# --- page layout --------------------------------------------------------------------------------------------

def fold_code_into_callouts(main)->None:
    "Move the code cells that follow a markdown cell ending in a collapsed callout into that `<details>` block."
    cells = [c for c in main.find_all('div', class_='jp-Cell', recursive=False)]
    target = None
    for c in cells:
        classes = c.get('class', [])
        if 'jp-MarkdownCell' in classes:
            target = None
            md = c.find('div', class_='jp-RenderedMarkdown')
            last = md.find_all(True, recursive=False)[-1:] if md else []
            if last and last[0].name == 'details' and 'callout' in last[0].get('class', []):
                target = last[0].find('div', class_='callout-body', recursive=False)
        elif target is not None and 'jp-CodeCell' in classes:
            target.append(c.extract())
            c['class'] = classes + ['folded']

def pandoc_id(text:str)->str:
    "The id pandoc (hence Quarto) gives a heading: lower case, punctuation but `_-.` dropped, spaces -> hyphens."
    s = re.sub(r'[^\w\s.-]', '', text.lower(), flags=re.U)
    s = re.sub(r'\s+', '-', s.strip())
    return re.sub(r'^[^a-z]+', '', s) or 'section'

def add_heading_ids(main)->None:
    "Give every heading without an id the id Quarto would give it (unique on the page)."
    seen = {t['id'] for t in main.find_all(id=True)}
    for h in main.find_all(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']):
        if h.get('id'): continue
        base = pandoc_id(h.get_text(' ', strip=True)); id_, k = base, 1
        while id_ in seen: id_, k = f'{base}-{k}', k + 1
        h['id'] = id_; seen.add(id_)

_FA = {'fa-fast-backward': '|\u25c0\u25c0', 'fa-step-backward': '|\u25c0', 'fa-play fa-flip-horizontal': '\u25c0',
       'fa-pause': '||', 'fa-play': '\u25b6', 'fa-step-forward': '\u25b6|', 'fa-fast-forward': '\u25b6\u25b6|',
       'fa-minus': '\u2212', 'fa-plus': '+'}

def offline_animations(main)->None:
    "matplotlib's HTML animations load Font Awesome from a CDN for their buttons: drop it, draw the icons as text."
    for link in main.find_all('link', href=re.compile('font-awesome')): link.decompose()
    for i in main.find_all('i', class_='fa'):
        key = ' '.join(c for c in i['class'] if c != 'fa')
        i.string = _FA.get(key, _FA.get(key.split()[0], '•'))
        i['class'] = 'icon'

def make_toc(main)->list:
    "(level, id, text) of the page's h2/h3 headings outside callouts."
    toc = []
    for h in main.find_all(['h2', 'h3']):
        if h.find_parent(class_='callout') or not h.get('id'): continue
        toc.append((int(h.name[1]), h['id'], h.get_text(' ', strip=True).rstrip('¶').strip()))
    return toc

def sidebar_html(order:list, titles:dict, current:str)->str:
    "The sidebar: pages in course order, grouped in sections as in `sidebar.yml`."
    out, section = ['<ul class="sidebar-list">'], None
    for sec, page in order:
        if sec != section:
            if section is not None: out.append('</ul></li>')
            if sec is not None: out.append(f'<li class="sidebar-section"><span>{html.escape(sec)}</span><ul>')
            section = sec
        cur = ' class="current" aria-current="page"' if page == current else ''
        out.append(f'<li><a href="{page}.html"{cur}>{html.escape(titles[page])}</a></li>')
    if section is not None: out.append('</ul></li>')
    out.append('</ul>')
    return '\n'.join(out)

def toc_html(toc:list)->str:
    items = ''.join(f'<li class="toc-h{lvl}"><a href="#{html.escape(id_)}">{html.escape(t)}</a></li>' for lvl, id_, t in toc)
    return f'<ul>{items}</ul>'

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title>
<link rel="icon" href="data:,">
{css}
</head>
<body>
<header class="topbar">
<button class="menu-toggle" type="button" aria-controls="sidebar" aria-expanded="false" title="Pages">&#9776;</button>
<a class="brand" href="index.html">{site}</a>
<form class="search-form" action="search.html" role="search"><input type="search" name="q" placeholder="Search" aria-label="Search the course"></form>
<a class="repo-link" href="{repo}">GitHub</a>
</header>
<div class="layout">
<nav class="sidebar" id="sidebar" aria-label="Course">
{sidebar}
</nav>
<main class="content">
<article class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light"{body_attrs}>
{body}
</article>
{pager}
</main>
<aside class="toc" aria-label="On this page">{toc}</aside>
</div>
<script>
document.querySelector('.menu-toggle').addEventListener('click', function () {{
  var open = document.body.classList.toggle('sidebar-open');
  this.setAttribute('aria-expanded', open);
}});
</script>
{scripts}
</body>
</html>
"""

SEARCH_BODY = """<h1>Search</h1>
<form class="search-page-form" action="search.html" role="search">
<input id="search-input" type="search" name="q" placeholder="Search the course" aria-label="Search the course" autofocus>
</form>
<div id="search-results" aria-live="polite"></div>
"""

SEARCH_JS = """<script type="module">
const input = document.getElementById('search-input');
const out = document.getElementById('search-results');
const esc = s => s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
const page = url => url.replace(/^.*\\//, '');           // all pages sit at the site's root
let pagefind = null, last = 0;
async function run(q) {
  const n = ++last;
  out.dataset.state = 'searching';
  if (!q.trim()) { out.innerHTML = ''; out.dataset.state = 'done'; return; }
  if (location.protocol === 'file:') {
    out.innerHTML = '<p class="search-note">Search needs the site served over http, e.g. ' +
      '<code>python -m http.server -d _build/site</code>, then open http://localhost:8000/search.html.</p>';
    out.dataset.state = 'unavailable'; return;
  }
  try {
    if (!pagefind) {
      pagefind = await import('./pagefind/pagefind.js');
      await pagefind.options({noWorker: true});          // a small index: the main thread is enough
    }
  }
  catch (e) {
    out.innerHTML = '<p class="search-note">No search index: pagefind was not installed when the site was rendered.</p>';
    out.dataset.state = 'unavailable'; return;
  }
  const r = await pagefind.search(q);
  const hits = await Promise.all(r.results.slice(0, 20).map(x => x.data()));
  if (n !== last) return;
  out.innerHTML = hits.length ? '<ol class="search-hits">' + hits.map(h => {
      const sub = (h.sub_results || [])[0];
      const href = page(sub && sub.url ? sub.url : h.url);
      return `<li><a class="search-hit" href="${esc(href)}">${esc(h.meta.title || page(h.url))}</a>` +
             (sub && sub.title && sub.title !== h.meta.title ? ` <span class="search-section">› ${esc(sub.title)}</span>` : '') +
             `<p>${h.excerpt}</p></li>`; }).join('') + '</ol>'
    : `<p class="search-note">Nothing found for <strong>${esc(q)}</strong>.</p>`;
  out.dataset.state = 'done';
  out.dataset.query = q;
}
const q = new URLSearchParams(location.search).get('q') || '';
input.value = q;
input.addEventListener('input', () => run(input.value));
run(q);
</script>"""

def pager_html(prev, nxt, titles)->str:
    p = (f'<a class="pager-prev" href="{prev}.html" rel="prev"><span>&larr; Previous</span>{html.escape(titles[prev])}</a>'
         if prev else '<span></span>')
    n = (f'<a class="pager-next" href="{nxt}.html" rel="next"><span>Next &rarr;</span>{html.escape(titles[nxt])}</a>'
         if nxt else '<span></span>')
    return f'<nav class="pager" aria-label="Previous and next page">{p}{n}</nav>'

def _asset(out:Path, text:str, suffix:str)->str:
    "Write `text` once to out/assets/<hash><suffix>; returns its path relative to the site."
    name = f'assets/{hashlib.sha1(text.encode()).hexdigest()[:12]}{suffix}'
    (out/name).parent.mkdir(exist_ok=True)
    if not (out/name).exists(): (out/name).write_text(text, encoding='utf-8')
    return name

def render_site(src:Path=ROOT/'_build'/'nbs', out:Path=ROOT/'_build'/'site', nbs:Path=NBS, quiet=False,
                search=True)->list:
    "Render every notebook to `out`/<page>.html (see the module docstring); returns the pages written."
    import nbformat
    from bs4 import BeautifulSoup
    src, out = Path(src), Path(out)
    if not src.is_dir():
        if not quiet: print(f'render_site: {src} does not exist (run `bash scripts/course` to fill it); using {nbs}')
        src = nbs
    found = find_notebooks(src, nbs)
    if not found: raise FileNotFoundError(f'no notebooks in {src} or {nbs}')
    order = [(sec, f) for sec, f in read_sidebar(nbs/'sidebar.yml') if f in dict(found)]
    missing = [n for n, _ in found if n not in {f for _, f in order}]
    if missing:
        print(f'render_site: WARNING: not in nbs/sidebar.yml (the Quarto site leaves them out of its sidebar): {missing}')
        order += [('Other pages', n) for n in missing]
    pages = {n: page_name(n) for n, _ in found}
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    nbs_read = {n: nbformat.read(p, as_version=4) for n, p in found}
    titles = {pages[n]: nb_title(nb, pages[n]) for n, nb in nbs_read.items()}
    seq = [pages[f] for _, f in order]
    side = [(sec, pages[f]) for sec, f in order]
    exporter = make_exporter()
    site_css = _asset(out, SITE_CSS, '.css')
    written = []
    def write_page(name, title, body_html, head_css, toc, scripts='', body_attrs=' data-pagefind-body'):
        i = seq.index(name) if name in seq else None
        prev = seq[i-1] if i else None
        nxt = seq[i+1] if i is not None and i+1 < len(seq) else None
        css = '\n'.join(f'<link rel="stylesheet" href="{c}">' for c in [*head_css, site_css])
        toc_side = f'<h2>On this page</h2>{toc_html(toc)}' if toc else ''
        text = PAGE.format(title=html.escape(title), site=html.escape(CFG['title']), css=css, repo=CFG['repo_url'],
                           sidebar=sidebar_html(side, {**titles, 'search': 'Search'}, name), toc=toc_side, body=body_html, body_attrs=body_attrs,
                           pager=pager_html(prev, nxt, titles) if name in seq else '', scripts=scripts)
        dest = out/f'{name}.html'
        dest.write_text(text, encoding='utf-8')
        written.append(dest)
        return dest
    lab_css = []
    for _, n in order:
        nb, name = nbs_read[n], pages[n]
        nb = prepare(nb)
        nb.metadata['title'] = titles[name]
        body, _ = exporter.from_notebook_node(nb)
        soup = BeautifulSoup(fix_links(body, pages, nbs), 'html.parser')
        head_css = [_asset(out, s.string or '', '.css') for s in soup.head.find_all('style')]
        main = soup.find('main')
        wrap_callouts(main)
        offline_animations(main)
        for a in main.find_all('a', string='source'):     # show_doc's link to the code, at the right as on Quarto
            if a.parent.name == 'p' and a.parent.get_text(strip=True) == 'source': a.parent['class'] = 'doc-source'
        fold_code_into_callouts(main)
        add_heading_ids(main)
        toc = make_toc(main)
        if toc:                                                # narrow screens: the contents below the title
            h1 = main.find('h1')
            cell = h1.find_parent('div', class_='jp-Cell') if h1 else None
            box = BeautifulSoup(f'<details class="toc-mobile" data-pagefind-ignore><summary>On this page</summary>'
                                f'{toc_html(toc)}</details>', 'html.parser')
            if cell is not None: cell.insert_after(box)
            else: main.insert(0, box)
        dest = write_page(name, titles[name], main.decode_contents(), head_css, toc)
        lab_css = lab_css or head_css
        if not quiet:
            p = found_path = dict(found)[n]
            print(f'render_site: {p.relative_to(ROOT) if ROOT in p.parents else p} -> {dest}')
    write_page('search', 'Search', SEARCH_BODY, lab_css, [], scripts=SEARCH_JS, body_attrs='')
    if search: build_search_index(out, quiet=quiet)
    return written

def build_search_index(out:Path, quiet=False)->bool:
    "Index the site with pagefind (from PyPI: `pip install pagefind[bin]`) into out/pagefind; False if absent."
    try: import pagefind  # noqa: F401  (the python package that finds pagefind's binary)
    except ImportError:
        print('render_site: pagefind is not installed (pip install "pagefind[bin]"): the site has no search index')
        return False
    r = subprocess.run([sys.executable, '-m', 'pagefind', '--site', str(out), '--quiet'], capture_output=True, text=True)
    if r.returncode != 0 or not (out/'pagefind'/'pagefind.js').exists():
        raise RuntimeError(f'pagefind failed ({r.returncode}): {r.stdout[-2000:]}{r.stderr[-2000:]}')
    if not quiet: print(f'render_site: search index in {out/"pagefind"}')
    return True

SITE_CSS = r"""
:root { --site-accent: #2780e3; --site-fg: #212529; --site-muted: #6c757d; --site-border: #dee2e6;
  --topbar-h: 3.2rem; --site-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
html { scroll-padding-top: calc(var(--topbar-h) + .5rem); }
body { margin: 0; font-family: var(--site-font); color: var(--site-fg); background: #fff; }
a { color: var(--site-accent); }
.topbar { position: sticky; top: 0; z-index: 10; height: var(--topbar-h); display: flex; align-items: center; gap: 1rem;
  padding: 0 1rem; background: var(--site-accent); color: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
.topbar a { color: #fff; text-decoration: none; }
.brand { font-weight: 600; font-size: 1.15rem; white-space: nowrap; }
.repo-link { margin-left: auto; white-space: nowrap; }
.search-form { flex: 0 1 18rem; }
.search-form input, .search-page-form input { width: 100%; box-sizing: border-box; padding: .35rem .6rem;
  border: 1px solid var(--site-border); border-radius: 4px; font: inherit; }
.search-page-form { max-width: 36rem; margin: 1rem 0; }
.menu-toggle { display: none; background: none; border: 0; color: #fff; font-size: 1.4rem; cursor: pointer; padding: 0 .2rem; }
.layout { display: grid; grid-template-columns: 16rem minmax(0, 1fr) 14rem; gap: 2rem; max-width: 90rem; margin: 0 auto;
  padding: 0 1rem; }
.sidebar, .toc { position: sticky; top: calc(var(--topbar-h) + 1rem); align-self: start;
  max-height: calc(100vh - var(--topbar-h) - 2rem); overflow-y: auto; font-size: .9rem; padding-top: 1rem; }
.sidebar ul, .toc ul { list-style: none; margin: 0; padding: 0; }
.sidebar li { margin: .1rem 0; }
.sidebar a { display: block; padding: .3rem .6rem; border-radius: 4px; color: var(--site-fg); text-decoration: none; }
.sidebar a:hover { background: #f1f3f5; }
.sidebar a.current { color: var(--site-accent); font-weight: 600; background: #e9f2fc; }
.sidebar-section > span { display: block; margin: .9rem 0 .2rem; padding: 0 .6rem; font-weight: 600;
  font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--site-muted); }
.sidebar-section ul { padding-left: .5rem; }
.toc h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--site-muted); margin: 0 0 .5rem; }
.toc a { display: block; padding: .15rem 0 .15rem .6rem; border-left: 2px solid var(--site-border); color: var(--site-muted);
  text-decoration: none; }
.toc a:hover { color: var(--site-accent); border-left-color: var(--site-accent); }
.toc .toc-h3 a { padding-left: 1.4rem; font-size: .85rem; }
.toc-mobile { display: none; margin: 1rem 0; border: 1px solid var(--site-border); border-radius: 4px; padding: .4rem .8rem; }
.toc-mobile summary { cursor: pointer; font-weight: 600; }
.toc-mobile ul { list-style: none; padding-left: .5rem; }
.toc-mobile .toc-h3 { padding-left: 1rem; }
.content { min-width: 0; padding: 1rem 0 3rem; }
/* the notebook */
.content .jp-Notebook { padding: 0; overflow: visible; background: none; }
.content .jp-Cell { padding: 0; margin: 0 0 .8rem; }
.content .jp-Cell-inputWrapper, .content .jp-Cell-outputWrapper, .content .jp-InputArea, .content .jp-OutputArea,
.content .jp-OutputArea-child, .content .jp-OutputArea-output, .content .jp-InputArea-editor { min-width: 0; max-width: 100%; }
.content .jp-Collapser, .content .jp-InputPrompt, .content .jp-OutputPrompt { display: none; }
.content .jp-RenderedMarkdown { font-size: 1rem; line-height: 1.6; padding-right: 0; }
.content .jp-RenderedHTMLCommon h1 { font-size: 2rem; margin: .5rem 0 .5rem; }
.content .jp-RenderedHTMLCommon h2 { font-size: 1.5rem; margin-top: 2rem; padding-bottom: .3rem; border-bottom: 1px solid var(--site-border); }
.content .jp-RenderedHTMLCommon h3 { font-size: 1.2rem; margin-top: 1.5rem; }
.content .jp-RenderedHTMLCommon blockquote { border-left: 0; padding: 0; margin: 0 0 1rem; font-style: italic;
  font-size: 1.15rem; color: var(--site-muted); background: none; }
/* code and outputs: scroll sideways, never cut */
.content pre { white-space: pre; overflow-x: auto; max-width: 100%; font-size: .85rem; line-height: 1.45; }
.content .jp-CodeMirrorEditor, .content .jp-InputArea-editor { background: #f8f9fa; border: 1px solid #e9ecef;
  border-radius: 4px; overflow: hidden; }
.content .jp-InputArea-editor .highlight { background: none; }
.content .jp-InputArea-editor pre { margin: 0; padding: .6rem .8rem; background: none; }
.content .jp-OutputArea-output pre { margin: 0; padding: .4rem .8rem; border-left: 2px solid lightsalmon; }
.content .jp-OutputArea-output.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"] pre { background: #fff5f5; }
.content .jp-OutputArea-output { overflow-x: auto; }
.content .jp-OutputArea-output img { max-width: 100%; height: auto; }
.content .jp-RenderedMarkdown pre:not(.jp-Cell pre) { background: #f8f9fa; border: 1px solid #e9ecef; border-radius: 4px; padding: .6rem .8rem;
  margin: .6rem 0 1rem; }
.content .jp-RenderedMarkdown pre:not(.jp-Cell pre) code { background: none; padding: 0; }
.content .jp-RenderedHTMLCommon table { display: block; overflow-x: auto; max-width: 100%; font-size: .9rem; }
.content p.doc-source { float: right; margin: .2rem 0 0; font-size: .85rem; }
/* callouts */
.callout { margin: 1rem 0; border: 1px solid var(--site-border); border-left: 5px solid var(--callout-color, #0d6efd);
  border-radius: 4px; background: #fff; }
.callout-note { --callout-color: #0d6efd; } .callout-tip { --callout-color: #198754; }
.callout-warning { --callout-color: #ffc107; } .callout-important { --callout-color: #dc3545; }
.callout-caution { --callout-color: #fd7e14; }
.callout > summary, .callout > .callout-title { padding: .5rem .8rem; font-weight: 600;
  background: color-mix(in srgb, var(--callout-color) 8%, white); }
.callout > summary { cursor: pointer; }
.callout[open] > summary { border-bottom: 1px solid var(--site-border); }
.callout > .callout-title { border-bottom: 1px solid var(--site-border); }
.callout-body { padding: .2rem .8rem; min-width: 0; }
.callout-body > .jp-Cell.folded { margin: .6rem 0; }
/* previous / next */
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem;
  border-top: 1px solid var(--site-border); }
.pager a { display: flex; flex-direction: column; max-width: 48%; padding: .6rem .9rem; border: 1px solid var(--site-border);
  border-radius: 6px; text-decoration: none; }
.pager a:hover { border-color: var(--site-accent); }
.pager a span { font-size: .8rem; color: var(--site-muted); }
.pager-next { margin-left: auto; text-align: right; }
span.colab-badge { display: inline-block; background: #f9ab00; color: #000; font: 600 12px var(--site-font);
  padding: 3px 8px; border-radius: 3px; }
/* search */
.search-hits { padding-left: 1.2rem; } .search-hits li { margin-bottom: 1rem; }
.search-hits p { margin: .2rem 0; color: var(--site-muted); } .search-hits mark { background: #fff3b0; }
.search-hit { font-weight: 600; } .search-section { color: var(--site-muted); }
/* narrower screens: the table of contents moves above the page; on phones the sidebar becomes a menu */
@media (max-width: 1100px) {
  .layout { grid-template-columns: 15rem minmax(0, 1fr); }
  .toc { display: none; } .toc-mobile { display: block; }
}
@media (max-width: 768px) {
  .layout { display: block; padding: 0 .8rem; }
  .menu-toggle { display: block; }
  .repo-link { display: none; }
  .search-form { flex: 1 1 auto; margin-left: auto; }
  .sidebar { display: none; position: fixed; top: var(--topbar-h); left: 0; bottom: 0; width: 80%; max-width: 20rem;
    max-height: none; background: #fff; z-index: 9; padding: 1rem; box-shadow: 2px 0 8px rgba(0,0,0,.2); }
  body.sidebar-open .sidebar { display: block; }
  .content .jp-RenderedHTMLCommon h1 { font-size: 1.6rem; }
  .pager a { max-width: 100%; }
}
"""

# --- headless Chromium, on a local http server ---------------------------------------------------------

CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync',
                  '--disable-dev-shm-usage', '--hide-scrollbars',
                  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']   # nothing but the local server

def find_chromium():
    "Path of a Chromium/Chrome binary, or None."
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        if p := shutil.which(name): return p
    return None

class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, '.wasm': 'application/wasm',
                      '.js': 'text/javascript', '.pf_meta': 'application/octet-stream'}
    def log_message(self, fmt, *args): self.server.log.append((self.command, self.path, int(args[1]) if len(args) > 1 and str(args[1]).isdigit() else 0))

class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)): super().handle_error(request, client_address)

@contextlib.contextmanager
def serve(folder:Path):
    "Serve `folder` on 127.0.0.1 at a free port; yields (base_url, log of (method, path, status))."
    srv = _Server(('127.0.0.1', 0), functools.partial(_Handler, directory=str(folder)))
    srv.log = []
    t = threading.Thread(target=srv.serve_forever, daemon=True); t.start()
    try: yield f'http://127.0.0.1:{srv.server_address[1]}/', srv.log
    finally: srv.shutdown(); srv.server_close()

def chromium(url:str, *args, timeout=90)->subprocess.CompletedProcess:
    "Run headless Chromium on `url` with a fresh, empty profile and the given extra arguments."
    exe = find_chromium()
    if exe is None: raise FileNotFoundError('no chromium found: install it with `apt-get install -y chromium`')
    with tempfile.TemporaryDirectory(prefix='chromium-profile-') as prof:
        return subprocess.run([exe, *CHROMIUM_FLAGS, f'--user-data-dir={prof}', *args, url],
                              capture_output=True, text=True, timeout=timeout)

def dump_dom(url:str, budget_ms=3000)->str:
    "The DOM of `url` after load (and `budget_ms` of virtual time for its scripts), as Chromium serialises it."
    r = chromium(url, f'--virtual-time-budget={budget_ms}', '--dump-dom')
    if r.returncode != 0: raise RuntimeError(f'chromium failed on {url}: {r.stderr[-2000:]}')
    return r.stdout

def screenshot(url:str, dest:Path, size='1280,1600')->Path:
    "Save a PNG screenshot of `url` at window `size` ('width,height') to `dest`."
    dest = Path(dest).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists(): dest.unlink()
    r = chromium(url, f'--screenshot={dest}', f'--window-size={size}', '--force-device-scale-factor=1',
                 '--virtual-time-budget=3000')
    if not dest.exists() or dest.stat().st_size == 0: raise RuntimeError(f'no screenshot of {url}: {r.stderr[-2000:]}')
    return dest

SHOTS = {'desktop': '1280,1600', 'phone': '390,1200'}
SHOT_PAGES = ('index', 'linear')

def take_screenshots(site:Path, dest:Path)->list:
    "Screenshots of the landing page and the linear-model lesson, at desktop and phone widths, into `dest`."
    shots = []
    with serve(site) as (base, _):
        for page in SHOT_PAGES:
            if not (site/f'{page}.html').exists(): continue
            for label, size in SHOTS.items(): shots.append(screenshot(f'{base}{page}.html', Path(dest)/f'{page}-{label}.png', size))
    return shots

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('src', nargs='?', default=str(ROOT/'_build'/'nbs'), help='folder of executed notebooks (default _build/nbs; falls back to nbs/)')
    p.add_argument('--out', default=str(ROOT/'_build'/'site'), help='output folder (default _build/site)')
    p.add_argument('--no-screenshot', action='store_true', help='skip the Chromium screenshots')
    a = p.parse_args(argv)
    t0 = time.time()
    pages = render_site(Path(a.src), Path(a.out))
    print(f'render_site: {len(pages)} pages in {a.out} ({time.time()-t0:.1f} s)')
    if a.no_screenshot: return
    if find_chromium() is None:
        print('render_site: no chromium, no screenshots (apt-get install -y chromium)'); return
    t1 = time.time()
    shots = take_screenshots(Path(a.out), Path(a.out)/'screenshots')
    print(f'render_site: {len(shots)} screenshots in {Path(a.out)/"screenshots"} ({time.time()-t1:.1f} s)')

if __name__ == '__main__': main()
