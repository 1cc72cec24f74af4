#!/usr/bin/env python
"""Write `nbs/results.json` with the pixel-mean baseline rows, computed (not typed): a placeholder until
`mnist_sgd reproduce --json nbs/results.json` writes every stage. Records: {stage, metric, value, book, seconds}.

    python tools/baseline_results.py [--out nbs/results.json]
"""
import argparse, json, time
from pathlib import Path
from mnist_sgd.data import mnist_sample_tensors
from mnist_sgd.baseline import pixel_mean_accuracy

BOOK = {'accuracy 3s': 0.9168, 'accuracy 7s': 0.9854, 'accuracy': 0.9511}  # fastbook chapter 4

def baseline_records()->list:
    "The baseline's accuracies on the valid 3s, the valid 7s, and their mean, with the seconds it took."
    t0 = time.perf_counter()
    t = mnist_sample_tensors()
    accs = pixel_mean_accuracy(t.valid3, t.valid7, t.train3.mean(0), t.train7.mean(0))
    secs = round(time.perf_counter()-t0, 2)
    return [dict(stage='baseline', metric=m, value=v, book=BOOK[m], seconds=secs)
            for m, v in zip(BOOK, accs)]

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'nbs'/'results.json'))
    out = Path(p.parse_args().out)
    recs = baseline_records()
    out.write_text(json.dumps(recs, indent=1)+'\n')
    print(f'baseline_results: {len(recs)} records -> {out}')
    for r in recs: print(' ', r)
