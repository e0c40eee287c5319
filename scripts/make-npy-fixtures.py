#!/usr/bin/env python3
"""Writes the NumPy-made .npy/.npz files the fixtures tests read (NpyFormatTest, NpzTest, NpyFuzzTest).

Run from the project root:  python3 scripts/make-npy-fixtures.py
Output: fixtures/src/test/resources/weights/numpy/*.npy, *.npz (committed, a few KB in all).

Every file is written by NumPy itself, so the tests check our reader against the real format
rather than against our own writer. Every array holds the same values, so one Java helper checks
them all: element i (in C order) is  i * 0.25 - 1  (exact in float32 and float64), and
i % 256  for uint8. The headers' other forms (spacing, key order, quotes) are built in the Java
tests, because NumPy writes only its own layout.
"""
import io
import os
import sys
import zipfile

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "src", "test",
                   "resources", "weights", "numpy")


def values(shape, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    if np.dtype(dtype).kind == "u":
        return (np.arange(n) % 256).astype(dtype).reshape(shape)
    return (np.arange(n) * 0.25 - 1).astype(dtype).reshape(shape)


def save(name, array, version=None):
    with open(os.path.join(OUT, name), "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    save("v1-f8-2x3.npy", values((2, 3), "<f8"), (1, 0))
    save("v2-f8-2x3.npy", values((2, 3), "<f8"), (2, 0))
    save("v3-f8-2x3.npy", values((2, 3), "<f8"), (3, 0))
    save("v1-f4-2x3.npy", values((2, 3), "<f4"))
    save("v1-f8be-2x3.npy", values((2, 3), ">f8"))
    save("v1-f4be-2x3.npy", values((2, 3), ">f4"))
    save("v1-u1-2x3.npy", values((2, 3), "|u1"))
    save("v1-f8-scalar.npy", values((), "<f8"))
    save("v1-f8-vector5.npy", values((5,), "<f8"))
    # Fortran order: the same logical arrays, stored first-index-fastest.
    save("v1-f8-fortran-2x3.npy", np.asfortranarray(values((2, 3), "<f8")))
    save("v1-f8-fortran-2x3x4.npy", np.asfortranarray(values((2, 3, 4), "<f8")))
    # Refused by the suite though valid for NumPy: an empty array and an int64 array.
    save("v1-f8-empty-3x0.npy", values((3, 0), "<f8"))
    save("v1-i8-2x3.npy", values((2, 3), "<i8"))
    arrays = {"dense/kernel": values((2, 3), "<f8"), "dense/bias": values((3,), "<f4"),
              "pixels": values((2, 2), "|u1")}
    np.savez(os.path.join(OUT, "savez.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "savez-compressed.npz"), **arrays)
    # A zip that stores one entry twice: zipfile warns, and np.load would keep only one of them.
    with zipfile.ZipFile(os.path.join(OUT, "duplicate-entry.npz"), "w") as z:
        for _ in range(2):
            buf = io.BytesIO()
            npformat.write_array(buf, values((2,), "<f8"))
            z.writestr("a.npy", buf.getvalue())
    print("wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT), "with numpy", np.__version__)


if __name__ == "__main__":
    sys.exit(main())
