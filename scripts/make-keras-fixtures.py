#!/usr/bin/env python3
"""Writes the Keras model files that `parity import-keras` and `--keras` are tested on.

Needs python3 with h5py and numpy only (Debian: apt-get install -y python3-h5py python3-numpy);
no TensorFlow, no Keras. Each model is written in the two layouts users have:

- `NAME.h5`: the legacy HDF5 file of Keras 2 / tf.keras `model.save("m.h5")`: root attributes
  `model_config` (JSON), `keras_version`, `backend` and, for a compiled model, `training_config`;
  a group `model_weights` whose attribute `layer_names` lists every layer, each layer a group whose
  attribute `weight_names` lists its weights, the datasets at those paths (`conv2d/kernel:0`).
- `NAME.keras`: the Keras 3 zip: `metadata.json`, `config.json` (the serialized model, with
  `compile_config` when compiled) and `model.weights.h5` (`layers/<layer>/vars/0, 1, ...`).

The layouts follow Keras's own saving code (keras/src/saving/saving_lib.py, keras/src/legacy/
saving/legacy_h5_format.py, tf_keras hdf5_format.py). Beside each model: `NAME-x.npy` (float32
inputs), `NAME-y.npy` (uint8 class indices) and `NAME-p.npy`, the predictions of a plain NumPy
forward pass written here (inference: dropout is the identity, batch normalization uses its
moving statistics), independent of both Java sides. Then the bad inputs, one fault each.

Run from the repository root: python3 scripts/make-keras-fixtures.py
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT = os.path.join("fixtures", "src", "test", "resources", "keras")
SEED = 20261203
EXAMPLES = 16
KERAS2 = "2.15.0"
KERAS3 = "3.3.3"


# --- The models: a layer list in Keras's own terms, (class, config, weights) ---------------------

def glorot(rng, shape):
    receptive = int(np.prod(shape[:-2]))  # KH KW of a kernel [KH, KW, C, F]; 1 for a dense kernel
    fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def small(rng, shape, scale=0.1):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def cnn(rng):
    """Conv2D (same) -> MaxPooling2D -> BatchNormalization -> AveragePooling2D -> Dropout -> Flatten -> Dense softmax."""
    bn = [(1 + small(rng, (4,))), small(rng, (4,)), small(rng, (4,), 0.5),
          rng.uniform(0.5, 2.0, size=(4,)).astype(np.float32)]
    return (28, 28, 1), [
        ("Conv2D", {"name": "conv2d", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
                    "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu",
                    "use_bias": True}, [glorot(rng, (3, 3, 1, 4)), small(rng, (4,))]),
        ("MaxPooling2D", {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                          "data_format": "channels_last"}, []),
        ("BatchNormalization", {"name": "batch_normalization", "axis": -1, "momentum": 0.99, "epsilon": 0.001,
                                "center": True, "scale": True}, bn),
        ("AveragePooling2D", {"name": "average_pooling2d", "pool_size": [2, 2], "padding": "valid",
                              "strides": None, "data_format": "channels_last"}, []),
        ("Dropout", {"name": "dropout", "rate": 0.25, "noise_shape": None, "seed": None}, []),
        ("Flatten", {"name": "flatten", "data_format": "channels_last"}, []),
        ("Dense", {"name": "dense", "units": 10, "activation": "softmax", "use_bias": True},
         [glorot(rng, (196, 10)), small(rng, (10,))]),
    ]


def mlp(rng):
    """Dense -> ReLU -> Dense -> LeakyReLU -> Dense -> Activation(tanh) -> Dense -> Softmax."""
    return (784,), [
        ("Dense", {"name": "dense", "units": 32, "activation": "linear", "use_bias": True},
         [glorot(rng, (784, 32)), small(rng, (32,))]),
        ("ReLU", {"name": "re_lu", "max_value": None, "negative_slope": 0.0, "threshold": 0.0}, []),
        ("Dense", {"name": "dense_1", "units": 16, "activation": "linear", "use_bias": True},
         [glorot(rng, (32, 16)), small(rng, (16,))]),
        # The same slope in both files: Keras 2 calls it alpha (default 0.3), Keras 3 negative_slope (0.2).
        ("LeakyReLU", {"name": "leaky_re_lu", "alpha": 0.1}, []),
        ("Dense", {"name": "dense_2", "units": 16, "activation": "linear", "use_bias": False},
         [glorot(rng, (16, 16))]),
        ("Activation", {"name": "activation", "activation": "tanh"}, []),
        ("Dense", {"name": "dense_3", "units": 10, "activation": "linear", "use_bias": True},
         [glorot(rng, (16, 10)), small(rng, (10,))]),
        ("Softmax", {"name": "softmax", "axis": -1}, []),
    ]


WEIGHT_NAMES = {"Conv2D": ["kernel", "bias"], "Dense": ["kernel", "bias"],
                "BatchNormalization": ["gamma", "beta", "moving_mean", "moving_variance"]}

COMPILE = {"loss": "categorical_crossentropy",
           "optimizer": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001, "beta_1": 0.9,
                                                          "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}}}


# --- The NumPy forward pass (inference) ----------------------------------------------------------

def pad_same(x, k, s):
    """TensorFlow's SAME padding: the extra pixel of an odd total at the bottom/right."""
    def amounts(n):
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        return total // 2, total - total // 2
    return np.pad(x, ((0, 0), amounts(x.shape[1]), amounts(x.shape[2]), (0, 0)))


