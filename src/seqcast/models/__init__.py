"""The models: the chapter's and the course's builders, and the zoo that names them.

* :mod:`seqcast.models.book`: one builder per model of the chapter;
* :mod:`seqcast.models.course`: the course's dnn, conv_lstm and bidirectional_lstm;
* :mod:`seqcast.models.zoo`: the :data:`ZOO` table (name -> builder + training
  :class:`Recipe`), :func:`build_model` and :func:`make_optimizer`.

A builder takes the window length and the forecast horizon and returns an
uncompiled ``keras.Model``; the recipe says how the source trains it.

>>> from seqcast.models import build_model, ZOO
>>> model = build_model("deep_rnn_dense", n_steps=50, horizon=1)
>>> model.output_shape
(None, 1)
>>> ZOO["simple_rnn"].recipe.learning_rate
0.005
"""

from seqcast import backend_check

# Before the first import of Keras, which every module of this package makes.
backend_check.set_jax_backend_if_possible()

from seqcast.models.book import (  # noqa: E402
    conv_gru,
    deep_rnn,
    deep_rnn_dense,
    digits_rnn,
    encoder_decoder,
    gru_dropout,
    gru_seq2seq,
    linear,
    ln_rnn,
    lstm_seq2seq,
    peephole_lstm,
    seq2seq,
    seq2seq_bn,
    simple_rnn,
    wavenet,
    wavenet_gated,
    wavenet_gated_softmax,
)
from seqcast.models.course import bidirectional_lstm, conv_lstm, dnn  # noqa: E402
from seqcast.models.zoo import (  # noqa: E402
    ZOO,
    Recipe,
    ZooEntry,
    build_model,
    get_entry,
    make_optimizer,
)

__all__ = [
    "ZOO",
    "Recipe",
    "ZooEntry",
    "bidirectional_lstm",
    "build_model",
    "conv_gru",
    "conv_lstm",
    "deep_rnn",
    "deep_rnn_dense",
    "digits_rnn",
    "dnn",
    "encoder_decoder",
    "get_entry",
    "gru_dropout",
    "gru_seq2seq",
    "linear",
    "ln_rnn",
    "lstm_seq2seq",
    "make_optimizer",
    "peephole_lstm",
    "seq2seq",
    "seq2seq_bn",
    "simple_rnn",
    "wavenet",
    "wavenet_gated",
    "wavenet_gated_softmax",
]
