#!/usr/bin/env python
"""Render the course site offline: executed notebooks -> static HTML pages in `_build/site`, with nbconvert.

The real site is built by nbdev + Quarto on GitHub (.github/workflows/deploy.yaml); Quarto cannot run here,
so this renders the same notebooks with nbconvert, keeping what nbdev's docs keep:
  - every notebook in nbs/, taken from the executed copy in SRC (default `_build/nbs`, which README
    command 1 `bash scripts/course` fills) when there is one, else from nbs/ (whose notebooks carry
    their outputs); `index.ipynb` becomes the landing page `index.html`;
  - outputs and plots kept (images inlined as data: URIs), `#| hide` cells dropped, directive-only cells
    (`#| default_exp`) dropped, `#| echo: false` cells shown without their input, `#|` lines stripped;
  - links between notebooks (`01_baseline.ipynb`) point at the pages (`01_baseline.html`); links to other
    files of the repository point at GitHub; a navigation bar on every page links every page;
  - no request leaves the machine: no require.js, MathJax or widget scripts from CDNs, and the remote
    "Open in Colab" badge image is replaced by a text badge (the link to Colab stays).
Then, when Chromium is installed, it serves the site on 127.0.0.1 and saves a screenshot of the landing page
as `_build/site/screenshot.png`.

    python tools/render_site.py [SRC] [--out _build/site] [--no-screenshot]
"""
import argparse, contextlib, functools, html, http.server, os, re, shutil, socket, subprocess, sys, tempfile
import threading, time
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
REPO_URL = 'https://github.com/mnist-sgd/mnist_sgd'
BRANCH = 'main'

