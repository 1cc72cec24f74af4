import os, re, shutil
import numpy as np, pandas as pd, pytest, torch
from PIL import Image
from mnist_sgd import data
from mnist_sgd.data import (SAMPLE_COUNTS, load_sample_arrays, mnist_sample_tensors, mnist_sample_path,
                            write_mnist_sample, check_mnist_sample, stack_folder, sample_file,
                            arrays_sha256, mnist_full_arrays, mnist_full_file, MNIST_FULL_SHA256)

PREPARE_DATA = 'python -c "from mnist_sgd.data import prepare_data; prepare_data()"'
needs_full_mnist = pytest.mark.skipif(not mnist_full_file().exists(),  # also used by test_ten_digits.py
    reason=f'needs full MNIST, and {mnist_full_file()} is missing: prepare it with {PREPARE_DATA}')

def linked_copy(src, dest):
    "A copy of folder `src` made of hard links, a third of the time of a real copy: change files with `replace_file` only."
    shutil.copytree(src, dest, copy_function=os.link)
    return dest

def replace_file(f, data:bytes):
    "Give `f` new content as a new file, leaving the one it was linked to untouched."
    f.unlink(missing_ok=True); f.write_bytes(data)

def test_shipped_file_counts_and_order():
    a = load_sample_arrays()
    assert a['x'].shape == (14434, 28, 28) and a['x'].dtype == np.uint8
    for (split, d), n in SAMPLE_COUNTS.items():
        sel = (a['valid'] == (split == 'valid')) & (a['y'] == d)
        assert sel.sum() == n
        names = [f'{i}.png' for i in a['idx'][sel]]
        assert names == sorted(names), 'images must be in fastai .ls().sorted() order'

def test_tensors():
    t = mnist_sample_tensors()
    assert [tuple(t[k].shape) for k in ('train3', 'train7', 'valid3', 'valid7')] == \
           [(6131, 28, 28), (6265, 28, 28), (1010, 28, 28), (1028, 28, 28)]
    assert t.train3.dtype == torch.float32 and 0 <= t.train3.min() and t.train3.max() == 1

@pytest.mark.parametrize('damage, msg', [(lambda b: b[:len(b)//2], 'corrupt or truncated'),
                                         (lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:], 'corrupt or truncated')])
def test_damaged_file(tmp_path, damage, msg):
    f = tmp_path/'s.npz'
    f.write_bytes(damage(sample_file().read_bytes()))
    with pytest.raises(ValueError, match=msg): load_sample_arrays(f)

def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='is missing.*tools/build_mnist_sample.py'): mnist_sample_tensors(tmp_path/'no.npz')

def test_folder_layout(sample_dir):
    assert sorted(o.name for o in sample_dir.iterdir()) == ['labels.csv', 'train', 'valid']
    assert (sample_dir/'train'/'3'/'10.png').exists()
    df = pd.read_csv(sample_dir/'labels.csv')
    assert list(df.columns) == ['name', 'label'] and len(df) == 14434
    assert df.label.sum() == 6265 + 1028  # 1 marks a 7
    assert check_mnist_sample(sample_dir) == sample_dir

def test_folder_matches_tensors(sample_dir):
    t = mnist_sample_tensors()
    assert torch.equal(stack_folder(sample_dir/'valid'/'7'), t.valid7)
    assert torch.equal(stack_folder(sample_dir/'train'/'3'), t.train3)

def test_path_writes_once_and_reuses(tmp_path):
    p = mnist_sample_path(tmp_path)
    assert p == tmp_path/'mnist_sample'
    stamp = (p/'train'/'3'/'10.png').stat().st_mtime_ns
    assert mnist_sample_path(tmp_path) == p
    assert (p/'train'/'3'/'10.png').stat().st_mtime_ns == stamp
    assert [o.name for o in tmp_path.iterdir()] == ['mnist_sample']  # no temp folder left behind

def test_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    calls = {'n': 0}
    save = Image.Image.save
    def flaky(self, *args, **kw):
        calls['n'] += 1
        if calls['n'] > 500: raise KeyboardInterrupt
        return save(self, *args, **kw)
    monkeypatch.setattr(Image.Image, 'save', flaky)
    with pytest.raises(KeyboardInterrupt): mnist_sample_path(tmp_path)
    assert list(tmp_path.iterdir()) == []

