#!/usr/bin/env python3
"""A Switchboard queue worker in plain Python (standard library only), over HTTP JSON-RPC.

Receives jobs (a long poll that returns as soon as one is enqueued), runs them, and acks the
result, or nacks with the traceback so the job is retried after its backoff and lands in the dead
letters once its attempts run out. Stops when the queue stays empty for the wait.
Usage: python3 examples/python/worker.py [queue] [consumer]
"""
import sys
import traceback

from agent import Switchboard


def run(job):
    """The work: upper-cases payload["text"]; a payload without one fails."""
    return {"upper": job["payload"]["text"].upper()}


def main():
    queue = sys.argv[1] if len(sys.argv) > 1 else "jobs"
    consumer = sys.argv[2] if len(sys.argv) > 2 else "python-worker"
    sb = Switchboard()
    while True:
        job = sb.call("queue.receive", queue=queue, consumer=consumer, visibilityMs=30000, waitMs=2000)
        if job is None:
            break
        ids = {"queue": queue, "jobId": job["jobId"], "receipt": job["receipt"]}
        try:
            result = run(job)
        except Exception:
            sb.call("queue.nack", error=traceback.format_exc(), **ids)
            print("failed", job["jobId"], "attempt", job["attempts"])
            continue
        sb.call("queue.ack", result=result, **ids)
        print("done", job["jobId"])


if __name__ == "__main__":
    main()
