"""SQS between the functions: ingest -> posts queue -> match -> matches queue -> respond.

Every queue has a dead-letter queue, is encrypted at rest and is reachable only over TLS.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.compute import FUNCTIONS, Functions
from infra.config import StageConfig

DLQ_RETENTION = Duration.days(14)  # the longest SQS keeps a message: time to find the fault and redrive
QUEUE_RETENTION = Duration.days(4)
# AWS guidance for a queue that feeds a Lambda function: visibility timeout at least six times the function's
# timeout plus the batching window, so a message is not handed out again while a throttled batch is retried.
VISIBILITY_TIMEOUT_FACTOR = 6
TIMEOUTS = {spec.key: spec.timeout for spec in FUNCTIONS}


def visibility_timeout(consumer_timeout: Duration, batching_window_seconds: int) -> Duration:
    return Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * consumer_timeout.to_seconds() + batching_window_seconds)


class WorkQueue(Construct):
    """A queue and its dead-letter queue: a message that fails ``max_receive_count`` times is parked, not lost."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        consumer_timeout: Duration,
        batching_window_seconds: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.batching_window_seconds = batching_window_seconds
        self.dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            retention_period=DLQ_RETENTION,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            retention_period=QUEUE_RETENTION,
            visibility_timeout=visibility_timeout(consumer_timeout, batching_window_seconds),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letter_queue, max_receive_count=config.max_receive_count
            ),
        )

    def send_from(self, producer: lambda_.Function, url_variable: str) -> None:
        """``producer`` may send to the queue and finds its URL in ``url_variable``."""
        self.queue.grant_send_messages(producer)
        producer.add_environment(url_variable, self.queue.queue_url)

    def consume_with(self, consumer: lambda_.Function, *, batch_size: int, max_concurrency: int | None = None) -> None:
        """``consumer`` gets the messages in batches and reports which ones failed, so only those come back."""
        consumer.add_event_source(
            sources.SqsEventSource(
                self.queue,
                batch_size=batch_size,
                max_batching_window=Duration.seconds(self.batching_window_seconds),
                report_batch_item_failures=True,
                max_concurrency=max_concurrency,
            )
        )


def pipeline(scope: Construct, config: StageConfig, functions: Functions) -> tuple[WorkQueue, WorkQueue]:
    """The posts and matches queues, each connected to the function that fills it and the one that drains it."""
    posts = WorkQueue(
        scope,
        "PostsQueue",
        config=config,
        consumer_timeout=TIMEOUTS["match"],
        batching_window_seconds=config.posts_batching_window_seconds,
    )
    matches = WorkQueue(
        scope,
        "MatchesQueue",
        config=config,
        consumer_timeout=TIMEOUTS["respond"],
        batching_window_seconds=config.matches_batching_window_seconds,
    )
    posts.send_from(functions["ingest"], "ANTIDOTE_POSTS_QUEUE_URL")
    matches.send_from(functions["match"], "ANTIDOTE_MATCHES_QUEUE_URL")
    # SQS pollers may use only part of match's reserved concurrency; the rest serves partners' claim checks.
    posts.consume_with(
        functions["match"], batch_size=config.posts_batch_size, max_concurrency=config.match_queue_max_concurrency
    )
    matches.consume_with(functions["respond"], batch_size=config.matches_batch_size)
    return posts, matches


def parking_queue(scope: Construct, construct_id: str) -> sqs.Queue:
    """A dead-letter queue for things that are not SQS messages: failed scheduled scans and async invocations."""
    return sqs.Queue(
        scope,
        construct_id,
        retention_period=DLQ_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )
