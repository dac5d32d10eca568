"""Django's Redis cache, keeping one redis-py client per server instead of one per call.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and building one
copies its table of response callbacks: profiled, that was a seventh of the home page's
time (two cache reads a page: the agency's policy and the session). A redis.Redis is
only a front to its connection pool, which Django already keeps one of per server, and
is safe to share between threads; so one client per pool serves every call.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# INCR, and on the first hit the window's expiry: later hits never push it back. A
# counter found without one (written by something else) gets one too, so that nobody is
# held back for good.
_COUNT_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) == -1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClient
        self._scripts = {}

    def count_hit(self, key: str, timeout: int) -> int:
        """Add one to the counter `key` (made, expiring in `timeout` seconds, by the
        first hit) and return it, in one round trip where Django's add() then incr()
        take two (the rate limiter counts every wizard page and status lookup posted).

        A Lua script, so Redis runs both steps at once: the counter cannot expire between
        them and come back without an expiry. One command costs a third of the calls of
        a MULTI/EXEC pipeline in redis-py (profiled); redis-py loads the script again if
        Redis has forgotten it (a restart)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_COUNT_HIT)
        return int(script(keys=[key], args=[timeout]))
