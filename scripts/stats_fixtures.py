#!/usr/bin/env python3
"""Reference values for pelita-stats, computed with scipy and statsmodels.

Run `make stats-fixtures` (it installs scripts/requirements-stats.txt into a virtualenv). Writes
crates/stats/tests/fixtures/reference.json and the questionnaire file survey-100.csv. The Rust tests
compare every number to a relative 1e-6 (p-values of 1e-30 included), so the JSON keeps every digit:
json.dumps writes floats by repr, which round-trips. Data come from fixed seeds, so a re-run writes
the same files.
"""

import json
import pathlib

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import lilliefors
from statsmodels.stats.outliers_influence import variance_inflation_factor

OUT = pathlib.Path(__file__).resolve().parent.parent / "crates" / "stats" / "tests" / "fixtures"


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float)]


def paired_case(name, before, after):
    before, after = np.asarray(before, float), np.asarray(after, float)
    d = after - before
    t = stats.ttest_rel(after, before)
    ci = t.confidence_interval(0.95)
    w = stats.wilcoxon(after, before)  # scipy's defaults: wilcox zeros, no correction, auto
    nonzero = int(np.sum(d != 0))
    exact = nonzero == len(d) and len(d) <= 50
    return {
        "name": name,
        "before": floats(before),
        "after": floats(after),
        "mean_diff": float(d.mean()),
        "sd_diff": float(d.std(ddof=1)),
        "t": float(t.statistic),
        "df": float(t.df),
        "p": float(t.pvalue),
        "ci_low": float(ci.low),
        "ci_high": float(ci.high),
        "dz": float(d.mean() / d.std(ddof=1)),
        "wilcoxon_statistic": float(w.statistic),
        "wilcoxon_p": float(w.pvalue),
        "wilcoxon_exact": exact,
    }


def welch_case(name, a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = stats.ttest_ind(a, b, equal_var=False)
    ci = t.confidence_interval(0.95)
    return {
        "name": name,
        "a": floats(a),
        "b": floats(b),
        "diff": float(a.mean() - b.mean()),
        "t": float(t.statistic),
        "df": float(t.df),
        "p": float(t.pvalue),
        "ci_low": float(ci.low),
        "ci_high": float(ci.high),
    }


def ols_result(y, columns, names):
    X = sm.add_constant(np.column_stack(columns), has_constant="add")
    fit = sm.OLS(np.asarray(y, float), X).fit()
    return {
        "names": ["const"] + names,
        "params": floats(fit.params),
        "se": floats(fit.bse),
        "t": floats(fit.tvalues),
        "p": floats(fit.pvalues),
        "r2": float(fit.rsquared),
        "adj_r2": float(fit.rsquared_adj),
        "f": float(fit.fvalue),
        "f_p": float(fit.f_pvalue),
        "df_model": float(fit.df_model),
        "df_resid": float(fit.df_resid),
        "residuals": floats(fit.resid),
    }


def ols_case(name, y, columns, names):
    return {"name": name, "y": floats(y), "x": [floats(c) for c in columns], **ols_result(y, columns, names)}


def normality_case(name, x):
    x = np.asarray(x, float)
    sw = stats.shapiro(x)
    case = {"name": name, "x": floats(x), "shapiro_w": float(sw.statistic), "shapiro_p": float(sw.pvalue)}
    if len(x) >= 4:
        d, p = lilliefors(x, dist="norm", pvalmethod="approx")
        case["lilliefors_d"] = float(d)
        # Below 0.1 statsmodels uses the Dallal-Wilkinson formula; above it, its simulated table,
        # which Pelita does not reproduce: it reports "p > 0.10" there.
        case["lilliefors_p"] = float(p) if p < 0.1 else None
    return case


def likert(latent, rng, noise):
    raw = 3 + latent + rng.normal(0, noise, size=latent.shape)
    return np.clip(np.rint(raw), 1, 5).astype(int)


def survey(rng, n=100):
    x1 = rng.normal(0, 0.9, n)
    x2 = 0.45 * x1 + rng.normal(0, 0.8, n)
    y = 0.35 * x1 + 0.3 * x2 + rng.normal(0, 0.7, n)
    items = {}
    for construct, latent, count in (("X1", x1, 8), ("X2", x2, 6), ("Y", y, 6)):
        for k in range(1, count + 1):
            # The last X1 item measures nothing: it should come out "tidak valid".
            weak = construct == "X1" and k == count
            noise = 0.5 if weak else 0.75
            signal = 0.0 if weak else 1.0
            items[f"{construct}_{k}"] = likert(signal * latent, rng, noise)
    return items


def survey_case(items):
    names = list(items)
    n = len(items[names[0]])
    constructs = {}
    for name in names:
        constructs.setdefault(name.split("_")[0], []).append(name)
    df = n - 2
    t_crit = stats.t.ppf(0.975, df)
    r_crit = float(t_crit / np.sqrt(df + t_crit**2))
    out = {"n": n, "r_critical": r_crit, "items": [], "alpha": {}}
    totals = {}
    for construct, cols in constructs.items():
        m = np.column_stack([items[c] for c in cols]).astype(float)
        total = m.sum(axis=1)
        totals[construct] = total
        for c in cols:
            r, p = stats.pearsonr(np.asarray(items[c], float), total)
            out["items"].append({"item": c, "r": float(r), "p": float(p)})
        k = m.shape[1]
        alpha = k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / total.var(ddof=1))
        out["alpha"][construct] = float(alpha)
    xs = [totals["X1"], totals["X2"]]
    multiple = ols_result(totals["Y"], xs, ["X1", "X2"])
    out["multiple"] = multiple
    out["simple"] = {
        "X1": ols_result(totals["Y"], [totals["X1"]], ["X1"]),
        "X2": ols_result(totals["Y"], [totals["X2"]], ["X2"]),
    }
    X = sm.add_constant(np.column_stack(xs))
    out["vif"] = {name: float(variance_inflation_factor(X, i + 1)) for i, name in enumerate(["X1", "X2"])}
    resid = np.asarray(multiple["residuals"])
    out["normality"] = normality_case("residuals", resid)
    out["glejser"] = ols_result(np.abs(resid), xs, ["X1", "X2"])
    return out


