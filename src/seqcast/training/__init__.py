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
each importing only those above it in this list (tests/test_layering.py reads
the list and holds the imports to it: a new module is declared here):

* :mod:`~seqcast.training.losses`: losses and metrics as per-sample functions;
* :mod:`~seqcast.training.shuffle`: an epoch of many windows shuffled without a
  permutation the size of the epoch;
* :mod:`~seqcast.training.inputs`: the checks of the data (types, shapes, NaNs);
* :mod:`~seqcast.training.state`: the model's variables as arrays, and back;
* :mod:`~seqcast.training.device_data`: the data on one device, evaluation data
  in padded chunks;
* :mod:`~seqcast.training.mesh`: the device mesh a batch is split over, and
  values held whole by every device;
* :mod:`~seqcast.training.sharded`: samples kept in one block per device, and
  the gather of a batch from them;
* :mod:`~seqcast.training.data_parallel`: the samples cut into blocks and
  placed over the mesh;
* :mod:`~seqcast.training.compiled`: every jitted function (train step, epoch,
  evaluation) and the per-architecture caches of them;
* :mod:`~seqcast.training.fit_data`: a fit's model, data and settings checked
  once and placed, for ``fit`` and ``fit_members`` alike;
* :mod:`~seqcast.training.epochs`: one epoch, scanned or stepped;
* :mod:`~seqcast.training.fallback`: Keras's own fit when Keras runs on another backend;
* :mod:`~seqcast.training.loop`: the public ``fit``, ``evaluate``, ``predict``;
* :mod:`~seqcast.training.pacing`: how far each call of a watched whole fit goes;
* :mod:`~seqcast.training.whole_fit_program`: the whole fit (epochs,
  validation, early stopping) as one compiled loop, vmapped over an ensemble;
* :mod:`~seqcast.training.whole_fit`: ``fit_members``, which drives that loop;
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

from seqcast.training.compiled import jitted_for  # noqa: E402
from seqcast.training.device_data import EVAL_BATCH_SIZE  # noqa: E402
from seqcast.training.disk_cache import enable_compilation_cache  # noqa: E402
from seqcast.training.loop import evaluate, fit, predict  # noqa: E402
from seqcast.training.losses import PerSampleFn, resolve_loss, resolve_metric  # noqa: E402
from seqcast.training.state import assign_member, model_state  # noqa: E402
from seqcast.training.whole_fit import fit_members  # noqa: E402
from seqcast.training.whole_fit_program import MemberFits  # noqa: E402

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
