"The package's bottom floor (mnist_sgd.core): `quiet_fit` trains without printing, and the modules import each other without a circle, core importing none."
import ast
from pathlib import Path
import pytest, torch
from torch import nn
import mnist_sgd
from mnist_sgd.core import quiet_fit
from fastai.data.core import DataLoaders
from fastai.learner import Learner
from fastai.metrics import accuracy
from fastai.torch_core import set_seed
import fastai.callback.progress  # every new Learner gets a progress bar

PKG = Path(mnist_sgd.__file__).parent  # the installed package in the users' environment, the checkout's in the dev one

def package_imports(src:str, modules:set)->set:
    "The modules of `modules` that the source `src` of a module of the package imports, at module level or in a function."
    found = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level == 0 and base != 'mnist_sgd' and not base.startswith('mnist_sgd.'): continue
            base = base.removeprefix('mnist_sgd').lstrip('.')
            if base: found.add(base.split('.')[0])
            else: found |= {a.name for a in node.names if a.name in modules} or {'__init__'}
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == 'mnist_sgd': found.add('__init__')
                elif a.name.startswith('mnist_sgd.'): found.add(a.name.split('.')[1])
    return found & (modules | {'__init__'})

def import_graph(pkg:Path=PKG)->dict:
    "{module: the package's modules it imports} for every module of the package at `pkg`."
    modules = {p.stem for p in pkg.glob('*.py')}
    return {p.stem: package_imports(p.read_text(encoding='utf-8'), modules) for p in pkg.glob('*.py')}

def find_circle(graph:dict)->list:
    "A list of modules that import each other in a circle, `[a, b, ..., a]`; `[]` if there is none."
    state = {}
    def visit(m, path):
        state[m] = 'open'
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 'open': return path[path.index(n):] + [n]
            if n not in state and (c := visit(n, path + [n])): return c
        state[m] = 'done'
        return []
    for m in sorted(graph):
        if m not in state and (c := visit(m, [m])): return c
    return []

def test_import_parser_sees_every_form():
    src = ('import json\nfrom . import results\nfrom .data import x\nfrom mnist_sgd.learner import y\nimport mnist_sgd\n'
           'import mnist_sgd.deeper\nfrom fastai.learner import Learner\ndef f():\n    from .core import z\n')
    mods = {'results', 'data', 'learner', 'deeper', 'core', 'cli'}
    assert package_imports(src, mods) == {'results', 'data', 'learner', '__init__', 'deeper', 'core'}

def test_find_circle():
    assert find_circle({'a': {'b'}, 'b': {'c'}, 'c': set()}) == []
    assert find_circle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert find_circle({'core': {'data'}, 'data': {'core'}}) == ['core', 'data', 'core']

def test_the_package_has_no_circle():
    graph = import_graph()
    assert {'core', 'data', 'results', 'recipes', 'cli'} <= set(graph)
    assert find_circle(graph) == [], f'modules that import each other: {" -> ".join(find_circle(graph))}'

def test_core_is_the_bottom_floor():
    assert import_graph()['core'] == set(), 'mnist_sgd.core may import no other module of the package'

def test_rooms():
    "Recipes, results and the command line are separate rooms: the results need no recipe, the recipes no command line."
    graph = import_graph()
    assert 'cli' not in set().union(*(v for k, v in graph.items() if k != 'cli')), 'nothing imports the command line'
    assert graph['results'] <= {'core', '__init__'} and 'recipes' not in graph['results']
    assert {'recipes', 'results'} <= graph['cli']

def tiny_learner():
    "A fastai `Learner` that learns the sign of a number, on the CPU, with a progress bar by default."
    set_seed(0)
    x = torch.randn(256, 1); y = (x[:, 0] > 0).long()
    dls = DataLoaders.from_dsets(list(zip(x, y)), list(zip(x, y)), bs=64, device='cpu')
    return Learner(dls, nn.Linear(1, 2), loss_func=nn.CrossEntropyLoss(), metrics=accuracy)

def test_quiet_fit_prints_nothing_and_returns_the_metric(capsys):
    learn = tiny_learner()
    acc = quiet_fit(learn, 'fit', 3, 0.1)
    assert capsys.readouterr().out == '', 'no progress bar, no table of epochs'
    assert type(acc) is float and acc == learn.recorder.values[-1][2] and acc > 0.9
    assert len(learn.recorder.values) == 3

def test_quiet_fit_one_cycle_with_keywords(capsys):
    learn = tiny_learner()
    quiet_fit(learn, 'fit_one_cycle', 2, lr_max=0.1)
    assert capsys.readouterr().out == '' and len(learn.recorder.values) == 2
    learn.fit(1, 0.1)  # the bar and the table are back afterwards
    assert 'epoch' in capsys.readouterr().out

def test_quiet_fit_unknown_method():
    with pytest.raises(AttributeError, match='fitt'): quiet_fit(tiny_learner(), 'fitt', 1)