def test_damaged_png_rejected(tmp_path, sample_dir):
    "One image overwritten or cut short (the count is still right) is caught before anyone trains on it."
    p = linked_copy(sample_dir, tmp_path/'mnist_sample')
    f = p/'train'/'7'/'15.png'  # 15 is a 7 in MNIST train
    good = f.read_bytes()
    mid = len(good)//2  # in the pixel data: one bit, or a byte, changed with the length kept
    flip = lambda i, x: good[:i] + bytes([good[i] ^ x]) + good[i+1:]
    for bad in (b'not a png', good[:-5], good[:30], good[:16] + bytes(8) + good[24:], good + b'x',
                flip(mid, 0x01), flip(mid+3, 0xff), flip(len(good)-13, 0x01)):
        replace_file(f, bad)
        with pytest.raises(ValueError, match=r'train/7/15.png is not a whole 28x28 PNG.*delete .*run `mnist_sample_path\(\)`'):
            mnist_sample_path(tmp_path)
    replace_file(f, good)
    assert mnist_sample_path(tmp_path) == p

def test_full_disk_says_what_it_needs_and_where(tmp_path, monkeypatch):
    "A disk that fills up while MNIST_SAMPLE is written: how much it needs, where it tried, what to do; nothing left behind."
    import errno
    calls = []
    def save(self, f, *a, **k):
        calls.append(f)
        if len(calls) > 100: raise OSError(errno.ENOSPC, 'No space left on device')
        return real(self, f, *a, **k)
    real = Image.Image.save
    monkeypatch.setattr(Image.Image, 'save', save)
    with pytest.raises(OSError) as e: mnist_sample_path(tmp_path)
    assert e.value.errno == errno.ENOSPC
    msg = str(e.value)
    assert f'no space left on the disk to write MNIST_SAMPLE in {tmp_path}: its 14,434 images need about' in msg
    assert re.search(r'need about \d+ MB and 14,440 inodes .* there are \d+ MB and [\d,]+ free inodes free', msg), msg
    assert 'set FASTAI_HOME to a folder on another disk' in msg
    assert list(tmp_path.iterdir()) == []

def test_png_check_accepts_other_encoders(tmp_path):
    "The real download's PNGs were written by another encoder: any whole 28x28 PNG passes."
    from mnist_sgd.data import is_whole_png
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(tmp_path/'a.png', optimize=True)
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(tmp_path/'b.png', compress_level=0)
    Image.fromarray(np.zeros((28, 29), np.uint8)).save(tmp_path/'c.png')
    assert [is_whole_png(tmp_path/f) for f in ('a.png', 'b.png', 'c.png')] == [True, True, False]

def test_damaged_folder(tmp_path, sample_dir):
    p = linked_copy(sample_dir, tmp_path/'mnist_sample')
    next((p/'valid'/'7').glob('*.png')).unlink()
    with pytest.raises(ValueError, match='valid/7 has 1027 PNGs, expected 1028.*delete'): mnist_sample_path(tmp_path)
    shutil.rmtree(p/'train'/'3')
    with pytest.raises(FileNotFoundError, match='train/3 is missing.*delete'): mnist_sample_path(tmp_path)
    with pytest.raises(FileExistsError, match='already exists'): write_mnist_sample(p)

def test_unreadable_png(tmp_path, sample_dir):
    p = linked_copy(sample_dir, tmp_path/'mnist_sample')
    replace_file(p/'valid'/'3'/'1004.png', b'not a png')  # 1004 is a 3 in MNIST test
    with pytest.raises(ValueError, match=r'cannot read image .*1004.png.*delete'): stack_folder(p/'valid'/'3')
    with pytest.raises(FileNotFoundError, match='no PNGs'): stack_folder(p)

def test_untar_data_finds_the_folder():
    from fastai.data.external import untar_data, URLs
    assert untar_data(URLs.MNIST_SAMPLE) == mnist_sample_path()

def test_arrays_sha256():
    a = {'x': np.arange(12, dtype=np.uint8).reshape(3, 4), 'y': np.array([3, 7, 3], np.uint8)}
    h = arrays_sha256(a)
    assert arrays_sha256({'y': a['y'], 'x': a['x'].copy()}) == h  # key order and memory do not matter
    assert arrays_sha256({**a, 'x': np.asfortranarray(a['x'])}) == h  # C-order bytes, whatever the layout
    for other in ({**a, 'y': a['y'].astype(np.int64)}, {**a, 'x': a['x'].reshape(4, 3)}, {'X': a['x'], 'y': a['y']},
                  {**a, 'x': a['x'] ^ np.eye(3, 4, dtype=np.uint8)}):
        assert arrays_sha256(other) != h