def windows(x, k, s):
    """[N, H', W', K, K, C]: every k x k window at stride s (valid)."""
    n, h, w, c = x.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    out = np.empty((n, ho, wo, k, k, c), dtype=x.dtype)
    for i in range(ho):
        for j in range(wo):
            out[:, i, j] = x[:, i * s:i * s + k, j * s:j * s + k, :]
    return out


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "softmax": lambda z: np.exp(z - z.max(-1, keepdims=True)) / np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def forward(layers, x):
    x = x.astype(np.float64)
    for cls, cfg, w in layers:
        w = [a.astype(np.float64) for a in w]
        if cls == "Conv2D":
            k, s = cfg["kernel_size"][0], cfg["strides"][0]
            xp = pad_same(x, k, s) if cfg["padding"] == "same" else x
            x = np.einsum("nhwijc,ijcf->nhwf", windows(xp, k, s), w[0]) + (w[1] if cfg["use_bias"] else 0)
            x = ACTIVATIONS[cfg["activation"]](x)
        elif cls in ("MaxPooling2D", "AveragePooling2D"):
            k = cfg["pool_size"][0]
            s = (cfg["strides"] or cfg["pool_size"])[0]
            win = windows(x, k, s)
            x = win.max(axis=(3, 4)) if cls == "MaxPooling2D" else win.mean(axis=(3, 4))
        elif cls == "BatchNormalization":
            gamma, beta, mean, var = w
            x = gamma * (x - mean) / np.sqrt(var + cfg["epsilon"]) + beta
        elif cls == "Dropout":
            pass
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif cls == "Dense":
            x = x @ w[0] + (w[1] if cfg["use_bias"] else 0)
            x = ACTIVATIONS[cfg["activation"]](x)
        elif cls == "ReLU":
            x = np.maximum(x, 0)
        elif cls == "LeakyReLU":
            x = np.where(x > 0, x, cfg["alpha"] * x)
        elif cls == "Activation":
            x = ACTIVATIONS[cfg["activation"]](x)
        elif cls == "Softmax":
            x = ACTIVATIONS["softmax"](x)
        else:
            raise ValueError(cls)
    return x


# --- Keras 2 / tf.keras: the legacy HDF5 file ----------------------------------------------------

