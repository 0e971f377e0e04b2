"""gisa beside the llama-index quickstart, same machine, same run, same models: every figure is a ratio.

The baseline is what a user would otherwise write: VectorStoreIndex over SimpleDirectoryReader with
llama-index's default splitter and query engine, given the same embedding model (e5) and the same
LLM (Qwen2.5-Coder-1.5B through llama.cpp, greedy).

Run: .venv/bin/python bench/compare.py [--quick]     (results: bench/results/compare.md and .json)
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_corpus  # noqa: E402

from evals.factset import SEED_FACTSET, load_factset  # noqa: E402
from evals.harness import run_eval  # noqa: E402
from evals.matching import all_facts_present  # noqa: E402
from index import Index  # noqa: E402
from index.embedding import make_embedder  # noqa: E402
from index.llama_embedding import LlamaIndexEmbedding  # noqa: E402
from rag.assistant import Assistant  # noqa: E402
from rag.config import from_env  # noqa: E402
from rag.generation import make_generator  # noqa: E402

# How a plain llama-index answer says it does not know (it has no abstention of its own).
REFUSALS = (
    "not provide",
    "does not mention",
    "doesn't mention",
    "no information",
    "not mentioned",
    "not specified",
    "not given",
    "cannot be determined",
    "not available in the context",
    "not contain",
    "unable to",
    "나와 있지 않",
    "알 수 없",
    "언급되지 않",
    "정보가 없",
    "제공되지 않",
)


def pct(values: list[float], q: int) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def baseline_index(folder: Path, embed_model: LlamaIndexEmbedding):  # type: ignore[no-untyped-def]
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

    documents = SimpleDirectoryReader(str(folder)).load_data()
    return VectorStoreIndex.from_documents(documents, embed_model=embed_model)


def bench_ingest(folder: Path, embedder, tmp: Path, name: str) -> dict:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    _, report = Index.build(tmp / f"gisa-{name}", [folder], embedder)
    gisa_s = time.perf_counter() - start
    start = time.perf_counter()
    base = baseline_index(folder, LlamaIndexEmbedding(embedder))
    base_s = time.perf_counter() - start
    base_chunks = len(base.docstore.docs)
    return {
        "corpus": name,
        "gisa_chunks": report.chunks_embedded,
        "gisa_s": gisa_s,
        "gisa_chunks_per_s": report.chunks_embedded / gisa_s,
        "baseline_chunks": base_chunks,
        "baseline_s": base_s,
        "baseline_chunks_per_s": base_chunks / base_s,
    }


def bench_quality(facts, cfg, embedder, tmp: Path) -> dict:  # type: ignore[no-untyped-def]
    """Both systems answer the seed fact set; retrieval, answers and latency, scored the same way."""
    index, _ = Index.build(tmp / "gisa-quality", [ROOT / "seeds"], embedder)
    generator = make_generator(cfg)
    assistant = Assistant(index, generator, cfg)
    assistant.ask("워밍업 H20?")
    run = run_eval(assistant, facts, name="seed")
    gisa_overall = run.metrics["overall"]
    gisa = {
        "hit@1": gisa_overall["hit@1"],
        "hit@3": gisa_overall["hit@3"],
        "mrr": gisa_overall["mrr"],
        "correct": gisa_overall["correct"],
        "answer_correct": gisa_overall["answer_correct"],
        "citation_precision": gisa_overall["citation_precision"],
        "abstention_recall": gisa_overall["abstention_recall"],
        "retrieval_ms": [r.retrieval_s * 1000 for r in run.results],
        "first_token_s": [r.first_token_s for r in run.results],
        "total_s": [r.total_s for r in run.results],
    }

    base_index = baseline_index(ROOT / "seeds", LlamaIndexEmbedding(embedder))
    llm = generator.llm  # the same llama.cpp model object, so both answer with identical weights and settings
    retriever = base_index.as_retriever()
    engine = base_index.as_query_engine(llm=llm, streaming=True)
    hits1 = hits3 = rr = correct = answerable_correct = abstain_hits = 0.0
    rows = {"retrieval_ms": [], "first_token_s": [], "total_s": []}
    answerable = [f for f in facts if f.answerable]
    for fact in facts:
        start = time.perf_counter()
        retriever.retrieve(fact.question)
        rows["retrieval_ms"].append((time.perf_counter() - start) * 1000)
        if fact.answerable:
            deep = base_index.as_retriever(similarity_top_k=10).retrieve(fact.question)
            rank = next((i for i, n in enumerate(deep, 1) if fact.evidence in n.node.get_content()), None)
            hits1 += rank == 1
            hits3 += bool(rank and rank <= 3)
            rr += 1 / rank if rank else 0
        start = time.perf_counter()
        response = engine.query(fact.question)
        text, first = "", 0.0
        for token in response.response_gen:
            first = first or time.perf_counter()
            text += token
        done = time.perf_counter()
        rows["first_token_s"].append((first or done) - start)
        rows["total_s"].append(done - start)
        refused = any(r in text.lower() for r in REFUSALS)
        if fact.answerable:
            ok = not refused and all_facts_present(fact.expected, text)
            answerable_correct += ok
        else:
            ok = refused
            abstain_hits += refused
        correct += ok
    n_un = len(facts) - len(answerable)
    baseline = {
        "hit@1": hits1 / len(answerable),
        "hit@3": hits3 / len(answerable),
        "mrr": rr / len(answerable),
        "correct": correct / len(facts),
        "answer_correct": answerable_correct / len(answerable),
        "citation_precision": None,
        "abstention_recall": abstain_hits / n_un if n_un else None,
        **rows,
    }
    return {"gisa": gisa, "baseline": baseline}


def bench_scale(sizes: list[int], dim: int = 384, queries: int = 200, approx_from: int = 1_000_000) -> list[dict]:
    """Search latency and memory by size; flat up to 100k, and at 1M also IVF (with its recall vs flat)."""
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((2000, dim)).astype(np.float32)
    rows = []
    for n in sizes:
        vectors = centers[rng.integers(0, len(centers), n)] + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        qs = vectors[rng.integers(0, n, queries)] + 0.3 * rng.standard_normal((queries, dim)).astype(np.float32)
        qs /= np.linalg.norm(qs, axis=1, keepdims=True)
        flat = faiss.IndexFlatIP(dim)
        flat.add(vectors)
        truth = flat.search(qs, 5)[1]
        candidates: list[tuple[str, faiss.Index, float, int]] = [("IndexFlatIP", flat, 0.0, 0)]
        if n >= approx_from:
            nlist = 4096 if n >= 1_000_000 else 256
            start = time.perf_counter()
            ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            ivf.train(vectors[rng.choice(n, min(n, 100_000), replace=False)])
            ivf.add(vectors)
            built = time.perf_counter() - start
            for nprobe in (16, 64, 256):  # the speed/recall trade-off, one row each
                candidates.append((f"IndexIVFFlat nlist={nlist} nprobe={nprobe}", ivf, built, nprobe))
        for name, index, build_s, nprobe in candidates:
            if nprobe:
                index.nprobe = nprobe
            times = []
            for q in qs:
                start = time.perf_counter()
                index.search(q[None, :], 5)
                times.append(time.perf_counter() - start)
            found = index.search(qs, 5)[1]
            recall = float(np.mean([len(set(a) & set(b)) / 5 for a, b in zip(found, truth, strict=True)]))
            rows.append(
                {
                    "chunks": n,
                    "index": name,
                    "p50_ms": pct(times, 50) * 1000,
                    "p95_ms": pct(times, 95) * 1000,
                    "memory_mb": n * dim * 4 / 1e6,
                    "recall@5": recall,
                    "build_s": build_s,
                }
            )
        del vectors, flat, candidates
    return rows


MEMORY_SCRIPTS = {
    "gisa chat": """
        import sys, tempfile
        from pathlib import Path
        from index import Index
        from index.embedding import make_embedder
        from rag.assistant import Assistant
        from rag.config import from_env
        from rag.generation import make_generator
        from ui.app import build_app
        from ui.controller import ChatController
        cfg = from_env({})
        tmp = Path(tempfile.mkdtemp())
        index, _ = Index.build(tmp / "i", ["seeds"], make_embedder("e5"))
        controller = ChatController(Assistant(index, make_generator(cfg), cfg), tmp / "u")
        build_app(controller)
        for event in controller.ask("H20 칩은 개당 얼마인가요?"):
            pass
        print(peak_kb())
    """,
    "llama-index quickstart": """
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from index.embedding import make_embedder
        from index.llama_embedding import LlamaIndexEmbedding
        from rag.config import from_env
        from rag.llamacpp import LlamaCppLLM
        cfg = from_env({})
        docs = SimpleDirectoryReader("seeds").load_data()
        index = VectorStoreIndex.from_documents(docs, embed_model=LlamaIndexEmbedding(make_embedder("e5")))
        llm = LlamaCppLLM(model_path=str(cfg.model_path), n_ctx=cfg.n_ctx, n_threads=cfg.threads)
        print(index.as_query_engine(llm=llm).query("H20 칩은 개당 얼마인가요?"), file=open("/dev/null", "w"))
        print(peak_kb())
    """,
}
# VmHWM is this process's own peak; ru_maxrss would carry the benchmark parent's peak across fork+exec.
PEAK = """
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""


