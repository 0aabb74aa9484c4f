"""SQS queues between the functions, each with a dead-letter queue, encrypted at rest and reachable only over TLS."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import StageConfig

DLQ_RETENTION = Duration.days(14)  # the longest SQS keeps a message: time to find the fault and redrive
QUEUE_RETENTION = Duration.days(4)
# AWS guidance for a queue that feeds a Lambda function: visibility timeout at least six times the function's
# timeout plus the batching window, so a message is not handed out again while a throttled batch is retried.
VISIBILITY_TIMEOUT_FACTOR = 6


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


def parking_queue(scope: Construct, construct_id: str) -> sqs.Queue:
    """A dead-letter queue for things that are not SQS messages: failed scheduled scans and async invocations."""
    return sqs.Queue(
        scope,
        construct_id,
        retention_period=DLQ_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )
