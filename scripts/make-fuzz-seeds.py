#!/usr/bin/env python3
"""Writes the seed corpora of the coverage-guided fuzz tests (SpecCoverageFuzzTest, NpyCoverageFuzzTest).

Run from anywhere:  python3 scripts/make-fuzz-seeds.py   (python3 alone, no numpy)
Output, in Jazzer's layout (<package>/<TestClass>Inputs/<method>/), under fixtures/src/test/resources/:
  org/paritysuite/fixtures/spec/SpecCoverageFuzzTestInputs/readsOrIsRefused/seeds/     the zoo specs
  org/paritysuite/fixtures/weights/NpyCoverageFuzzTestInputs/loadsOrIsRefused/seeds/  NumPy's .npy and
      .npz fixtures (scripts/make-npy-fixtures.py) and two archives built here from them

Jazzer replays every file under <method>/ in the default build and starts fuzzing from them. Only
seeds/ is rewritten: the findings Jazzer writes beside it (crash-*, timeout-*) are kept, and replay
as regression tests. The output is the same bytes on every run.
"""
import os
import shutil
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "src")
ZOO = os.path.join(ROOT, "main", "resources", "zoo")
NUMPY = os.path.join(ROOT, "test", "resources", "weights", "numpy")
RESOURCES = os.path.join(ROOT, "test", "resources", "org", "paritysuite", "fixtures")
SPEC_SEEDS = os.path.join(RESOURCES, "spec", "SpecCoverageFuzzTestInputs", "readsOrIsRefused", "seeds")
NPY_SEEDS = os.path.join(RESOURCES, "weights", "NpyCoverageFuzzTestInputs", "loadsOrIsRefused", "seeds")

# Zip entries dated at the format's epoch, so a rerun writes the same bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def fresh(directory):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)


def npz(name, entries, compression):
    """An archive of NumPy-made .npy files under the given entry names, as np.savez lays one out."""
    with zipfile.ZipFile(os.path.join(NPY_SEEDS, name), "w") as archive:
        for entry, source in entries:
            info = zipfile.ZipInfo(entry, date_time=EPOCH)
            info.compress_type = compression
            with open(os.path.join(NUMPY, source), "rb") as f:
                archive.writestr(info, f.read())


def main():
    fresh(SPEC_SEEDS)
    # The index, not a directory listing: the zoo is what ModelZoo loads.
    with open(os.path.join(ZOO, "index.txt")) as index:
        ids = [line.strip() for line in index]
    ids = [model for model in ids if model and not model.startswith("#")]
    for model in ids:
        shutil.copyfile(os.path.join(ZOO, model + ".json"), os.path.join(SPEC_SEEDS, model + ".json"))

    fresh(NPY_SEEDS)
    for name in sorted(os.listdir(NUMPY)):
        if name.endswith((".npy", ".npz")):
            shutil.copyfile(os.path.join(NUMPY, name), os.path.join(NPY_SEEDS, name))
    # Keys with '/', as a Keras model's weights have them, and entries in other dtypes and orders.
    npz("keras-keys.npz", [("dense/kernel.npy", "v1-f8-2x3.npy"), ("dense/bias.npy", "v1-f8-vector5.npy")],
        zipfile.ZIP_DEFLATED)
    npz("mixed-dtypes.npz", [("f4be.npy", "v1-f4be-2x3.npy"), ("u1.npy", "v1-u1-2x3.npy"),
                             ("fortran.npy", "v1-f8-fortran-2x3x4.npy"), ("scalar.npy", "v1-f8-scalar.npy")],
        zipfile.ZIP_STORED)
    print(f"{len(ids)} spec seeds in {os.path.relpath(SPEC_SEEDS)}")
    print(f"{len(os.listdir(NPY_SEEDS))} .npy/.npz seeds in {os.path.relpath(NPY_SEEDS)}")


if __name__ == "__main__":
    main()
