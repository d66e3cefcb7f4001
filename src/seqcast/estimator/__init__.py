"""The estimator's steps, one a module, that ``seqcast.forecaster.Forecaster`` calls in turn.

Each module imports only those listed before it:

- ``state``: :class:`~seqcast.estimator.state.FittedState`, everything a fit
  learns, as one value (what the bundle writes and reads whole);
- ``attributes``: the fitted attributes (``model_``, ``residuals_``...) read
  from that state;
- ``naming``: messages that name a series of a panel (never a lone series);
- ``reading``: the data read once per call, as fitted (``ReadOptions``);
- ``prepare``: the parameters checked, the transforms fitted, a network
  built and compiled, its windows cut;
- ``short_series``: a panel's series too short for the model, left out of
  training and backtests, forecast by a baseline;
- ``future``: the covariates known in advance on the forecast dates;
- ``forecast``: forecasts at any origins of any series, and the validation errors;
- ``train``: the fit (and the learning-rate sweep) from prepared data to a state;
- ``predict``: the forecast table ``predict`` returns, with its intervals;
- ``score``: the rolling-origin backtest.

One series is a panel of one throughout; it is unwrapped only where a
result goes back to the user (``predict``, ``read``, ``backtest`` and the
attributes).
"""
