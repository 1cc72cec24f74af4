"""Build the course's docs site with Sphinx, myst-nb and sphinx-book-theme, from executed notebooks.

    python -m tools.site [SRC] [OUT]    # default: _build/nbs -> _build/site (`bash scripts/course` runs it)

The same command builds the site here, in CI and in the deploy job; it needs no network and executes nothing
(myst-nb's execution is off: the notebooks carry their outputs). Each notebook of SRC is read with nbdev's own
directive parsing (`NBProcessor`, which calls `extract_directives`, and its `add_show_docs` and `hide_line`
processors) and written, as nbdev's docs show it, into a staging folder that Sphinx builds:
  - `#| hide` and `#| include: false` cells are removed, `#| echo: false` keeps only the output (myst-nb's
    `remove-input` tag), `#| output: false` only the code (`remove-output`); every `#|` line is stripped from the
    code shown; `#| export`/`#| exports` cells are shown, each followed by nbdev's `show_doc` of the public
    functions and classes it defines (unless the notebook calls `show_doc` for them itself); markdown outputs
    of cells whose input is hidden (show_doc's, the landing page's tables) are shown as markdown, as Quarto shows
    `output: asis`, so that their headings are the page's;
  - nbdev's frontmatter (`# Title` then `> description`) becomes the page's title and a lead paragraph;
  - Quarto callouts left in markdown (`::: {.callout-tip}`) become admonitions, collapsed ones
    (`collapse="true"`) `<details>` folds; `<details>` blocks pass through as HTML with markdown inside;
  - links to the site (`https://mnist-sgd.github.io/mnist_sgd/linear.html#x`) and to notebooks
    (`03_linear.ipynb`) become links between pages, which Sphinx checks.
Pages keep nbdev's names (`03_linear.ipynb` -> `linear.html`). The sidebar lists index first, then the numbered
notebooks in file-name order: those under 90 as the course, 90 and up as appendices. Every page has its table of
contents, previous/next links, Sphinx's search, and a Colab launch button (the repository from settings.ini).
For learners: copy buttons on code (sphinx-copybutton), a download of each notebook (`notebooks/`), names in the
text linked to their docs (the API reference; fastai's and fastcore's docs from their installed `_modidx`; PyTorch's
for names the installed torch has), alt text on plots (`#| fig-alt:`, else the plot's titles and labels). Offline:
nothing loads from another host (the Colab badge ships with the site; the theme's fontawesome.js, which its CSS
makes redundant, and the source maps are dropped), and headings and inline code wrap on a phone.
"""
import argparse, configparser, copy, functools, html, importlib, inspect, json, re, shutil, sys, tempfile, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def settings(root:Path=ROOT)->dict:
    "The site's settings from nbdev's settings.ini: title, description, user, repo, branch, lib, site URL."
    ini = configparser.ConfigParser(); ini.read(root/'settings.ini')
    d = ini['DEFAULT']
    return dict(title=d['title'], description=d['description'], user=d['user'], repo=d['repo'], branch=d['branch'],
                author=d['author'], copyright=d['copyright'],
                lib=d['lib_name'], git_url=d['git_url'], site_url=d['doc_host'] + d['doc_baseurl'].rstrip('/') + '/')

# --- pages: names and order ----------------------------------------------------------------------------------

def page_name(nb:str)->str:
    "The page nbdev makes of notebook `nb`: its name without the number prefix (`03_linear.ipynb` -> `linear`)."
    return re.sub(r'^\d+[a-zA-Z0-9]*_', '', Path(nb).stem.lower())

def _number(nb:Path): m = re.match(r'(\d+)', nb.name); return int(m.group(1)) if m else None

def course_order(src:Path)->list:
    "The notebooks of `src` in the site's order: index, then the numbered ones by file name, then any others."
    nbs = [p for p in sorted(Path(src).glob('*.ipynb')) if not p.name.startswith(('_', '.'))]
    key = lambda p: (p.stem != 'index', _number(p) is None, p.name)
    return sorted(nbs, key=key)

def sections(order:list)->list:
    "(caption, notebooks) for the sidebar: the course (numbered below 90, and unnumbered), then the appendices."
    rest = [p for p in order if p.stem != 'index']
    app = [p for p in rest if (_number(p) or 0) >= 90]
    return [(c, ps) for c, ps in (('Course', [p for p in rest if p not in app]), ('Appendices', app)) if ps]

