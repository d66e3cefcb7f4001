"""The compiled trainer: a whole epoch is one XLA call.

Keras's ``model.fit`` dispatches one jitted step per batch from Python. Here
the batches of an epoch are shuffled on device and ``lax.scan``-ned inside one
jitted function, built from Keras's own stateless API
(``model.stateless_call`` and ``optimizer.stateless_apply``), so the model,
the optimizer and the loss mean exactly what they mean in Keras, only faster.

One exception, measured: XLA's CPU backend generates convolutions inside a
loop body several times slower than at top level, so on CPU a model with
convolution layers runs the same compiled step once per batch instead (the
batch is still chosen on device; one dispatch per step, like Keras).

Semantics kept identical to ``model.fit`` (the tests check the per-epoch
losses against it):

* the last partial batch is trained on as a smaller batch, not dropped;
* the epoch ``loss`` is the batch losses averaged with batch sizes as weights,
  regularization losses included;
* non-trainable state (BatchNormalization statistics, dropout seed state) is
  threaded through every step;
* per-epoch Keras callbacks work (EarlyStopping with restore_best_weights,
  LearningRateScheduler, ModelCheckpoint, History...): the Keras variables are
  synchronised at each epoch boundary. Per-batch hooks are not called, since
  the batches never come back to Python.

The package is laid out as Keras lays out its trainers, one concern a module,
each importing only those above it in this list:

* :mod:`~seqcast.training.losses`: losses and metrics as per-sample functions;
* :mod:`~seqcast.training.inputs`: the checks of the data (types, shapes, NaNs);
* :mod:`~seqcast.training.compiled`: every jitted function (train step, epoch,
  evaluation) and the per-model caches of them, the model's state, device data;
* :mod:`~seqcast.training.epochs`: one epoch, scanned or stepped;
* :mod:`~seqcast.training.fallback`: Keras's own fit when Keras runs on another backend;
* :mod:`~seqcast.training.loop`: the public ``fit``, ``evaluate``, ``predict``;
* :mod:`~seqcast.training.whole_fit`: ``fit_members``, the whole fit (epochs,
  validation, early stopping) in one compiled loop, vmapped over an ensemble;
* :mod:`~seqcast.training.disk_cache`: the compiled programs kept on disk.

Example:

>>> import keras, numpy as np
>>> from seqcast.training import fit
>>> model = keras.Sequential([keras.Input((5, 1)), keras.layers.SimpleRNN(4),
...                           keras.layers.Dense(1)])
>>> model.compile(loss="mse", optimizer="adam")
>>> x = np.random.RandomState(0).rand(100, 5, 1).astype("float32")
>>> history = fit(model, x, x[:, -1], epochs=2, verbose=0, seed=0)
>>> sorted(history.history)
['loss']
"""

from seqcast import backend_check

# Before any submodule imports Keras: point it at JAX, or warn that it is too late.
backend_check.ensure_jax_backend()

from seqcast.training.compiled import EVAL_BATCH_SIZE, jitted_for, model_state  # noqa: E402
from seqcast.training.disk_cache import enable_compilation_cache  # noqa: E402
from seqcast.training.loop import evaluate, fit, predict  # noqa: E402
from seqcast.training.losses import PerSampleFn, resolve_loss, resolve_metric  # noqa: E402
from seqcast.training.whole_fit import MemberFits, assign_member, fit_members  # noqa: E402

__all__ = [
    "EVAL_BATCH_SIZE",
    "MemberFits",
    "PerSampleFn",
    "assign_member",
    "enable_compilation_cache",
    "evaluate",
    "fit",
    "fit_members",
    "jitted_for",
    "model_state",
    "predict",
    "resolve_loss",
    "resolve_metric",
]