def bench_memory() -> dict[str, float]:
    """Peak resident memory (MB) of a process with the default models loaded that answered one question."""
    out = {}
    for name, script in MEMORY_SCRIPTS.items():
        result = subprocess.run(
            [sys.executable, "-c", PEAK + textwrap.dedent(script)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
        )
        out[name] = int(result.stdout.strip().splitlines()[-1]) / 1024 if result.returncode == 0 else float("nan")
    return out


def fmt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None or v != v else f"{v:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b or a != a or b != b else f"{a / b:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="CI-size run: 200 articles, 12 questions, up to 100k")
    args = parser.parse_args()
    started = time.perf_counter()
    cfg = from_env({})
    embedder = make_embedder("e5", cfg.threads)
    embedder.embed_passages(["warm-up"])
    facts = load_factset(SEED_FACTSET)
    if args.quick:
        facts = facts[::4]
    n_articles = 200 if args.quick else 1000
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    suffix = "-quick" if args.quick else ""
    partial = out / f"compare{suffix}.partial.json"

    def stage(name: str, value: object) -> None:
        print(f"[{(time.perf_counter() - started) / 60:.1f} min] {name} done", file=sys.stderr, flush=True)
        done = json.loads(partial.read_text()) if partial.exists() else {}
        partial.write_text(json.dumps({**done, name: value}, ensure_ascii=False, indent=2))

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        make_corpus(tmp / "synthetic", n_articles)
        ingest = [
            bench_ingest(ROOT / "seeds", embedder, tmp, "seed"),
            bench_ingest(tmp / "synthetic", embedder, tmp, f"synthetic {n_articles}"),
        ]
        stage("ingest", ingest)
        quality = bench_quality(facts, replace(cfg), embedder, tmp)
        stage("quality", quality)
    scale = bench_scale(sizes)
    stage("scale", scale)
    memory = bench_memory()
    stage("memory", memory)

    g, b = quality["gisa"], quality["baseline"]
    machine = f"{platform.machine()}, {cfg.threads} threads"
    lines = [
        f"# gisa vs llama-index quickstart ({datetime.now(UTC):%Y-%m-%d}, {machine})",
        "",
        f"Same embedder ({embedder.id}) and LLM ({cfg.model_path.name}, greedy) on both sides; "
        f"{len(facts)} seed questions.",
        "",
        "| figure | gisa | baseline | gisa / baseline |",
        "|---|---:|---:|---:|",
    ]
    for row in ingest:
        lines.append(
            f"| ingest {row['corpus']}: chunks | {row['gisa_chunks']} | {row['baseline_chunks']} | "
            f"{ratio(row['gisa_chunks'], row['baseline_chunks'])} |"
        )
        lines.append(
            f"| ingest {row['corpus']}: wall s | {fmt(row['gisa_s'], 1)} | {fmt(row['baseline_s'], 1)} | "
            f"{ratio(row['gisa_s'], row['baseline_s'])} |"
        )
        lines.append(
            f"| ingest {row['corpus']}: chunks/s | {fmt(row['gisa_chunks_per_s'], 1)} | "
            f"{fmt(row['baseline_chunks_per_s'], 1)} | "
            f"{ratio(row['gisa_chunks_per_s'], row['baseline_chunks_per_s'])} |"
        )
    for key in ("hit@1", "hit@3", "mrr", "correct", "answer_correct", "citation_precision", "abstention_recall"):
        lines.append(f"| {key} | {fmt(g[key])} | {fmt(b[key])} | {ratio(g[key], b[key])} |")
    for key, unit in (("retrieval_ms", "ms"), ("first_token_s", "s"), ("total_s", "s")):
        for q in (50, 95):
            lines.append(
                f"| {key.split('_')[0].replace('first', 'first token')} p{q} ({unit}) | "
                f"{fmt(pct(g[key], q))} | {fmt(pct(b[key], q))} | {ratio(pct(g[key], q), pct(b[key], q))} |"
            )
    lines.append(
        f"| peak memory, chat process (MB) | {fmt(memory['gisa chat'], 0)} | "
        f"{fmt(memory['llama-index quickstart'], 0)} | "
        f"{ratio(memory['gisa chat'], memory['llama-index quickstart'])} |"
    )
    lines += [
        "",
        "| dense search | index | p50 ms | p95 ms | vectors MB | recall@5 vs flat | build s |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['chunks']:,} | {r['index']} | {fmt(r['p50_ms'])} | {fmt(r['p95_ms'])} | {r['memory_mb']:.0f} | "
        f"{fmt(r['recall@5'])} | {fmt(r['build_s'], 1)} |"
        for r in scale
    ]
    lines += ["", f"Whole run: {(time.perf_counter() - started) / 60:.1f} minutes."]
    report = "\n".join(lines)
    print(report)
    partial.unlink(missing_ok=True)
    (out / f"compare{suffix}.md").write_text(report + "\n", encoding="utf-8")
    (out / f"compare{suffix}.json").write_text(
        json.dumps(
            {"machine": machine, "ingest": ingest, "quality": quality, "scale": scale, "memory_mb": memory},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
