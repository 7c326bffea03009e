"""Training-speed reference: the ladder-model transformer written in JAX.

Same shapes, same optimiser (AdamW, lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01),
same batch (32 windows of 200 answers), same dropout, on the CPU. Prints training tokens/s so
it can be compared with `cargo bench -p ladder-model --bench train_speed` in the same run
(bench/compare_speed.sh runs both). Synthetic inputs: speed does not depend on the values.

    pip install jax
    python3 bench/jax_reference.py --d-model 64 --d-ff 128 --enc 2 --ret 2
"""

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

K = 4  # skills per item
F = 6  # count features
HINT, LAT, GAP = 5, 12, 12


def init_params(key, n_items, n_skills, d, dff, h, n_enc, n_ret):
    keys = iter(jax.random.split(key, 200))

    def nrm(shape, std):
        return std * jax.random.normal(next(keys), shape, jnp.float32)

    p = {
        "skill": nrm((n_skills, d), 0.1),
        "skill_var": nrm((n_skills, d), 0.1),
        "item_mu": nrm((n_items, 1), 0.02),
        "item_bias": jnp.zeros((n_items, 1)),
        "resp": nrm((3, d), 0.1),
        "resp_var": nrm((3, d), 0.1),
        "hint": nrm((HINT, d), 0.1),
        "lat": nrm((LAT, d), 0.1),
        "gap": nrm((GAP, d), 0.1),
        "start": nrm((1, d), 0.1),
        "feat_w": nrm((F, d), F ** -0.5),
        "feat_b": jnp.zeros((d,)),
    }

    def layer(cross):
        l = {"ln1_g": jnp.ones(d), "ln1_b": jnp.zeros(d), "ln2_g": jnp.ones(d), "ln2_b": jnp.zeros(d)}
        if cross:
            l["lnkv_g"], l["lnkv_b"] = jnp.ones(d), jnp.zeros(d)
        for m in ["q", "k", "v", "o"]:
            l["w" + m] = nrm((d, d), d ** -0.5)
            l["b" + m] = jnp.zeros(d)
        l["log_slope"] = -jnp.linspace(1.0, 8.0, h) * jnp.log(2.0)
        l["w1"], l["b1"] = nrm((d, dff), d ** -0.5), jnp.zeros(dff)
        l["w2"], l["b2"] = nrm((dff, d), dff ** -0.5), jnp.zeros(d)
        return l

    p["enc"] = [layer(False) for _ in range(n_enc)]
    p["ret"] = [layer(True) for _ in range(n_ret)]
    p["encf_g"], p["encf_b"] = jnp.ones(d), jnp.zeros(d)
    p["retf_g"], p["retf_b"] = jnp.ones(d), jnp.zeros(d)
    p["head_w1"], p["head_b1"] = nrm((2 * d + F, d), (2 * d + F) ** -0.5), jnp.zeros(d)
    p["head_w2"], p["head_b2"] = nrm((d, 1), d ** -0.5), jnp.zeros(1)
    return p


def ln(x, g, b):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / jnp.sqrt(v + 1e-5) * g + b


def dropout(key, x, p):
    keep = jax.random.bernoulli(key, 1.0 - p, x.shape)
    return jnp.where(keep, x / (1.0 - p), 0.0)


def attention(l, xq, xkv, bias_dist, mask, h):
    b, tq, d = xq.shape
    tk = xkv.shape[1]
    dh = d // h
    q = (xq @ l["wq"] + l["bq"]).reshape(b, tq, h, dh).transpose(0, 2, 1, 3)
    k = (xkv @ l["wk"] + l["bk"]).reshape(b, tk, h, dh).transpose(0, 2, 1, 3)
    v = (xkv @ l["wv"] + l["bv"]).reshape(b, tk, h, dh).transpose(0, 2, 1, 3)
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    s = s - jnp.exp(l["log_slope"])[:, None, None] * bias_dist + mask
    a = jax.nn.softmax(s, axis=-1)
    o = (a @ v).transpose(0, 2, 1, 3).reshape(b, tq, d)
    return o @ l["wo"] + l["bo"]