def keras2_layer(cls, cfg, batch_shape=None):
    cfg = dict(cfg, trainable=True, dtype="float32")
    if cls == "BatchNormalization":
        cfg["axis"] = [len(batch_shape) - 1] if batch_shape else [3]
    if cls in ("MaxPooling2D", "AveragePooling2D") and cfg["strides"] is None:
        cfg["strides"] = cfg["pool_size"]  # Keras 2 writes the resolved strides
    if cls == "ReLU":
        cfg["negative_slope"] = 0.0
    for key in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
        if cls in ("Dense", "Conv2D"):
            cfg[key] = None
    return {"module": "keras.layers", "class_name": cls, "config": cfg, "registered_name": None}


def keras2_config(input_shape, layers, name="sequential"):
    batch = [None, *input_shape]
    entries = [{"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_input_shape": batch, "dtype": "float32", "sparse": False, "ragged": False,
                           "name": layers[0][1]["name"] + "_input"}, "registered_name": None}]
    rank_before_bn = {"BatchNormalization": batch}
    entries += [keras2_layer(cls, cfg, rank_before_bn.get(cls)) for cls, cfg, _ in layers]
    return {"class_name": "Sequential", "config": {"name": name, "layers": entries},
            "keras_version": KERAS2, "backend": "tensorflow"}


def write_h5(path, model_config, layers, compiled, keras_version=KERAS2):
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = keras_version.encode()
        f.attrs["model_config"] = json.dumps(model_config).encode()
        if compiled:
            f.attrs["training_config"] = json.dumps(
                {"loss": COMPILE["loss"], "metrics": [["accuracy"]], "weighted_metrics": None, "loss_weights": None,
                 "optimizer_config": COMPILE["optimizer"]}).encode()
        g = f.create_group("model_weights")
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = keras_version.encode()
        g.attrs["layer_names"] = np.array([cfg["name"].encode() for _, cfg, _ in layers])
        for cls, cfg, weights in layers:
            lg = g.create_group(cfg["name"])
            names = [f"{cfg['name']}/{n}:0".encode() for n in WEIGHT_NAMES.get(cls, [])[:len(weights)]]
            # As Keras saves a weightless layer's list: np.asarray([]), an empty float64 array.
            lg.attrs["weight_names"] = np.array(names) if names else np.asarray([])
            for n, w in zip(names, weights):
                lg.create_dataset(n.decode(), data=w)


# --- Keras 3: the .keras zip ---------------------------------------------------------------------

def keras3_layer(cls, cfg):
    cfg = dict(cfg, trainable=True, dtype={"module": "keras", "class_name": "DTypePolicy",
                                           "config": {"name": "float32"}, "registered_name": None})
    if cls == "LeakyReLU":
        cfg["negative_slope"] = cfg.pop("alpha")
    return {"module": "keras.layers", "class_name": cls, "config": cfg, "registered_name": None}


def keras3_config(input_shape, layers, compiled, name="sequential"):
    batch = [None, *input_shape]
    entries = [{"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_shape": batch, "dtype": "float32", "sparse": False, "name": "input_layer"},
                "registered_name": None}]
    entries += [keras3_layer(cls, cfg) for cls, cfg, _ in layers]
    model = {"module": "keras", "class_name": "Sequential",
             "config": {"name": name, "trainable": True, "dtype": "float32", "layers": entries},
             "registered_name": None, "build_config": {"input_shape": batch}}
    if compiled:
        model["compile_config"] = {
            "optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                          "config": dict(COMPILE["optimizer"]["config"], name="adam"), "registered_name": None},
            "loss": COMPILE["loss"], "loss_weights": None, "metrics": ["accuracy"], "weighted_metrics": None,
            "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}
    return model


def weights_h5(layers):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for _, cfg, weights in layers:
            v = f.require_group("layers").create_group(cfg["name"]).create_group("vars")
            for i, w in enumerate(weights):
                v.create_dataset(str(i), data=w)
        f.create_group("optimizer").create_group("vars")
        f.create_group("vars")
    return buffer.getvalue()


def write_keras(path, config, weights_bytes, keras_version=KERAS3):
    # Stored, not deflated, as Keras writes it; each entry dated as metadata.json says, so that a run
    # rewrites the same bytes (Keras stamps the time of saving).
    entries = [("metadata.json", json.dumps({"keras_version": keras_version, "date_saved": "2026-12-03@09:00:00"})),
               ("config.json", json.dumps(config)), ("model.weights.h5", weights_bytes)]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 3, 9, 0, 0)), data)


