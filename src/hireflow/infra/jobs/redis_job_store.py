"""Job state in Redis, shared by every API and worker process: one hash per job, with a TTL.

Each state change is one Lua script, so it is atomic across machines: a queued job is cancelled or started,
never both. Timestamps are stored as fixed-width ISO strings, which compare in time order as plain strings; the
scripts use that to keep ``created_at <= started_at <= finished_at`` even when machines' clocks disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from hireflow.domain.ports.background_jobs import JobInfo, JobStatus
from hireflow.shared.config import mask_url_password
from hireflow.shared.errors import MissingExtraError, ServiceUnavailable
from hireflow.shared.types import JSONValue

try:
    import redis
    from redis.typing import EncodableT, FieldT
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("jobs", "the Dramatiq job runner") from exc

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"

# KEYS[1] job; ARGV now, ttl. Nil for a missing job, else what the worker should do: 'run' a queued job
# (now running), 'rerun' a running one (a redelivery after a worker died), or skip: the final status.
_START = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
if status == 'queued' then
  local started = ARGV[1]
  local created = redis.call('HGET', KEYS[1], 'created_at')
  if created > started then started = created end
  redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', started)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 'run'
end
if status == 'running' then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 'rerun'
end
return status
"""

# KEYS[1] job; ARGV now, ttl, tenant. The job's fields after the request; empty for a missing/foreign job.
_CANCEL = """
if redis.call('HGET', KEYS[1], 'company_group_id') ~= ARGV[3] then return {} end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'queued' then
  local finished = ARGV[1]
  local created = redis.call('HGET', KEYS[1], 'created_at')
  if created > finished then finished = created end
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finished_at', finished)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
elseif status == 'running' then
  redis.call('HSET', KEYS[1], 'cancel_requested', '1')
end
return redis.call('HGETALL', KEYS[1])
"""

# KEYS[1] job; ARGV progress, has_message, message. Whether cancellation was requested (0/1), -1 if not running.
_REPORT = """
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return -1 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'message', ARGV[3])
else
  redis.call('HDEL', KEYS[1], 'message')
end
return tonumber(redis.call('HGET', KEYS[1], 'cancel_requested'))
"""