def effect_case(rng, n=60):
    """People as pelita_stats::effect::Person, and what its analysis must give."""
    offices = ["PAYA-PASIR", "TERJUN", "LABUHAN-DELI"]
    people = []
    for i in range(n):
        trained = i % 3 == 0
        untrained = i % 3 == 1  # the rest trained, but outside the April-September window
        level = rng.normal(0, 0.6)

        def measure(lift):
            score = float(np.clip(np.rint(4 + level + lift + rng.normal(0, 0.6)), 1, 5))
            capaian = float(0.92 + 0.05 * level + 0.03 * lift + rng.normal(0, 0.04))
            return {"score": score, "capaian": None if i % 13 == 5 else capaian}

        before = None if i % 11 == 3 else measure(0.0)
        after = None if i % 17 == 4 else measure(0.4 if trained else 0.0)
        jp = float(rng.randint(8, 40) if trained else (0 if untrained else rng.randint(4, 20)))
        controls = [
            ["golongan", ["I\u2013II", "III", "IV"][rng.randint(0, 3)]],
            ["jenis_jabatan", ["Fungsional", "Pelaksana", "Struktural"][rng.randint(0, 3)]],
            ["kantor", offices[rng.randint(0, 3)]],
        ]
        people.append({"before": before, "after": after, "trained": trained, "untrained": untrained,
                       "jp": jp, "controls": controls})

    def pairs(group, key):
        b, a = [], []
        for p in group:
            if p["before"] and p["after"] and p["before"][key] is not None and p["after"][key] is not None:
                b.append(p["before"][key])
                a.append(p["after"][key])
        return np.array(b), np.array(a)

    trained = [p for p in people if p["trained"]]
    untrained = [p for p in people if p["untrained"]]
    out = {"people": people}
    for key in ("score", "capaian"):
        b, a = pairs(trained, key)
        out[f"paired_{key}"] = paired_case(key, b, a)
        tb, ta = pairs(trained, key)
        ub, ua = pairs(untrained, key)
        out[f"did_{key}"] = welch_case(key, ta - tb, ua - ub)
    with_after = [p for p in people if p["after"]]
    y = [p["after"]["score"] for p in with_after]
    jp = [p["jp"] for p in with_after]
    out["regression_simple"] = ols_result(y, [jp], ["jp"])
    columns, names = [jp], ["jp"]
    for factor in ("golongan", "jenis_jabatan", "kantor"):
        levels = sorted({dict(p["controls"])[factor] for p in with_after})
        for level in levels[1:]:
            column = [1.0 if dict(p["controls"])[factor] == level else 0.0 for p in with_after]
            if 0 < sum(column) < len(column):
                columns.append(column)
                names.append(f"{factor}={level}")
    out["regression_multiple"] = ols_result(y, columns, names)
    return out


