# The native libraries' environment of a run, sourced by ./parity and scripts/bench.sh (the Surefire
# configuration in pom.xml sets the same values). TensorFlow reads these from the process
# environment only. A value already set is kept.
export TF_DETERMINISTIC_OPS="${TF_DETERMINISTIC_OPS:-1}"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-0}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# glibc backs its large blocks with transparent huge pages where the kernel offers them on request
# (THP "madvise", Debian's default): ND4J zero-fills every new array, and the reference's 100 MB im2col
# matrices cost a page fault per 4 KB page; with 2 MB pages its ds541-cnn-a pass took 1.0-1.2 s instead
# of 2.1 s in float64, and the main job's cases 36-51 s instead of 58-72 s (docs/performance.md). They
# were withdrawn once after a native crash; its cause was ND4J's, not theirs, and FencedOpExecutioner fixes it.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