# KEYS[1] job; ARGV status, now, ttl, result json ('' for none), error ('' for none). 1 when finished here.
_FINISH = """
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
local finished = ARGV[2]
local started = redis.call('HGET', KEYS[1], 'started_at')
if started > finished then finished = started end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'finished_at', finished)
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'result', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[5]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


def format_time(value: datetime) -> str:
    """A fixed-width UTC ISO string, so that string order is time order (the Lua scripts rely on it)."""
    if value.tzinfo is None:
        raise ValueError("job timestamps must be timezone-aware")
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


def _tenant(company_group_id: int | None) -> str:
    return "" if company_group_id is None else str(company_group_id)


class RedisJobStore:
    """Job records in Redis under ``<prefix>job:<id>``; every method is one round trip.

    Connection failures become :class:`ServiceUnavailable` naming the URL (password masked) and the fix.
    """

    def __init__(self, client: redis.Redis, *, url: str, prefix: str, ttl: timedelta) -> None:
        if ttl.total_seconds() < 1:
            raise ValueError("the job TTL must be at least one second")
        self._client = client
        self._url = mask_url_password(url)
        self._prefix = prefix
        self._ttl = int(ttl.total_seconds())
        self._start = client.register_script(_START)
        self._cancel = client.register_script(_CANCEL)
        self._report = client.register_script(_REPORT)
        self._finish = client.register_script(_FINISH)

    def key(self, job_id: str) -> str:
        """The Redis key of a job's hash."""
        return f"{self._prefix}job:{job_id}"

    def ping(self) -> None:
        """Check that Redis answers; ServiceUnavailable otherwise."""
        with self.reachable():
            self._client.ping()

    def create(
        self,
        job_id: str,
        *,
        name: str,
        arguments: Mapping[str, JSONValue],
        company_group_id: int | None,
        created_at: datetime,
    ) -> None:
        """Store a new queued job."""
        fields: dict[FieldT, EncodableT] = {
            "id": job_id,
            "name": name,
            "arguments": json.dumps(arguments, allow_nan=False),
            "company_group_id": _tenant(company_group_id),
            "status": JobStatus.QUEUED.value,
            "progress": "0.0",
            "cancel_requested": "0",
            "created_at": format_time(created_at),
        }
        with self.reachable():
            pipe = self._client.pipeline(transaction=True)
            pipe.hset(self.key(job_id), mapping=fields)
            pipe.expire(self.key(job_id), self._ttl)
            pipe.execute()

    def delete(self, job_id: str) -> None:
        """Forget a job (one that could not be queued)."""
        with self.reachable():
            self._client.delete(self.key(job_id))

    def fields(self, job_id: str) -> dict[str, str] | None:
        """The job's stored fields, decoded; None when there is no such job."""
        with self.reachable():
            raw = self._client.hgetall(self.key(job_id))
        return _decode_pairs(raw.items()) or None

    def info(self, job_id: str) -> JobInfo | None:
        """The job's current state, whoever's it is; None when there is no such job."""
        fields = self.fields(job_id)
        return None if fields is None else job_info(fields)

    def start(self, job_id: str, now: datetime) -> str | None:
        """Move a queued job to running: 'run', 'rerun' (already running), the final status, or None."""
        with self.reachable():
            verdict = self._start(keys=[self.key(job_id)], args=[format_time(now), self._ttl])
        return None if verdict is None else _text(verdict)

    def request_cancel(self, job_id: str, company_group_id: int | None, now: datetime) -> JobInfo | None:
        """Cancel a queued job, flag a running one; the state after, or None when missing/foreign."""
        args: list[EncodableT] = [format_time(now), self._ttl, _tenant(company_group_id)]
        with self.reachable():
            flat = self._cancel(keys=[self.key(job_id)], args=args)
        if not flat:
            return None
        return job_info(_decode_pairs(zip(flat[::2], flat[1::2], strict=True)))

    def report(self, job_id: str, progress: float, message: str | None) -> bool:
        """Store progress of a running job; whether cancellation has been requested."""
        args = [repr(progress), "0" if message is None else "1", message or ""]
        with self.reachable():
            requested = self._report(keys=[self.key(job_id)], args=args)
        return bool(requested == 1)

    def cancel_requested(self, job_id: str) -> bool:
        """Whether someone asked the job to stop."""
        with self.reachable():
            flag = self._client.hget(self.key(job_id), "cancel_requested")
        return flag is not None and _text(flag) == "1"

    def finish(
        self,
        job_id: str,
        status: JobStatus,
        now: datetime,
        *,
        result: JSONValue | None = None,
        error: str | None = None,
    ) -> bool:
        """Record a running job's outcome; False when it was not running (nothing changed)."""
        encoded = "" if result is None else json.dumps(result, allow_nan=False)
        args: list[EncodableT] = [status.value, format_time(now), self._ttl, encoded, error or ""]
        with self.reachable():
            return bool(self._finish(keys=[self.key(job_id)], args=args))

    @contextmanager
    def reachable(self) -> Iterator[None]:
        """Turn a lost connection to Redis inside the block into ServiceUnavailable."""
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise ServiceUnavailable(
                f"cannot reach Redis at {self._url}: {reason}; is the server running and "
                "HIREFLOW_REDIS_URL right?"
            ) from exc


def job_info(fields: Mapping[str, str]) -> JobInfo:
    """A :class:`JobInfo` from a job's decoded hash fields."""
    optional = fields.get
    tenant = fields["company_group_id"]
    result = optional("result")
    return JobInfo(
        id=fields["id"],
        name=fields["name"],
        company_group_id=int(tenant) if tenant else None,
        status=JobStatus(fields["status"]),
        progress=float(fields["progress"]),
        message=optional("message"),
        result=None if result is None else json.loads(result),
        error=optional("error"),
        cancel_requested=fields["cancel_requested"] == "1",
        created_at=datetime.fromisoformat(fields["created_at"]),
        started_at=_time(optional("started_at")),
        finished_at=_time(optional("finished_at")),
    )


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _decode_pairs(pairs: Any) -> dict[str, str]:
    return {_text(key): _text(value) for key, value in pairs}