def main():
    rng = np.random.RandomState(20261201)
    cases = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}}

    # Paired: predicate scores (1-5) and capaian means before/after, small and large, ties, zeros.
    before = rng.normal(3.2, 0.6, 12)
    cases["paired"] = [
        paired_case("twelve, no ties (exact Wilcoxon)", before, before + rng.normal(0.25, 0.4, 12)),
        paired_case(
            "predicate scores with ties and zeros (normal approximation)",
            rng.randint(2, 5, 30),
            rng.randint(2, 6, 30),
        ),
        paired_case("sixty capaian means", rng.normal(92, 8, 60), rng.normal(95, 8, 60)),
        paired_case(
            "ties but no zeros (exact, statistic rounded)",
            [3, 2, 4, 3, 2, 3, 4, 2, 3, 3, 2, 4, 3, 2, 3],
            [4, 3, 5, 5, 3, 2, 5, 4, 4, 5, 1, 5, 4, 3, 4],
        ),
        paired_case("negative effect", [4, 4, 3, 5, 4, 3, 4, 5, 4, 4, 3], [3, 4, 2, 4, 3, 3, 3, 4, 4, 2, 3]),
    ]
    # Welch: change scores of trained vs not trained (difference-in-differences).
    cases["welch"] = [
        welch_case("trained vs untrained changes", rng.normal(0.3, 0.5, 40), rng.normal(0.05, 0.7, 25)),
        welch_case("unequal sizes", rng.normal(1, 2, 11), rng.normal(0, 1, 57)),
    ]
    # OLS: performance on JP hours, simple and with controls (dummies).
    n = 80
    jp = rng.gamma(2.0, 12.0, n)
    gol = rng.randint(0, 3, n)
    fungsional = rng.randint(0, 2, n)
    perf = 3 + 0.012 * jp + 0.2 * (gol == 2) - 0.1 * fungsional + rng.normal(0, 0.5, n)
    cases["ols"] = [
        ols_case("simple: score on JP", perf, [jp], ["jp"]),
        ols_case(
            "multiple: JP with golongan group and jenis jabatan",
            perf,
            [jp, (gol == 1).astype(float), (gol == 2).astype(float), fungsional.astype(float)],
            ["jp", "gol_III", "gol_IV", "fungsional"],
        ),
    ]
    cases["normality"] = [
        normality_case("three", [2.0, 3.5, 9.0]),
        normality_case("five", rng.normal(0, 1, 5)),
        normality_case("eleven", rng.normal(10, 3, 11)),
        normality_case("twelve", rng.normal(10, 3, 12)),
        normality_case("normal 100", rng.normal(0, 1, 100)),
        normality_case("skewed 50", rng.exponential(1.0, 50)),
        normality_case("skewed 150", rng.exponential(2.0, 150)),
        normality_case("uniform 600", rng.uniform(0, 1, 600)),
    ]
    items = survey(rng)
    cases["survey"] = survey_case(items)
    cases["effect"] = effect_case(rng)

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "reference.json").write_text(json.dumps(cases, indent=1) + "\n")
    with open(OUT / "survey-100.csv", "w") as f:
        names = list(items)
        f.write(",".join(names) + "\n")
        for i in range(len(items[names[0]])):
            f.write(",".join(str(items[c][i]) for c in names) + "\n")
    print(f"wrote {OUT / 'reference.json'} and survey-100.csv")


if __name__ == "__main__":
    main()
