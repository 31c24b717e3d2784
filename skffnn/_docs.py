"""Parameter and attribute documentation shared by both estimators."""

PARAMETERS = """\
hidden_layer_sizes : array-like of shape (n_layers - 2,) or int, default=(100,)
        Number of neurons n_l in each hidden layer l = 1 ... L-1. An empty
        tuple gives a network without hidden layer (a generalized linear
        model).

    activation : str or list of str, default='relu'
        Activation g of the hidden layers, or one name per hidden layer:
        'identity' g(z) = z, 'logistic' 1 / (1 + e^-z), 'tanh', 'relu'
        max(0, z) (those four as in MLP), 'leaky_relu' max(z, 0.01 z), 'elu'
        (alpha = 1), 'selu' (Klambauer et al.; pair it with
        weight_init='lecun_normal' for deep networks), 'gelu' (the tanh
        approximation 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))),
        'softplus' log(1 + e^z) and 'silu' z / (1 + e^-z).

    solver : {'lbfgs', 'sgd', 'adam', 'adamw', 'rmsprop'}, default='adam'
        'lbfgs' is SciPy's quasi-Newton L-BFGS-B on the full batch (often
        best on small data sets), 'sgd' stochastic gradient descent with
        momentum, 'adam' the Adam optimizer of Kingma and Ba, 'adamw' Adam
        with decoupled weight decay (alpha then shrinks the weights by
        learning_rate * alpha per step instead of entering the loss), and
        'rmsprop' steps scaled by a running RMS of the gradient with decay
        beta_2.

    alpha : float, default=0.0001
        Strength of the L2 penalty: alpha / 2 * ||W||^2 is added to the summed
        loss of a batch before dividing by the batch's total sample weight,
        exactly as in scikit-learn's MLP.

    batch_size : int or 'auto', default='auto'
        Mini-batch size of the stochastic solvers; 'auto' means
        ``min(200, n_samples)``. Ignored by 'lbfgs'.

    learning_rate : {'constant', 'invscaling', 'adaptive', 'cosine', 'step'}, \
default='constant'
        Learning-rate schedule. As in MLP, 'invscaling' and 'adaptive'
        apply to solver='sgd' only (the other solvers train at
        learning_rate_init, as MLP's adam does), so code written for MLP
        trains the same; 'cosine' and 'step', which MLP lacks, apply to
        every stochastic solver. 'invscaling' divides learning_rate_init by
        (t + 1) ** power_t (t = samples seen), 'adaptive' divides it by 5
        each time the monitored quantity stalls for n_iter_no_change epochs,
        'cosine' anneals it to 0 over max_iter epochs as
        (1 + cos(pi e / max_iter)) / 2 (with partial_fit, each call is an
        epoch: after max_iter calls the rate is 0, and a warning says
        so), 'step' multiplies it by lr_gamma every lr_step_size epochs.

    learning_rate_init : float, default=0.001
        Initial step size of the stochastic solvers ('sgd', 'adam', 'adamw',
        'rmsprop').

    power_t : float, default=0.5
        Exponent of the 'invscaling' schedule.

    max_iter : int, default=200
        Epochs at most for the stochastic solvers, iterations for 'lbfgs'.

    shuffle : bool, default=True
        Shuffle the samples every epoch (stochastic solvers).

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, the early-stopping split and batch
        shuffling. The draws are those of scikit-learn's MLP, so equal seeds
        start both models from the same weights.

    tol : float, default=1e-4
        Improvement below which an epoch counts as stalled (stochastic
        solvers) or the projected-gradient tolerance of 'lbfgs'.

    verbose : bool, default=False
        Print the loss after each epoch (iteration for 'lbfgs').

    warm_start : bool, default=False
        Start ``fit`` from the previous solution instead of new weights.

    momentum : float, default=0.9
        Momentum of 'sgd', in [0, 1]. The velocity carries the step size,
        v <- momentum v - learning_rate grad, as in scikit-learn's MLP (in
        PyTorch's SGD it does not, so the two take other steps while a
        schedule changes the rate).

    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with 'sgd'.

    early_stopping : bool, default=False
        Hold out validation_fraction of the training data (stratified for
        single-label classification), stop when its score has not improved
        by tol for n_iter_no_change epochs, and restore the weights of the
        best epoch. Stochastic solvers and ``fit`` only: ``partial_fit``
        trains on every sample it is given and monitors the training loss
        (scikit-learn's MLP raises an error there instead).

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping, in [0, 1);
        at least 2 samples are held out. 0 only when nothing is held out:
        without early stopping, or with a validation set of its own.

    beta_1 : float, default=0.9
        Decay of the first-moment estimate of 'adam' and 'adamw', in [0, 1).

    beta_2 : float, default=0.999
        Decay of the second-moment estimate of 'adam' and 'adamw', and of
        the mean square of 'rmsprop', in [0, 1). RMSprop's mean square
        starts at zero without bias correction: its first step is
        learning_rate_init / sqrt(1 - beta_2) per parameter, ~32 times the
        rate at 0.999 (PyTorch's RMSprop decays by 0.99 by default, Keras's
        by 0.9).

    epsilon : float, default=1e-8
        Numerical-stability constant of 'adam', 'adamw' and 'rmsprop',
        added to sqrt(v). Adam's bias correction is folded into its step
        size, as in scikit-learn's MLP and Keras, so epsilon is added to
        the uncorrected sqrt(v); PyTorch adds it to sqrt(v / (1 -
        beta_2^t)). Where gradients are near epsilon / sqrt(1 - beta_2^t)
        the steps differ markedly (the first step of a gradient of 1e-6 at
        rate 0.1: 0.076 here, 0.099 in PyTorch).

    n_iter_no_change : int or np.inf, default=10
        Stalled epochs tolerated before stopping (or, with 'adaptive', before
        lowering the learning rate): the next stalled one stops (or lowers
        the rate), as in scikit-learn's MLP.

    max_fun : int, default=15000
        Loss evaluations at most for 'lbfgs'.

    dtype : {'auto', 'float32', 'float64'}, default='auto'
        Precision of the forward and backward passes. Training time is
        matrix products, and float32 halves their time and memory. 'auto'
        chooses float32 for the stochastic solvers when X is float32 or when
        an epoch is large (n_samples x n_parameters >= 1e8, about 0.6 GFLOP,
        where the products dominate), and float64 otherwise: small problems
        gain nothing from float32, and 'lbfgs' needs loss values accurate
        beyond float32's 7 digits for its line search. ``partial_fit``
        keeps the precision of the model it continues (chosen by its first
        call, or by the fit before it). Whatever the training precision,
        ``coefs_`` and ``intercepts_`` are stored in float64 and predictions
        are computed in float64, so they do not depend on how rows are
        batched. scikit-learn's MLP instead trains in the dtype of X.

    weight_init : {'auto', 'glorot_uniform', 'glorot_normal', 'he_uniform', \
'he_normal', 'lecun_normal'}, default='auto'
        Initial weights. 'auto' is MLP's: W and b uniform in +-sqrt(f / (n_in
        + n_out)), f = 2 for logistic and 6 otherwise, drawn as MLP draws
        them. The other schemes draw W with the named spread (He: variance
        2 / n_in, for the relu family; LeCun: 1 / n_in, for selu; Glorot:
        2 / (n_in + n_out)) and set b to zero.

    warmup_epochs : int, default=0
        Epochs of linear warmup: the rate of epoch e < warmup_epochs is
        scaled by (e + 1) / (warmup_epochs + 1), for every schedule.

    lr_step_size : int, default=10
        Epochs between two drops of learning_rate='step'.

    lr_gamma : float, default=0.1
        Factor of each drop of learning_rate='step', in (0, 1].

    early_stopping_metric : {'score', 'loss'}, default='score'
        What early stopping monitors on the validation data: the score
        (accuracy or R^2, as MLP does) or the validation loss (the training
        objective without its penalty), which moves smoothly where accuracy
        moves in steps.

    dropout : float or list of float, default=0.0
        Inverted dropout on the hidden layers, for the stochastic solvers
        (with solver='lbfgs', a rate above 0 raises a ValueError):
        while training, each hidden unit is zeroed with this probability
        (one rate for all hidden layers, or one per layer) and the kept ones
        scaled by 1 / (1 - rate); prediction uses every unit, unscaled, and
        is deterministic.

    max_grad_norm : float or None, default=None
        Clip each mini-batch gradient, the L2 penalty's included, to this
        Euclidean norm (over all parameters at once, keeping its direction)
        before the step: a larger gradient is scaled by max_grad_norm /
        norm (PyTorch's clip_grad_norm_ divides by norm + 1e-6); adamw's
        decay, not part of the gradient, is not clipped. Stochastic solvers
        only; 'lbfgs' ignores it.
"""