# --- markdown: frontmatter, callouts, links --------------------------------------------------------------------

_fm_re = re.compile(r'\A\s*#\s+(?P<title>[^\n]+)\n+>\s*(?P<desc>[^\n]+)\n?')

def frontmatter(md:str)->str:
    "nbdev's title cell (`# Title` / `> description`) as a title and a lead paragraph."
    return _fm_re.sub(lambda m: f"# {m['title'].strip()}\n\n{{.lead}}\n{m['desc'].strip()}\n\n", md, count=1).rstrip()

def _inline_html(s:str)->str:
    "A title's inline markdown (code, bold, italics) as HTML, for a `<summary>`."
    s = html.escape(s, quote=False)
    s = re.sub(r'`([^`]+)`', r'<code>\1</code>', s)
    s = re.sub(r'\*\*([^*]+)\*\*', r'<strong>\1</strong>', s)
    return re.sub(r'(?<![\w*])[*_]([^*_]+)[*_](?![\w*])', r'<em>\1</em>', s)

_open_re, _close_re = re.compile(r'^\s*:{3,}\s*\{([^}]*)\}\s*$'), re.compile(r'^\s*:{3,}\s*$')
_KINDS = {'note', 'tip', 'warning', 'important', 'caution'}

def convert_callouts(md:str)->str:
    "Quarto fenced divs -> MyST admonitions (`:::{tip}`), or `<details>` folds where `collapse=\"true\"`."
    lines, out, stack, i = md.split('\n'), [], [], 0
    while i < len(lines):
        line = lines[i]; i += 1
        if m := _open_re.match(line):
            attrs = m.group(1)
            if attrs.strip() in _KINDS or attrs.strip().startswith(tuple(_KINDS)):  # already MyST: `:::{note}`
                stack.append('myst'); out.append(line); continue
            kind = re.search(r'\.callout-(\w+)', attrs)
            if not kind: stack.append(None); continue          # another fenced div (.column-margin): content only
            kind = kind.group(1) if kind.group(1) in _KINDS else 'note'
            t = re.search(r'title\s*=\s*"([^"]*)"', attrs)
            title = t.group(1) if t else None
            if title is None:
                j = i
                while j < len(lines) and not lines[j].strip(): j += 1
                if j < len(lines) and (h := re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', lines[j])): title, i = h.group(1), j + 1
            if re.search(r'collapse\s*=\s*"?true', attrs):
                stack.append('details')
                out += [f'<details class="callout-{kind}"><summary>{_inline_html(title or kind.title())}</summary>', '']
            else:
                stack.append('admonition')
                out += [f':::{{admonition}} {title}', f':class: {kind}'] if title else [f':::{{{kind}}}']
        elif _close_re.match(line) and stack:
            kind = stack.pop()
            if kind == 'details': out += ['', '</details>']
            elif kind: out.append(':::')
        else: out.append(line)
    return '\n'.join(out)

_link_re = re.compile(r'\]\((?P<url>[^)\s]+)\)')

def rewrite_links(md:str, pages:dict, site_url:str)->str:
    "Markdown links to the site's pages or to course notebooks -> links to the page's notebook, which MyST resolves."
    def repl(m):
        url = m['url']; path, _, frag = url.partition('#')
        if url.startswith(site_url) or url == site_url.rstrip('/'):
            rest = path[len(site_url):].strip('/') or 'index.html'
            name = rest[:-5] if rest.endswith('.html') else rest
            if name in pages.values(): return f'](project:{name}.ipynb' + (f'#{frag}' if frag else '') + ')'
        elif path in pages or path[:-5] in pages.values():       # 03_linear.ipynb or linear.html, relative
            name = pages.get(path) or path[:-5]
            return f'](project:{name}.ipynb' + (f'#{frag}' if frag else '') + ')'
        return m.group(0)
    return _link_re.sub(repl, md)

def _text(x)->str: return ''.join(x) if isinstance(x, list) else x

def plot_alt(cell)->str:
    "Alt text for a plot whose cell has no `#| fig-alt:`: its titles and axis labels, from the code; '' if no image."
    if not any(k.startswith('image/') for o in cell.get('outputs') or [] for k in o.get('data', {})): return ''
    said = re.findall(r"(?:title|xlabel|ylabel|label)\s*[=(]\s*f?['\"]([^'\"{]+)['\"]", cell.source)
    return 'A figure drawn by the code above' + (': ' + ', '.join(dict.fromkeys(said)) if said else '')

# --- names in the text -> their docs, with no network: nbdev's indexes and the installed torch -------------------

def _slug(heading:str)->str:
    "MyST's anchor of a heading (GitHub's rule): lower case, punctuation but `-` and `_` dropped."
    return re.sub(r'[^\w\- ]', '', heading.lower()).replace(' ', '-')

def _modidx_links(modidx:dict)->dict:
    "{name: URL} from an nbdev `_modidx`: names unique in the package (`Learner`), and methods (`Learner.fit`)."
    host = (modidx['settings']['doc_host'].rstrip('/') + '/' + modidx['settings']['doc_baseurl'].strip('/')).rstrip('/')
    out, seen = {}, {}
    for mod, syms in modidx['syms'].items():
        for sym, (url, _) in syms.items():
            qual = sym[len(mod)+1:]
            if any(p.startswith('_') for p in qual.split('.')): continue
            seen[qual] = seen.get(qual, 0) + 1; out[qual] = f'{host}/{url}'
    return {k: v for k, v in out.items() if seen[k] == 1}

def api_links(api_nb:dict, page:str='api')->dict:
    "{name: link}: each entry of the API reference notebook (its outputs' `### name` headings) -> its anchor."
    md = '\n'.join(_text(o.get('data', {}).get('text/markdown', '')) for c in api_nb['cells'] for o in c.get('outputs', []))
    return {h: f'project:{page}.ipynb#{_slug(h)}' for h in re.findall(r'^###\s+([\w.]+)\s*$', md, re.M)}

TORCH_DOCS = 'https://docs.pytorch.org/docs/stable/'
# names the lessons write without `torch.`: (what they are in torch, its page)
TORCH_NAMES = {'Tensor': 'tensors.html', 'nn.Module': 'generated/torch.nn.Module.html', 'backward': 'generated/torch.Tensor.backward.html',
               'requires_grad_': 'generated/torch.Tensor.requires_grad_.html', 'no_grad': 'generated/torch.no_grad.html',
               'unsqueeze': 'generated/torch.Tensor.unsqueeze.html', 'view': 'generated/torch.Tensor.view.html'}

def _torch_link(name:str):
    "`torch.x`, `nn.X` or `F.x` as a URL into PyTorch's docs, if the installed torch has it; else None."
    full = re.sub(r'^F\.', 'torch.nn.functional.', re.sub(r'^nn\.', 'torch.nn.', name))
    if not full.startswith('torch.'): return None
    import torch
    obj = torch
    for part in full.split('.')[1:]:
        if not hasattr(obj, part): return None
        obj = getattr(obj, part)
    if inspect.ismodule(obj): return f"{TORCH_DOCS}{full[len('torch.'):]}.html"   # torch.nn.functional -> nn.functional.html
    return f'{TORCH_DOCS}generated/{full}.html'

@functools.lru_cache(None)
def doc_links()->dict:
    "{name: URL}: fastcore's and fastai's names (their installed `_modidx`, no network), and a few of torch's."
    out = {k: TORCH_DOCS + v for k, v in TORCH_NAMES.items()}
    for pkg in ('fastcore', 'fastai'): out.update(_modidx_links(importlib.import_module(f'{pkg}._modidx').d))
    return out

_code_re = re.compile(r'(?<!\[)`(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?P<call>\(\))?`(?!\]\()')

def link_names(md:str, links:dict)->str:
    "Inline code naming a documented thing (`Learner`, `torch.where`, `mnist_loss()`) -> a link to its docs."
    def repl(m):
        url = links.get(m['name']) or _torch_link(m['name'])
        return f'[{m.group(0)}]({url})' if url else m.group(0)
    out, fence = [], False
    for line in md.split('\n'):
        if line.lstrip().startswith(('```', '~~~')): fence = not fence
        skip = fence or line.lstrip().startswith('#') or '<summary' in line or line.startswith('    ')
        out.append(line if skip else _code_re.sub(repl, line))
    return '\n'.join(out)

# --- offline: the Colab badge shipped with the site, headings that wrap ----------------------------------------

COLAB_BADGE = 'https://colab.research.google.com/assets/colab-badge.svg'
BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">
<rect width="117" height="20" rx="3" fill="#555"/><rect x="22" width="95" height="20" rx="3" fill="#f9ab00"/>
<rect x="22" width="4" height="20" fill="#f9ab00"/><circle cx="8" cy="10" r="4" fill="none" stroke="#f9ab00" stroke-width="2.5"/>
<circle cx="15" cy="10" r="4" fill="none" stroke="#e8710a" stroke-width="2.5"/>
<text x="69" y="14" fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">Open in Colab</text></svg>
"""
SITE_CSS = """/* the course's additions to sphinx-book-theme (tools/site.py) */
h1, h2, h3, h4, h5, h6, .bd-toc-nav a, .bd-sidenav a, .admonition-title, summary { overflow-wrap: anywhere; }
table { overflow-wrap: anywhere; }
/* inline code (long module names, hashes) wraps too: docutils keeps it on one line otherwise */
:is(h1, h2, h3, h4, h5, h6, p, li, td, th, summary) code span.pre { white-space: normal; overflow-wrap: anywhere; }
"""

# --- notebooks: nbdev's directives -> myst-nb's tags ----------------------------------------------------------

_directive_line_re = re.compile(r'^\s*#\s*\|')

def _false(d:dict, key:str)->bool: return [str(v).lower() for v in d.get(key, [])][:1] == ['false']

def show_doc_md(lib:str, mod:str, name:str):
    "nbdev's `show_doc` of `lib.mod.name` as markdown, without Quarto's link attributes; None if it can't be had."
    from nbdev.showdoc import show_doc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            obj = importlib.import_module(f'{lib}.{mod}')
            for part in name.split('.'): obj = getattr(obj, part)
        md = show_doc(obj)._repr_markdown_()
    except Exception: return None
    return re.sub(r'\)\{target="_blank"[^}]*\}', ')', md).replace('#LNone)', ')')

def prepare(nb:dict, pages:dict, cfg:dict, show_docs:bool=True)->dict:
    "The notebook (a dict as in the .ipynb file) as the site shows it: nbdev's directives as myst-nb tags."
    from execnb.nbio import dict2nb, nb2dict
    from nbdev.process import NBProcessor
    from nbdev.processors import add_show_docs, hide_line, _default_exp
    nb = dict2nb(copy.deepcopy(nb))
    mod = _default_exp(nb)

    def view(cell):
        "One cell: dropped (no source), tagged, its directive lines stripped; show_doc cells get their output."
        d, tags = cell.directives_, []
        if cell.cell_type == 'raw' or 'hide' in d or _false(d, 'include:'): del cell['source']; return
        if cell.cell_type == 'markdown':
            md = rewrite_links(convert_callouts(cell.source), pages, cfg['site_url']).replace(COLAB_BADGE, 'colab-badge.svg')
            cell.source = link_names(md, {**doc_links(), **cfg.get('api_links', {})}); return
        if alt := ' '.join(d.get('fig-alt:', [])) or plot_alt(cell):    # Quarto's alt text, as myst-nb takes it
            cell.metadata['mystnb'] = {**cell.metadata.get('mystnb', {}), 'image': {'alt': alt}}
        if getattr(cell, 'has_sd', False):                      # added by nbdev's add_show_docs
            md = show_doc_md(cfg['lib'], mod, cell.source[len('show_doc('):-1]) if mod and show_docs else None
            if md is None: del cell['source']; return
            cell.outputs = [dict(output_type='display_data', metadata={}, data={'text/markdown': md})]
        cell.source = '\n'.join(l for l in cell.source.splitlines() if not _directive_line_re.match(l)).strip('\n')
        outs = cell.get('outputs') or []
        if not cell.source and not outs: del cell['source']; return
        if not cell.source or _false(d, 'echo:') or 'hide_input' in d or cell.source.startswith('show_doc('):
            tags.append('remove-input')                        # show_doc's input: nbdev's clean_show_doc hides it
        if _false(d, 'output:') or 'hide_output' in d: tags.append('remove-output')
        for o in outs:
            if 'text/markdown' in o.get('data', {}):     # show_doc's `---` rules: docutils allows none in an output
                md = re.sub(r'^-{3,}[ \t]*$\n?', '', _text(o['data']['text/markdown']), flags=re.M)
                o['data']['text/markdown'] = rewrite_links(md, pages, cfg['site_url'])
        if 'remove-input' in tags and all('text/markdown' in o.get('data', {}) for o in outs):
            cell.cell_type, cell.source = 'markdown', '\n\n'.join(o['data']['text/markdown'] for o in outs)
            return                                     # markdown output shown as is (Quarto's `output: asis`)
        if tags: cell.metadata['tags'] = list(cell.metadata.get('tags', [])) + tags

    NBProcessor(nb=nb, procs=[add_show_docs, hide_line, view]).process()
    out = nb2dict(nb)
    out['metadata'].setdefault('language_info', {'name': 'python'})    # myst-nb's lexer for the code cells
    out['metadata'].setdefault('kernelspec', {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'})
    for i, c in enumerate(out['cells']):
        c.pop('has_sd', None); c.setdefault('id', f'site-{i}')
        if c['cell_type'] == 'code': c.setdefault('execution_count', None); c.setdefault('outputs', [])
        else: c.pop('outputs', None); c.pop('execution_count', None)
    md = next((c for c in out['cells'] if c['cell_type'] == 'markdown'), None)
    if md: md['source'] = frontmatter(_text(md['source']))
    return out

def toctree_cell(order:list)->dict:
    "A markdown cell of hidden toctrees: the sidebar, in the course's order, under its captions."
    trees = [f"```{{toctree}}\n:hidden:\n:caption: {cap}\n\n" + '\n'.join(page_name(p.name) for p in ps) + '\n```'
             for cap, ps in sections(order)]
    return dict(cell_type='markdown', id='site-toctree', metadata={}, source='\n\n'.join(trees))

# --- Sphinx -----------------------------------------------------------------------------------------------------

def sphinx_config(cfg:dict)->dict:
    "Sphinx's settings (no conf.py: the staging folder holds only the notebooks)."
    return dict(
        project=cfg['title'], html_title=cfg['title'], html_baseurl=cfg['site_url'],
        extensions=['myst_nb', 'sphinx_copybutton'], html_theme='sphinx_book_theme',
        html_static_path=['_static'], html_css_files=['site.css'], copybutton_exclude='.linenos, .gp, .go',
        html_context=dict(default_mode='auto'), copyright=cfg['copyright'], author=cfg['author'],
        nb_execution_mode='off', nb_merge_streams=True, nb_render_markdown_format='myst',
        myst_enable_extensions=['colon_fence', 'attrs_block', 'attrs_inline'], myst_heading_anchors=4,
        myst_html_meta={'description': cfg['description']},
        html_copy_source=False, html_show_sourcelink=False, html_last_updated_fmt=None,
        exclude_patterns=['_build', '**.ipynb_checkpoints'], suppress_warnings=['myst.header'],
        html_theme_options=dict(
            repository_url=cfg['git_url'], repository_branch=cfg['branch'], path_to_docs='nbs',
            use_repository_button=True, launch_buttons=dict(colab_url='https://colab.research.google.com'),
            home_page_in_toc=True, show_toc_level=2, show_navbar_depth=1, navbar_persistent=[],
            use_download_button=True))

NOTEBOOKS = 'notebooks'   # the site's folder of the course's notebooks, as a learner downloads them

def _header_buttons(names:dict):
    "The theme's buttons: Colab opens the notebook's real name; Download gives the notebook; no brand icons."
    def fix(app, pagename, templatename, context, doctree):
        if pagename not in names: return
        def walk(x):
            if isinstance(x, dict):
                if isinstance(x.get('url'), str) and 'colab.research.google.com' in x['url']:
                    x['url'] = x['url'].replace(f'/nbs/{pagename}.ipynb', f'/nbs/{names[pagename]}')
                if str(x.get('icon', '')).startswith(('fab ', 'fa-brands ')):  # a solid icon: no 110 KB brands font
                    x['icon'] = 'fas fa-code-branch'
                if x.get('label') == 'download-buttons':   # not the staged copy in _sources: the notebook itself
                    nb = dict(type='link', url=context['pathto'](f'{NOTEBOOKS}/{names[pagename]}', 1), text='.ipynb',
                              icon='fas fa-code', tooltip='Download the notebook', label='download-notebook-button')
                    x['buttons'] = [nb] + [b for b in x['buttons'] if b.get('label') == 'download-pdf-button']
                for v in x.values(): walk(v)
            elif isinstance(x, list):
                for v in x: walk(v)
        walk(context.get('header_buttons', []))
    return fix

_fa_script_re = re.compile(r'[ \t]*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>\n?')

def offline(out:Path):
    "Drop the theme's 1.5 MB fontawesome.js (its CSS draws the same icons from the shipped web fonts) and source maps."
    for p in out.glob('*.html'): p.write_text(_fa_script_re.sub('', p.read_text(encoding='utf-8')), encoding='utf-8')
    for p in {*out.glob('_static/**/*.map'), *out.glob('_static/scripts/fontawesome.js*')}: p.unlink()

def stage(src:Path, dest:Path, cfg:dict, show_docs:bool=True)->dict:
    "Write the prepared notebooks of `src` into `dest` under their page names; {page: notebook file name}."
    order = course_order(src)
    files = {p.name: page_name(p.name) for p in order}
    api = next((p for p in order if page_name(p.name) == 'api'), None)
    if api: cfg = {**cfg, 'api_links': api_links(json.loads(api.read_text(encoding='utf-8')))}
    (dest/'colab-badge.svg').write_text(BADGE_SVG, encoding='utf-8')
    (dest/'_static').mkdir(exist_ok=True); (dest/'_static'/'site.css').write_text(SITE_CSS, encoding='utf-8')
    for p in order:
        nb = prepare(json.loads(p.read_text(encoding='utf-8')), files, cfg, show_docs)
        if p.stem == 'index': nb['cells'].append(toctree_cell(order))
        (dest/f'{page_name(p.name)}.ipynb').write_text(json.dumps(nb), encoding='utf-8')
    return {v: k for k, v in files.items()}

def build(src:Path=ROOT/'_build'/'nbs', out:Path=ROOT/'_build'/'site', quiet:bool=False, show_docs:bool=True)->Path:
    "Build the site from the notebooks in `src` into `out` (replaced whole); fails on any Sphinx warning."
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils
    src, out, cfg = Path(src), Path(out), settings()
    if not (src/'index.ipynb').exists(): raise FileNotFoundError(f'{src}/index.ipynb: no landing page to build from')
    with tempfile.TemporaryDirectory(prefix='site-') as tmp:
        tmp = Path(tmp); (tmp/'src').mkdir()
        names = stage(src, tmp/'src', cfg, show_docs)
        with patch_docutils(tmp/'src'), docutils_namespace():  # as sphinx-build does: builds in one process stay apart
            app = Sphinx(str(tmp/'src'), None, str(tmp/'html'), str(tmp/'doctrees'), 'html',
                         confoverrides=sphinx_config(cfg), status=None if quiet else sys.stdout, warning=sys.stderr,
                         warningiserror=True, keep_going=True)
            app.connect('html-page-context', _header_buttons(names), priority=900)
            app.build()
        if app.statuscode: raise RuntimeError(f'site: Sphinx failed (status {app.statuscode}): see the warnings above')
        (tmp/'html'/'.buildinfo').unlink(missing_ok=True)
        offline(tmp/'html')
        (tmp/'html'/NOTEBOOKS).mkdir()
        for page, nb in names.items(): shutil.copy(src/nb, tmp/'html'/NOTEBOOKS/nb)
        if out.exists(): shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(tmp/'html', out)
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('src', nargs='?', default=str(ROOT/'_build'/'nbs'), help='executed notebooks (default _build/nbs)')
    p.add_argument('out', nargs='?', default=str(ROOT/'_build'/'site'), help='the site (default _build/site)')
    p.add_argument('-q', '--quiet', action='store_true', help="no Sphinx progress, warnings only")
    a = p.parse_args(argv)
    t = time.time()
    out = build(Path(a.src), Path(a.out), quiet=a.quiet)
    print(f'site: built {out} from {a.src} in {time.time()-t:.0f} s; open {out}/index.html, '
          f'or serve it: python -m http.server -d {out}')

if __name__ == '__main__': main()