@needs_full_mnist
def test_full_mnist():
    f = mnist_full_arrays()  # prepared by the README commands before the network is cut
    assert f['train_x'].shape == (60000, 28, 28) and f['valid_x'].shape == (10000, 28, 28)
    assert np.bincount(f['train_y']).tolist()[3] == 6131 and np.bincount(f['valid_y']).tolist()[7] == 1028

@needs_full_mnist
def test_full_mnist_checked_by_arrays(tmp_path):
    "Another zlib (zlib-ng, as on Fedora 40+) writes other bytes for the same arrays: they pass; one changed pixel does not."
    real = mnist_full_file()
    real_bytes, stamp = real.read_bytes(), real.stat().st_mtime_ns
    f, dest = mnist_full_arrays(), tmp_path/'mnist_full.npz'
    for save in (np.savez, np.savez_compressed):
        save(dest, **f)
        assert dest.read_bytes() != real_bytes
        got = mnist_full_arrays(tmp_path)
        assert all(np.array_equal(got[k], f[k]) for k in f)
    x = f['train_x'].copy(); x[123, 14, 14] ^= 1
    np.savez(dest, **{**f, 'train_x': x})
    with pytest.raises(ValueError, match=rf'{re.escape(str(dest))} is corrupt: its arrays are not MNIST '
                                         rf'\(sha256 [0-9a-f]{{64}}, expected {MNIST_FULL_SHA256}\): delete {re.escape(str(dest))} '):
        mnist_full_arrays(tmp_path)
    assert real.read_bytes() == real_bytes and real.stat().st_mtime_ns == stamp  # the real copy was only read

@needs_full_mnist
def test_full_mnist_damaged(tmp_path):
    dest = tmp_path/'mnist_full.npz'
    for bad in (mnist_full_file().read_bytes()[:-10], b'', b'not an npz'):
        dest.write_bytes(bad)
        with pytest.raises(ValueError, match=f'{re.escape(str(dest))} is corrupt or truncated .*: delete {re.escape(str(dest))}'):
            mnist_full_arrays(tmp_path)
    (tmp_path/'idx').mkdir()
    (tmp_path/'idx'/'train-images-idx3-ubyte').write_bytes(b'\x00\x00\x08\x03')  # not the original file
    with pytest.raises(FileNotFoundError, match='no train-images idx file'): mnist_full_arrays(tmp_path/'x', idx=tmp_path/'idx')
    assert not (tmp_path/'x'/'mnist_full.npz').exists()

@pytest.mark.slow
def test_two_processes_write_at_once(tmp_path):
    "Two notebooks starting together on a fresh machine: both get the folder, nothing half-written is left behind."
    import multiprocessing as mp
    with mp.get_context('spawn').Pool(2) as p: paths = p.map(mnist_sample_path, [tmp_path, tmp_path])
    assert paths == [tmp_path/'mnist_sample']*2
    assert sorted(o.name for o in tmp_path.iterdir()) == ['mnist_sample']

def test_course_setup_trains_on_every_core_unless_told(monkeypatch, capsys):
    "Every core by default, saying so in one line; MNIST_SGD_THREADS or threads= pins the count; bad counts are named."
    from mnist_sgd.data import course_setup, course_threads, _cores
    monkeypatch.delenv('MNIST_SGD_THREADS', raising=False)
    try:
        course_setup(data=False)
        assert torch.get_num_threads() == _cores()
        line = capsys.readouterr().out.strip()
        if _cores() > 1:
            assert line.startswith(f'course_setup: training with {_cores()} torch threads') and '\n' not in line
            assert 'last digits may differ' in line and 'MNIST_SGD_THREADS=1 reproduces them' in line
        monkeypatch.setenv('MNIST_SGD_THREADS', '1')
        course_setup(data=False)
        assert torch.get_num_threads() == 1 and capsys.readouterr().out == '', 'one thread: nothing to say'
        assert course_threads(3) == 3 and course_threads(default=5) == 1
        monkeypatch.setenv('MNIST_SGD_THREADS', 'two')
        with pytest.raises(ValueError, match="MNIST_SGD_THREADS='two': expected a whole number"): course_threads()
        with pytest.raises(ValueError, match='threads=0: expected a whole number'): course_threads(0)
    finally: torch.set_num_threads(1)
