#!/bin/sh
# Trains the shipped NER model (models/ner-de.model) from ../shared/data. Deterministic: the same
# data gives the same model bytes. About a minute for clusters plus about a minute for training.
#   tools/train_ner.sh BUILD_DIR [OUT]
# BUILD_DIR holds presse-ner-train and presse-ner-clusters (e.g. build/ner).
# Environment: NER_DATA (../shared/data/ner), WORK (temp dir), EPOCHS (8), BITS (19), MIX (4),
# DEV (the GermEval dev file; DEV=" " trains without it, to score dev: see models/README.md),
# BIAS (14: decode-time handicap of the O tag in weight units, tuned by tools/ner_cv.sh with
# EVAL_ARGS=--bias; see models/README.md).
set -eu
build=$1
here=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$here/models/ner-de.model}
data=${NER_DATA:-/work/shared/data/ner}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"

# 1. Name lists from WikiANN dev/test (not used as training sentences, see build_namelist.py).
python3 "$here/tools/build_namelist.py" "$data/wikiann-de/dev.conll" "$data/wikiann-de/test.conll" \
  | LC_ALL=C sort -u > "$work/names.tsv"

# 2. Word clusters from unlabelled text: the tokens of the NER corpora only. The press-release and
#    news corpora in ../shared/data/corpora may not be shipped (DESIGN.md's data table: Berlin
#    releases "no", 10kGNAD "benchmarks only"), so nothing derived from them goes into the model.
if [ ! -s "$work/clusters.tsv" ]; then
  "$build/presse-ner-clusters" -k ${CLUSTERS_K:-256} -c ${CLUSTERS_C:-32} "$work/clusters.tsv" \
    "$data/ler/test.conll" "$data/germeval2014/NER-de-dev.tsv" "$data/mobie/train.conll" "$data/mobie/dev.conll" \
    "$data/smartdata/v1-train.conll" "$data/europarl-de/train.conll" "$data/wikiann-de/train.conll" \
    "$data/wikiann-de/dev.conll" "$data/ler/dev.conll" 2>/dev/null
fi

# 3. The tagger. GermEval (the recovered train split and dev) is the target domain of the feature
#    augmentation; the other corpora contribute through the shared feature copies. --mix: the
#    average of MIX perceptrons trained on differently shuffled orders (parameter mixing), which
#    lowers the run-to-run variance. The train split's placeholder tokens (<W12345>, <OOV>) get
#    casing, identity and context features only (ner/features.c).
gtrain=$data/germeval2014/NER-de-train.recovered.tsv
"$build/presse-ner-train" -v -o "$out" --epochs ${EPOCHS:-8} --bits ${BITS:-19} --augment --mix ${MIX:-4} --bias ${BIAS:-14} --lexicon \
  --gazetteer "$here/models/gazetteer.tsv" --gazetteer "$work/names.tsv" --clusters "$work/clusters.tsv" \
  --target "$gtrain" --target "$data/germeval2014/NER-de-dev.tsv" "$gtrain" ${DEV:-"$data/germeval2014/NER-de-dev.tsv"} \
  "$data/mobie/train.conll" "$data/mobie/dev.conll" "$data/smartdata/v1-train.conll" \
  "$data/europarl-de/train.conll" "$data/europarl-de/dev.conll" "$data/wikiann-de/train.conll" \
  "$data/ler/dev.conll"
ls -l "$out"
