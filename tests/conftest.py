import os
from pathlib import Path
import pytest
os.environ.setdefault('MNIST_SGD_THREADS', '1')  # one torch thread here and in the processes tests start
from mnist_sgd.data import course_setup
course_setup(data=False)  # warnings quieted, one torch thread: the same digits as the lessons on any machine
from mnist_sgd.data import mnist_sample_path

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: takes more than a few seconds (run by the README test command)')
    config.addinivalue_line('markers', "repo: tests the checkout's own files (site, README, package build, tools/), not the "
                                       "package's API: run in the dev environment; the users' runs the others")

REPO_TESTS = ('test_site.py', 'test_readme.py', 'test_package.py', 'test_course.py', 'test_users.py', 'test_practice_notebooks.py')  # marked `repo`
IN_CHECKOUT = (Path(__file__).resolve().parents[1]/'tools'/'__init__.py').exists()
# a copy of tests/ outside the checkout (the users' environment, scripts/test users) has no nbs/ or tools/ to test: not collected
collect_ignore = [] if IN_CHECKOUT else list(REPO_TESTS)

@pytest.fixture(scope='session')
def sample_dir(tmp_path_factory):
    "One MNIST_SAMPLE folder written from the shipped file, shared by the tests (and pytest-xdist's workers) that only read it."
    from filelock import FileLock  # a requirement of torch
    base = tmp_path_factory.getbasetemp()
    if os.environ.get('PYTEST_XDIST_WORKER'): base = base.parent  # the folder all workers of this run share
    with FileLock(base/'mnist_sample.lock'): return mnist_sample_path(base)  # the first writes it, the others check it

# The slowest test files first (measured: the site and data tests about 30 s each, then the CLI's and the README's): with `--dist loadfile --no-loadscope-reorder`, as scripts/test runs pytest, the workers finish about together.
SLOWEST_FIRST = ['test_site.py', 'test_data.py', 'test_cli.py', 'test_readme.py']

def pytest_collection_modifyitems(items):
    "Mark the tests of `REPO_TESTS` `repo`; run the files of `SLOWEST_FIRST` first, in that order (a stable sort)."
    for it in items:
        if it.path.name in REPO_TESTS: it.add_marker(pytest.mark.repo)
    items.sort(key=lambda it: SLOWEST_FIRST.index(it.path.name) if it.path.name in SLOWEST_FIRST else len(SLOWEST_FIRST))