def forward(p, batch, key, h, pdrop):
    item, skills, smask, known, resp, hint, lat, gap, feat = batch
    b, t = item.shape
    keys = iter(jax.random.split(key, 64))
    mu = p["item_mu"][item] * known[..., None]
    c = (p["skill"][skills] * smask[..., None]).sum(2)
    v = (p["skill_var"][skills] * smask[..., None]).sum(2)
    q = c + mu * v
    x = q + p["resp"][resp] + mu * p["resp_var"][resp] + p["hint"][hint] + p["lat"][lat] + p["gap"][gap]
    start = jnp.broadcast_to(p["start"][None], (b, 1, q.shape[-1]))
    xs = jnp.concatenate([start, x[:, :-1]], axis=1)
    xs = dropout(next(keys), xs, pdrop)
    pos = jnp.arange(t)
    dist = jnp.maximum(pos[:, None] - pos[None, :], 0).astype(jnp.float32)
    mask = jnp.where(pos[None, :] > pos[:, None], -1e9, 0.0)
    for l in p["enc"]:
        hh = ln(xs, l["ln1_g"], l["ln1_b"])
        xs = xs + dropout(next(keys), attention(l, hh, hh, dist, mask, h), pdrop)
        hh = ln(xs, l["ln2_g"], l["ln2_b"])
        f = jax.nn.gelu(hh @ l["w1"] + l["b1"], approximate=False) @ l["w2"] + l["b2"]
        xs = xs + dropout(next(keys), f, pdrop)
    hist = ln(xs, p["encf_g"], p["encf_b"])
    z = q + feat @ p["feat_w"] + p["feat_b"]
    for l in p["ret"]:
        kv = ln(hist, l["lnkv_g"], l["lnkv_b"])
        hh = ln(z, l["ln1_g"], l["ln1_b"])
        z = z + dropout(next(keys), attention(l, hh, kv, dist, mask, h), pdrop)
        hh = ln(z, l["ln2_g"], l["ln2_b"])
        f = jax.nn.gelu(hh @ l["w1"] + l["b1"], approximate=False) @ l["w2"] + l["b2"]
        z = z + dropout(next(keys), f, pdrop)
    z = ln(z, p["retf_g"], p["retf_b"])
    hid = jax.nn.gelu(jnp.concatenate([z, q, feat], -1) @ p["head_w1"] + p["head_b1"], approximate=False)
    hid = dropout(next(keys), hid, pdrop)
    logit = (hid @ p["head_w2"] + p["head_b2"])[..., 0] - p["item_bias"][item][..., 0] * known
    return logit


def loss_fn(p, batch, target, key, h, pdrop):
    z = forward(p, batch, key, h, pdrop)
    l = jnp.maximum(z, 0) - z * target + jnp.log1p(jnp.exp(-jnp.abs(z)))
    return l.mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--d-model", type=int, default=64)
    ap.add_argument("--d-ff", type=int, default=128)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--enc", type=int, default=2)
    ap.add_argument("--ret", type=int, default=2)
    ap.add_argument("--seq", type=int, default=200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--dropout", type=float, default=0.2)
    a = ap.parse_args()
    n_items, n_skills = 2001, 101
    b, t = a.batch, a.seq
    rng = np.random.default_rng(0)
    batch = (
        jnp.asarray(rng.integers(1, n_items, (b, t)), jnp.int32),
        jnp.asarray(rng.integers(1, n_skills, (b, t, K)), jnp.int32),
        jnp.asarray((rng.random((b, t, K)) < 0.3).astype(np.float32)),
        jnp.ones((b, t), jnp.float32),
        jnp.asarray(rng.integers(0, 3, (b, t)), jnp.int32),
        jnp.asarray(rng.integers(0, HINT, (b, t)), jnp.int32),
        jnp.asarray(rng.integers(0, LAT, (b, t)), jnp.int32),
        jnp.asarray(rng.integers(0, GAP, (b, t)), jnp.int32),
        jnp.asarray(rng.random((b, t, F)).astype(np.float32)),
    )
    target = jnp.asarray((rng.random((b, t)) < 0.6).astype(np.float32))
    params = init_params(jax.random.PRNGKey(0), n_items, n_skills, a.d_model, a.d_ff, a.heads, a.enc, a.ret)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    lr, b1, b2, eps, wd = 1e-3, 0.9, 0.999, 1e-8, 0.01

    @jax.jit
    def step(params, m, v, i, key):
        loss, g = jax.value_and_grad(loss_fn)(params, batch, target, key, a.heads, a.dropout)
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, g)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, g)
        c1, c2 = 1 - b1 ** i, 1 - b2 ** i
        params = jax.tree_util.tree_map(
            lambda p, m, v: p * (1 - lr * wd) - lr * (m / c1) / (jnp.sqrt(v / c2) + eps), params, m, v)
        return params, m, v, loss

    key = jax.random.PRNGKey(1)
    for i in range(1, 3):
        key, sub = jax.random.split(key)
        params, m, v, loss = step(params, m, v, float(i), sub)
    loss.block_until_ready()
    t0 = time.perf_counter()
    for i in range(3, 3 + a.steps):
        key, sub = jax.random.split(key)
        params, m, v, loss = step(params, m, v, float(i), sub)
    loss.block_until_ready()
    dt = time.perf_counter() - t0
    print(f"jax ({jax.default_backend()}) train d_model {a.d_model} layers {a.enc}+{a.ret} heads {a.heads} seq {t} batch {b}: "
          f"{b * t * a.steps / dt:.0f} tokens/s (step {dt / a.steps:.3f}s)")


if __name__ == "__main__":
    main()
