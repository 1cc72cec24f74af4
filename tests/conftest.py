import pytest
from mnist_sgd.core import course_setup
course_setup(data=False)  # warnings quieted, one torch thread: the same digits as the lessons on any machine
from mnist_sgd.data import write_mnist_sample

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: trains a model for more than a few seconds (run by the README test command)')

@pytest.fixture(scope='session')
def sample_dir(tmp_path_factory):
    "One MNIST_SAMPLE folder written from the shipped file, shared by the tests that only read it."
    return write_mnist_sample(tmp_path_factory.mktemp('data')/'mnist_sample')
