#!/bin/sh
# 5-fold cross-validation on GermEval 2014 dev: each fold trains on the other corpora plus the
# other four folds and scores the held-out fold; prints per-fold and pooled exact-span F1.
#   tools/ner_cv.sh BUILD_DIR [extra presse-ner-train args, e.g. corpus files with weights]
# Environment: NER_DATA (default /work/shared/data/ner), GERMEVAL_WEIGHT (default 3), FOLDS (5),
# GAZ (gazetteer TSV, default models/gazetteer.tsv), CLUSTERS, EXTRA_GAZ, JOBS (parallel trainings,
# default 1), MODELS (keep the fold models in this directory; a fold model already there is reused,
# so the same folds can be re-scored with other EVAL_ARGS without retraining), EVAL_ARGS (extra
# presse-ner-eval arguments, e.g. --bias 0,0,20 to try decode-time type offsets).
set -eu
build=$1; shift
data=${NER_DATA:-/work/shared/data/ner}
gw=${GERMEVAL_WEIGHT:-3}
folds=${FOLDS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${MODELS:-}" ]; then
  tmp=$MODELS
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
i=0
while [ $i -lt "$folds" ]; do
  if [ -s "$tmp/m$i" ] && [ -n "${MODELS:-}" ]; then i=$((i + 1)); continue; fi
  "$build/presse-ner-train" -o "$tmp/m$i" --gazetteer "${GAZ:-$here/models/gazetteer.tsv}" ${CLUSTERS:+--clusters "$CLUSTERS"} ${EXTRA_GAZ:+--gazetteer "$EXTRA_GAZ"} \
    --folds "$folds" --fold $i --cv "$data/germeval2014/NER-de-dev.tsv:$gw" "$@" &
  i=$((i + 1))
  if [ $((i % ${JOBS:-1})) -eq 0 ]; then wait; fi
done
wait
i=0
while [ $i -lt "$folds" ]; do
  "$build/presse-ner-eval" --quiet --model "$tmp/m$i" ${EVAL_ARGS:-} --folds "$folds" --fold $i "$data/germeval2014/NER-de-dev.tsv" | grep '^counts'
  i=$((i + 1))
done | awk '{ for (k = 2; k <= 10; k++) s[k] += $k; n++;
  tp = $2 + $5 + $8; fp = $3 + $6 + $9; fn = $4 + $7 + $10;
  printf "fold %d F1 %.2f\n", n - 1, 200 * tp / (2 * tp + fp + fn) }
  END { split("PER LOC ORG", t, " ");
  for (j = 0; j < 3; j++) { tp = s[2 + 3 * j]; fp = s[3 + 3 * j]; fn = s[4 + 3 * j];
    printf "%s P %.2f R %.2f F1 %.2f\n", t[j + 1], 100 * tp / (tp + fp), 100 * tp / (tp + fn), 200 * tp / (2 * tp + fp + fn) }
  tp = s[2] + s[5] + s[8]; fp = s[3] + s[6] + s[9]; fn = s[4] + s[7] + s[10];
  printf "ALL P %.2f R %.2f F1 %.2f\n", 100 * tp / (tp + fp), 100 * tp / (tp + fn), 200 * tp / (2 * tp + fp + fn) }'