_directive_re = re.compile(r'^\s*#\s*\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def split_directives(src:str)->tuple:
    "nbdev directives (`#| hide`, `#| echo: false`) at the top of a cell as a dict, and the rest of the source."
    lines, dirs = src.splitlines(), {}
    i = 0
    while i < len(lines):
        m = _directive_re.match(lines[i])
        if m: dirs[m.group(1)] = m.group(2)
        elif lines[i].strip(): break
        i += 1
    return dirs, '\n'.join(lines[i:]).strip('\n')

def cell_view(cell)->str:
    "How the docs show a cell: 'drop', 'output' (input hidden) or 'full'."
    if cell.cell_type != 'code': return 'full'
    dirs, body = split_directives(cell.source)
    if 'hide' in dirs or ('default_exp' in dirs and not body): return 'drop'
    if dirs.get('echo', '').lower() == 'false' or 'hide_input' in dirs: return 'output'
    return 'full'

def nb_title(nb, default:str)->str:
    "The `# Title` of the notebook's first markdown cell."
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return default

def find_notebooks(src:Path, nbs:Path=NBS)->list:
    "(name, path) of every notebook in `nbs`, from `src` where it was executed there, index first."
    names = {p.name for p in nbs.glob('*.ipynb')} | {p.name for p in Path(src).glob('*.ipynb')}
    names = sorted((n for n in names if not n.startswith(('_', '.'))), key=lambda n: (n != 'index.ipynb', n))
    return [(n, Path(src)/n if (Path(src)/n).exists() else nbs/n) for n in names]

TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<link rel="icon" href="data:,">
<style>
nav.site-nav {font-family: system-ui, sans-serif; background: #2c3e50; padding: .6em 1em; margin: 0 0 1em 0;
  display: flex; flex-wrap: wrap; row-gap: .3em;}
nav.site-nav a {color: #fff; margin-right: 1.2em; text-decoration: none; white-space: nowrap;}
nav.site-nav a.current {font-weight: bold; text-decoration: underline;}
span.colab-badge {display: inline-block; background: #f9ab00; color: #000; font: 600 12px system-ui, sans-serif;
  padding: 3px 8px; border-radius: 3px;}
main {max-width: 1100px; margin: 0 auto;}
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.site_nav }}
{%- endblock body_header -%}
"""

def make_exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    return HTMLExporter(extra_loaders=[DictLoader({'site.html.j2': TEMPLATE})], template_file='site.html.j2',
                        embed_images=True, exclude_input_prompt=True, exclude_output_prompt=True)

_badge_re = re.compile(r'<img[^>]*src="https://colab\.research\.google\.com/assets/colab-badge\.svg"[^>]*>')
_href_re = re.compile(r'(href|src)="([^"]*)"')

def fix_links(page:str, site_names:set, nb_dir:Path)->str:
    "Notebook links -> pages; links to other repo files -> GitHub; the remote Colab badge -> a text badge."
    page = _badge_re.sub('<span class="colab-badge">Open in Colab</span>', page)
    def repl(m):
        attr, url = m.groups()
        u = urlsplit(url)
        if u.scheme or u.netloc or url.startswith(('#', 'data:', 'mailto:')) or not u.path: return m.group(0)
        path = unquote(u.path)
        frag = f'#{u.fragment}' if u.fragment else ''
        if path.endswith('.ipynb') and Path(path).name in site_names and '/' not in path.strip('./'):
            return f'{attr}="{Path(path).stem}.html{frag}"'
        target = (nb_dir/path).resolve()
        if target.exists() and ROOT in target.parents:
            kind = 'tree' if target.is_dir() else 'blob'
            return f'{attr}="{REPO_URL}/{kind}/{BRANCH}/{target.relative_to(ROOT).as_posix()}{frag}"'
        return m.group(0)
    return _href_re.sub(repl, page)

def render_site(src:Path=ROOT/'_build'/'nbs', out:Path=ROOT/'_build'/'site', nbs:Path=NBS, quiet=False)->list:
    "Render every notebook to `out`/<name>.html (see the module docstring); returns the pages written."
    import nbformat
    src, out = Path(src), Path(out)
    if not src.is_dir():
        if not quiet: print(f'render_site: {src} does not exist (run `bash scripts/course` to fill it); using {nbs}')
        src = nbs
    found = find_notebooks(src, nbs)
    if not found: raise FileNotFoundError(f'no notebooks in {src} or {nbs}')
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    nbs_read = [(name, path, nbformat.read(path, as_version=4)) for name, path in found]
    pages = [('index' if name == 'index.ipynb' else Path(name).stem, nb_title(nb, Path(name).stem))
             for name, _, nb in nbs_read]
    if 'index' not in dict(pages): pages.insert(0, ('index', 'Home'))
    site_names = {name for name, *_ in found}
    exporter = make_exporter()
    written = []
    def nav(current):
        links = ''.join(f'<a href="{p}.html"{" class=current" if p == current else ""}>{html.escape(t)}</a>'
                        for p, t in pages)
        return f'<nav class="site-nav">{links}</nav>'
    for name, path, nb in nbs_read:
        stem = Path(name).stem
        cells = []
        for c in nb.cells:
            view = cell_view(c)
            if view == 'drop': continue
            if c.cell_type == 'code':
                c.source = split_directives(c.source)[1]
                if view == 'output': c.metadata['transient'] = {'remove_source': True}
            cells.append(c)
        nb.cells = cells
        nb.metadata['title'] = nb_title(nb, stem)
        body, _ = exporter.from_notebook_node(nb, resources={'site_nav': nav(stem)})
        dest = out/f'{stem}.html'
        dest.write_text(fix_links(body, site_names, nbs), encoding='utf-8')
        written.append(dest)
        if not quiet: print(f'render_site: {path.relative_to(ROOT) if ROOT in path.parents else path} -> {dest}')
    if not (out/'index.html').exists():
        items = ''.join(f'<li><a href="{p}.html">{html.escape(t)}</a></li>' for p, t in pages if p != 'index')
        (out/'index.html').write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>mnist_sgd</title>'
                                      f'</head><body><h1>mnist_sgd</h1><ul>{items}</ul></body></html>')
        written.insert(0, out/'index.html')
    return written

# --- headless Chromium, on a local http server ---------------------------------------------------------

CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars']

def find_chromium():
    "Path of a Chromium/Chrome binary, or None."
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        if p := shutil.which(name): return p
    return None

class _Handler(http.server.SimpleHTTPRequestHandler):
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

def chromium(url:str, *args, timeout=60)->subprocess.CompletedProcess:
    "Run headless Chromium on `url` with a fresh profile and the given extra arguments."
    exe = find_chromium()
    if exe is None: raise FileNotFoundError('no chromium found: install it with `apt-get install -y chromium`')
    with tempfile.TemporaryDirectory(prefix='chromium-profile-') as prof:
        return subprocess.run([exe, *CHROMIUM_FLAGS, f'--user-data-dir={prof}', *args, url],
                              capture_output=True, text=True, timeout=timeout)

def dump_dom(url:str)->str:
    "The DOM of `url` after load, as Chromium serialises it."
    r = chromium(url, '--virtual-time-budget=3000', '--dump-dom')
    if r.returncode != 0: raise RuntimeError(f'chromium failed on {url}: {r.stderr[-2000:]}')
    return r.stdout

def screenshot(url:str, dest:Path, size='1280,1600')->Path:
    "Save a PNG screenshot of `url` to `dest`."
    dest = Path(dest).resolve()
    r = chromium(url, f'--screenshot={dest}', f'--window-size={size}', '--virtual-time-budget=3000')
    if not dest.exists() or dest.stat().st_size == 0: raise RuntimeError(f'no screenshot of {url}: {r.stderr[-2000:]}')
    return dest

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('src', nargs='?', default=str(ROOT/'_build'/'nbs'), help='folder of executed notebooks (default _build/nbs; falls back to nbs/)')
    p.add_argument('--out', default=str(ROOT/'_build'/'site'), help='output folder (default _build/site)')
    p.add_argument('--no-screenshot', action='store_true', help='skip the Chromium screenshot of the landing page')
    a = p.parse_args(argv)
    t0 = time.time()
    pages = render_site(Path(a.src), Path(a.out))
    print(f'render_site: {len(pages)} pages in {a.out} ({time.time()-t0:.1f} s)')
    if a.no_screenshot: return
    if find_chromium() is None:
        print('render_site: no chromium, no screenshot (apt-get install -y chromium)'); return
    t1 = time.time()
    with serve(Path(a.out)) as (base, log): shot = screenshot(base+'index.html', Path(a.out)/'screenshot.png')
    print(f'render_site: screenshot of the landing page in {shot} ({time.time()-t1:.1f} s)')

if __name__ == '__main__': main()