# --- Writing everything --------------------------------------------------------------------------

def write_model(name, build, compiled, rng):
    input_shape, layers = build(rng)
    write_h5(os.path.join(OUT, name + ".h5"), keras2_config(input_shape, layers), layers, compiled)
    write_keras(os.path.join(OUT, name + ".keras"), keras3_config(input_shape, layers, compiled), weights_h5(layers))
    x = rng.uniform(0, 1, size=(EXAMPLES, *input_shape)).astype(np.float32)
    np.save(os.path.join(OUT, name + "-x.npy"), x)
    np.save(os.path.join(OUT, name + "-y.npy"), rng.integers(0, 10, size=EXAMPLES).astype(np.uint8))
    np.save(os.path.join(OUT, name + "-p.npy"), forward(layers, x).astype(np.float32))
    return input_shape, layers


def write_bad(cnn_model, rng):
    input_shape, layers = cnn_model
    # A functional model: the config of keras.Model(inputs, outputs), which the import does not follow.
    functional = keras2_config(input_shape, layers)
    functional["class_name"] = "Functional"
    functional["config"]["input_layers"] = [["conv2d_input", 0, 0]]
    write_h5(os.path.join(OUT, "bad-functional.h5"), functional, layers, True)
    # channels_first on the convolution.
    nchw = [(c, dict(cfg, data_format="channels_first") if c == "Conv2D" else cfg, w) for c, cfg, w in layers]
    write_h5(os.path.join(OUT, "bad-channels-first.h5"), keras2_config(input_shape, nchw), nchw, True)
    # A dilated convolution.
    dilated = [(c, dict(cfg, dilation_rate=[2, 2]) if c == "Conv2D" else cfg, w) for c, cfg, w in layers]
    write_h5(os.path.join(OUT, "bad-dilation.h5"), keras2_config(input_shape, dilated), dilated, True)
    # An LSTM between the dense layers of a small sequence model.
    lstm = [("LSTM", {"name": "lstm", "units": 8}, [small(rng, (4, 32)), small(rng, (8, 32)), small(rng, (32,))]),
            ("Dense", {"name": "dense", "units": 10, "activation": "softmax", "use_bias": True},
             [small(rng, (8, 10)), small(rng, (10,))])]
    write_keras(os.path.join(OUT, "bad-lstm.keras"), keras3_config((5, 4), lstm, True), weights_h5(lstm))
    # A kernel whose shape disagrees with the config (filters 4, kernel saved for 5).
    wrong = [(c, cfg, [glorot(rng, (3, 3, 1, 5)), w[1]] if c == "Conv2D" else w) for c, cfg, w in layers]
    write_keras(os.path.join(OUT, "bad-shape.keras"), keras3_config(input_shape, layers, True), weights_h5(wrong))
    # A file cut short, as by an interrupted copy.
    with open(os.path.join(OUT, "cnn.h5"), "rb") as f:
        whole = f.read()
    with open(os.path.join(OUT, "bad-truncated.h5"), "wb") as f:
        f.write(whole[:len(whole) // 2])
    # Not HDF5 at all.
    with open(os.path.join(OUT, "bad-not-hdf5.h5"), "w") as f:
        f.write("model_config = {}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    cnn_model = write_model("cnn", cnn, True, rng)
    write_model("mlp", mlp, False, rng)
    write_bad(cnn_model, rng)


if __name__ == "__main__":
    main()