ATTRIBUTES = """\
loss_ : float
        Training loss at the end of training: the last entry of loss_curve_
        for the stochastic solvers; for 'lbfgs' the objective (weighted mean
        loss plus penalty) at the final weights.

    best_loss_ : float or None
        Lowest entry of loss_curve_ when the training loss decides the
        plateaus; None when early stopping monitors the validation data.
        Absent after an 'lbfgs' fit.

    loss_curve_ : list of float
        Training loss of each epoch (stochastic solvers; absent after an
        'lbfgs' fit): the batch objectives (sum_i s_i loss_i + alpha/2
        ||W||^2) / sum_i s_i, each taken before its batch's update, averaged
        over the epoch weighted by each batch's sum_i s_i (with 'adamw',
        alpha is a decay, not a penalty, and is not counted). The penalty
        thus counts once per batch, as in scikit-learn's MLP, which weighs
        the batches by their row count.

    validation_scores_ : list of float or None
        Validation score after each epoch when early_stopping is on or
        fit is given a validation set (X_val and y_val, or validation_data),
        weighted by sample_weight_val when given (class_weight does not
        apply to a given validation set; it does to the early stopping
        split). Absent after an 'lbfgs' fit.

    validation_loss_curve_ : list of float or None
        Validation loss (weighted mean, without penalty) after each epoch,
        when validation runs. Absent after an 'lbfgs' fit.

    best_validation_score_ : float or None
        Validation score of the epoch whose weights early stopping kept:
        the best of validation_scores_, or with
        early_stopping_metric='loss' the score of the lowest validation
        loss. None without early stopping, even when a validation set is
        scored. Absent after an 'lbfgs' fit.

    t_ : int
        Training samples seen by the stochastic solvers.

    coefs_ : list of ndarray
        ``coefs_[l - 1]`` is W^(l), of shape (n_{l-1}, n_l).

    intercepts_ : list of ndarray
        ``intercepts_[l - 1]`` is b^(l), of shape (n_l,).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during fit, when X had string column
        names.

    n_iter_ : int
        Epochs (iterations for 'lbfgs') run by the last call to fit.

    n_layers_ : int
        Number of layers, L + 1 (input and output included).

    n_outputs_ : int
        Number of output neurons n_L.

    out_activation_ : str
        Output activation: 'softmax' or 'logistic' for a classifier,
        'identity' or 'exp' (loss='poisson') for a regressor.
"""
